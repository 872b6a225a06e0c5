"""Rebuild the vector store from the database (after a restore, or a lost Chroma volume)."""

from __future__ import annotations

from sqlmodel import select

from careergini.core.db import session_scope
from careergini.gateway.auth.service import User
from careergini.profile import service as profile_service
from careergini.runtime.resources import Resources


async def reindex_profiles(*, resources: Resources) -> int:
    """Re-embed every user's profile text into the vector store; return the chunks written."""
    async with session_scope(resources.sessionmaker) as session:
        owner_ids = list((await session.exec(select(User.id))).all())
    written = 0
    for owner_id in owner_ids:
        async with session_scope(resources.sessionmaker) as session:
            profile = await profile_service.build_profile(session=session, owner_id=owner_id)
        written += await profile_service.index_profile(
            resources=resources, owner_id=owner_id, profile=profile
        )
    return written
