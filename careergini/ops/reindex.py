"""Rebuild the vector store from the database (after a restore, or a lost Chroma volume)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from careergini.core.db import session_scope
from careergini.gateway.auth.service import User
from careergini.jobs import service as jobs_service
from careergini.profile import service as profile_service
from careergini.runtime.resources import Resources


@dataclass
class Reindexed:
    profile_chunks: int = 0
    postings: int = 0


async def reindex_all(*, resources: Resources) -> Reindexed:
    """Rewrite every user's vectors from the database: profile text (re-embedded) and job
    postings (from the embeddings stored on their rows)."""
    async with session_scope(resources.sessionmaker) as session:
        owner_ids = list((await session.exec(select(User.id))).all())
    done = Reindexed()
    for owner_id in owner_ids:
        async with session_scope(resources.sessionmaker) as session:
            profile = await profile_service.build_profile(session=session, owner_id=owner_id)
            done.postings += await jobs_service.reindex_vectors(
                session=session, resources=resources, owner_id=owner_id
            )
        done.profile_chunks += await profile_service.index_profile(
            resources=resources, owner_id=owner_id, profile=profile
        )
    return done
