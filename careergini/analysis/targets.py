"""A saved posting as the target of an analysis, a tailored resume, a cover letter or a plan.

The analysis, resume and learning services read postings through this module. It imports only
the jobs domain's models and errors: ``jobs.service`` imports the analysis service, so the
analysis service cannot import ``jobs.service`` back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BeforeValidator
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.analysis.errors import InvalidJobId, PostingWithoutDescription
from careergini.jobs import service as jobs_service

JOB_ID_HINT = "the id of one of your saved postings (GET /api/jobs)"


def _as_uuid(value: object) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        return None


def _validate_job_id(value: object) -> object:
    if value is None:
        return None
    found = _as_uuid(value)
    if found is None:
        # A ValueError: pydantic reports it as the field's 422 message.
        raise ValueError(f"job_id is not a posting id: give {JOB_ID_HINT}")
    return found


JobId = Annotated[uuid.UUID, BeforeValidator(_validate_job_id)]
"""A request field holding a posting id; anything else is a 422 that says what to give."""


def require_one_target(request: object, names: tuple[str, ...]) -> None:
    """Check a request gives exactly one of the target fields ``names``, and no empty text.

    Called from the requests' model validators: the ValueError becomes the 422's message.
    """
    given = [name for name in names if getattr(request, name, None) is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(names[:-1])} or {names[-1]}")
    text = getattr(request, "job_description", None)
    if text is not None and not text.strip():
        raise ValueError("job_description is empty: paste the job's text")


def job_id_of(value: uuid.UUID | str) -> uuid.UUID:
    """Return a posting id as a UUID; InvalidJobId (422) when it is not one."""
    found = _as_uuid(value)
    if found is None:
        raise InvalidJobId(f'"{str(value)[:60]}" is not a posting id: give {JOB_ID_HINT}.')
    return found


@dataclass(frozen=True)
class PostingTarget:
    """What an analysis, a resume or a plan needs of a saved posting."""

    job_id: str
    title: str
    company: str | None
    url: str | None
    # open | closed: a closed posting is still a target, the user may still apply.
    status: str
    # The title and the description: what is analysed and embedded, as the jobs search does.
    text: str
    # The parse stored with the posting ({} when there is none).
    parsed: dict[str, Any] = field(default_factory=dict)


async def posting_for_target(
    *, session: AsyncSession, owner_id: uuid.UUID, job_id: uuid.UUID | str
) -> PostingTarget:
    """Return one of the user's postings as a target; another user's or a missing one is 404."""
    posting = await jobs_service.owned_posting(session, owner_id=owner_id, job_id=job_id_of(job_id))
    if not posting.description.strip():
        raise PostingWithoutDescription(
            f'The posting "{posting.title}" has no description (its source gave only the title '
            "and company), so there is nothing to analyse: paste the job's text as "
            "job_description instead."
        )
    return PostingTarget(
        job_id=str(posting.id),
        title=posting.title,
        company=posting.company,
        url=posting.url,
        status=posting.status,
        text=f"{posting.title}\n{posting.description}",
        parsed=dict(posting.parsed or {}),
    )
