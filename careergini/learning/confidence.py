"""The person's confidence per skill, built by the quizzes they take."""

from __future__ import annotations

import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import utcnow
from careergini.learning.models import SkillConfidence
from careergini.learning.schemas import ConfidencePublic
from careergini.skills.service import load_taxonomy


async def confidence_map(*, session: AsyncSession, owner_id: uuid.UUID) -> dict[str, float]:
    """Return the person's quiz confidence per skill."""
    rows = (
        await session.exec(select(SkillConfidence).where(SkillConfidence.owner_id == owner_id))
    ).all()
    return {row.skill_id: row.confidence for row in rows}


def _confidence_public(row: SkillConfidence) -> ConfidencePublic:
    skill = load_taxonomy().get(row.skill_id)
    return ConfidencePublic(
        skill_id=row.skill_id,
        name=skill.name if skill else row.skill_id,
        confidence=row.confidence,
        quizzes=row.quizzes,
        last_score=row.last_score,
        last_level=row.last_level,
        updated_at=row.updated_at.isoformat(),
    )


async def list_confidence(*, session: AsyncSession, owner_id: uuid.UUID) -> list[ConfidencePublic]:
    """Return the user's skill confidence from quizzes, highest first."""
    rows = (
        await session.exec(select(SkillConfidence).where(SkillConfidence.owner_id == owner_id))
    ).all()
    return sorted((_confidence_public(r) for r in rows), key=lambda c: (-c.confidence, c.skill_id))


async def record_confidence(
    *,
    session: AsyncSession,
    owner_id: uuid.UUID,
    skill_id: str,
    confidence: float,
    score: float,
    level: str,
) -> ConfidencePublic:
    """Store a skill's new confidence after a quiz."""
    row = await session.get(SkillConfidence, (owner_id, skill_id))
    if row is None:
        row = SkillConfidence(
            owner_id=owner_id,
            skill_id=skill_id,
            confidence=confidence,
            quizzes=0,
            last_score=score,
            last_level=level,
        )
    row.confidence = confidence
    row.quizzes += 1
    row.last_score = score
    row.last_level = level
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    return _confidence_public(row)


async def get_confidence(
    *, session: AsyncSession, owner_id: uuid.UUID, skill_id: str
) -> float | None:
    """Return the user's confidence in one skill, or None when they took no quiz on it."""
    row = await session.get(SkillConfidence, (owner_id, skill_id))
    return None if row is None else row.confidence
