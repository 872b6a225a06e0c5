"""HTTP routes of the skills domain: autocomplete and extraction."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from careergini.core.offload import run_bounded
from careergini.skills import service as skills_service
from careergini.skills.schemas import (
    ExtractRequest,
    ExtractResponse,
    SkillMentionPublic,
    SkillPublic,
    SkillSearchResponse,
)

router = APIRouter(prefix="/api/skills", tags=["skills"])

# Search is a plain (not async) handler: FastAPI runs it in its thread pool, so the event loop
# stays free while the taxonomy loads for the first time. Extraction reads untrusted text: it runs
# in a worker process with a deadline (core.offload).


@router.get("/search", response_model=SkillSearchResponse)
def search(
    q: Annotated[str, Query(min_length=1, max_length=100, description="Prefix of a skill name")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SkillSearchResponse:
    """Autocomplete skill names and aliases: prefix matches first, hot technologies first."""
    items = [SkillPublic.from_skill(s) for s in skills_service.search_skills(q=q, limit=limit)]
    return SkillSearchResponse(skills=items, count=len(items))


@router.post("/extract", response_model=ExtractResponse)
async def extract(body: ExtractRequest) -> ExtractResponse:
    """Find the skills mentioned in a text, with character spans into that text."""
    mentions = await run_bounded(skills_service.extract, text=body.text, what="this text")
    items = [SkillMentionPublic.from_mention(m) for m in mentions]
    return ExtractResponse(skills=items, count=len(items))
