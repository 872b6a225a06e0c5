"""The coach's tools: thin wrappers over the domain services, deterministic, in plain Python.

Every tool takes the :class:`CoachContext` of the run as its first argument: the user id comes
from the authenticated request through the graph's context, never from the model, so a tool can
only ever read the caller's own data. The model never calls a tool and never names its
arguments; the specialists choose the tools and their arguments from the message by rules.

A tool returns a :class:`ToolResult` (``careergini.agents.results``): ``data`` (typed,
JSON-ready, rendered by the degraded-mode templates) and ``digest`` (a compact text of the same
facts for the model, bounded in size). Expected failures (no profile yet, no target) are results
with ``ok=False`` and a hint, not exceptions.

Most tools only read. Four create something stored, owned by the chatting user, when the
person asks for it: a tailored resume, a cover letter, a learning roadmap, a practice
interview. They call the same service functions as the HTTP API, and their digests say what was
made, with its id and links.

One module per domain: ``profile``, ``analysis`` (gap and match), ``jobs`` (roles and
postings), ``resume``, ``learning``; ``targets`` decides what a turn is about; ``base`` holds
what they share; ``registry`` names them.
"""

from __future__ import annotations

from careergini.agents.results import ToolResult as ToolResult
from careergini.agents.tools.learning import (
    DEFAULT_STUDY_HOURS as DEFAULT_STUDY_HOURS,
    study_hours as study_hours,
    study_months as study_months,
)
from careergini.agents.tools.registry import (
    TOOLS as TOOLS,
    ToolFunction as ToolFunction,
    run_tool as run_tool,
)
from careergini.agents.tools.targets import (
    find_saved_posting as find_saved_posting,
    find_target as find_target,
    given_target as given_target,
    named_posting as named_posting,
    resolve_target as resolve_target,
    search_role_phrase as search_role_phrase,
)
