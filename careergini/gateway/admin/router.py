"""Operators' view of the LLM gateway: ``GET /api/admin/llm/usage`` (404 for everyone else)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from careergini.gateway.auth.dependencies import AdminUser
from careergini.llm.schemas import UsageReport
from careergini.runtime.deps import LLMDep

router = APIRouter(prefix="/api/admin/llm", tags=["admin"])


@router.get("/usage", response_model=UsageReport)
async def llm_usage(
    admin: AdminUser,
    llm: LLMDep,
    hours: Annotated[int, Query(ge=1, le=24 * 31, description="window, in hours")] = 24,
) -> UsageReport:
    """Return LLM calls, tokens, latency, cache hits and fallbacks per role, model and user."""
    return await llm.usage(hours=hours)
