"""What every tool shares: building results, the hints of expected failures, the person's
profile, and how a target is named."""

from __future__ import annotations

import re
from typing import Any

from careergini.agents.results import FailedData, TargetData, ToolData, ToolResult
from careergini.agents.state import CoachContext, Target
from careergini.analysis import errors as analysis_errors
from careergini.core.db import utcnow
from careergini.core.errors import AppError
from careergini.jobs.errors import JobNotFound
from careergini.learning import service as learning_service
from careergini.profile import service as profile_service
from careergini.profile.schemas import PartialDate
from careergini.skills.schemas import Candidate
from careergini.skills.service import candidate_from_profile

DIGEST_CHARS = 1200
# Words of a message: a role's title, a posting's title or company.
WORD = re.compile(r"[a-z0-9][a-z0-9+#./-]*", re.IGNORECASE)
# Words that end a role's name after a cue ("become a data engineer *in* two years").
STOP = {
    "in", "at", "with", "and", "or", "but", "job", "jobs", "role", "roles", "position",
    "positions", "next", "year", "years", "please", "now", "soon", "someday", "career",
    "it", "this", "that", "these", "those", "me", "my", "you", "your", "them", "something",
    "learn", "get", "find", "prepare", "improve", "know", "do", "make", "work", "apply",
    "write", "interview", "interviews", "what", "which", "how", "why", "besides",
}  # fmt: skip

NO_PROFILE_HINT = (
    "There is no profile yet: import a resume, a LinkedIn export or a GitHub account "
    "(Profile > Import) and ask again."
)
NO_TARGET_HINT = (
    "There is no target to compare with yet: paste a job description, or name a role "
    '("what am I missing to become a data engineer?").'
)
NO_DOCUMENT_TARGET_HINT = (
    "Nothing was created: there is no job or role to aim it at yet. Paste the job description, "
    'name a role ("for a data engineer role") or one of your saved jobs ("for the Acme data '
    'engineer job"), and ask again.'
)


def clip(text: str, limit: int = DIGEST_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short(text: str, limit: int = 140) -> str:
    """Return the text on one line, cut to ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def names(items: list[str], limit: int) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit} more)" if len(items) > limit else "")


def result(
    agent: str, tool: str, title: str, data: ToolData, digest: str, *, ok: bool = True
) -> ToolResult:
    return ToolResult(agent=agent, tool=tool, title=title, ok=ok, data=data, digest=clip(digest))


def failed(agent: str, tool: str, title: str, hint: str) -> ToolResult:
    return result(agent, tool, title, FailedData(hint=hint), hint, ok=False)


def target_label(target: Target) -> str:
    title = target.get("title") or ("the job" if target.get("kind") != "role" else "?")
    company = target.get("company")
    return f"{title} ({company})" if company else str(title)


def target_data(target: Target) -> TargetData:
    return TargetData(
        kind=target.get("kind"),
        title=target.get("title"),
        company=target.get("company"),
        role_id=target.get("role_id"),
        job_id=target.get("job_id"),
    )


def explain(exc: AppError, target: Target | None) -> str:
    """Return what an expected failure means for the person, and what to do."""
    if not target or target.get("kind") != "job":
        return exc.detail
    if isinstance(exc, JobNotFound):
        return (
            f'Your saved job "{target_label(target)}" is no longer among your postings: name '
            "another saved job, paste the job description, or name a role."
        )
    if isinstance(exc, analysis_errors.PostingWithoutDescription):
        return (
            f'Your saved job "{target_label(target)}" has no description (its source gave only '
            "the title and company), so there is nothing to work from: paste the job's text here."
        )
    return exc.detail


def request_target(target: Target | None, *, role_field: str) -> dict[str, Any] | None:
    """Return the target as a resume or learning request names it (exactly one field), as the
    request model's keyword arguments."""
    if not target:
        return None
    kind = target.get("kind")
    if kind == "job" and target.get("job_id"):
        return {"job_id": target["job_id"]}
    if kind == "role" and target.get("role_id"):
        role_id = str(target["role_id"])
        if role_field != "target_role":
            # The resume domain knows ESCO and O*NET roles: a reviewed tech role stands there
            # for its occupation.
            role_id = learning_service.base_role_id(role_id)
        return {role_field: role_id}
    if kind == "job_description" and (target.get("text") or "").strip():
        return {"job_description": target["text"]}
    return None


def partial_date(value: PartialDate | None) -> str:
    if value is None:
        return "?"
    if value.present:
        return "present"
    if value.year:
        return f"{value.year}-{value.month:02d}" if value.month else str(value.year)
    return "?"


async def load_profile(ctx: CoachContext) -> profile_service.MergedProfile | None:
    async with ctx.resources.sessionmaker() as session:
        return await profile_service.build_profile(session=session, owner_id=ctx.user_id)


def candidate_of(profile: profile_service.MergedProfile) -> Candidate:
    return candidate_from_profile(profile, now_year=utcnow().year)
