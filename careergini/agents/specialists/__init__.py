"""The specialist agents, one module each; the supervisor routes a turn to some of them."""

from __future__ import annotations

from careergini.agents.specialists import jobs, learning, profile, resume, skills
from careergini.agents.specialists.base import Emit, Specialist
from careergini.agents.state import AgentName

SPECIALISTS: dict[AgentName, Specialist] = {
    s.name: s
    for s in (
        profile.SPECIALIST,
        skills.SPECIALIST,
        jobs.SPECIALIST,
        resume.SPECIALIST,
        learning.SPECIALIST,
    )
}

__all__ = ["SPECIALISTS", "Emit", "Specialist"]
