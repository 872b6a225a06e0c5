"""The search index on the database engines (SQLite FTS5, PostgreSQL full text) on both stacks,
and the pure parts of ranking: query words, the FTS5 expression, fusion and query coverage."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from sqlmodel import col, delete

from careergini.core.db import session_scope, utcnow
from careergini.gateway.auth.models import User
from careergini.jobs import loading, pipeline
from careergini.jobs.models import JobPosting
from careergini.jobs.search import (
    Filters,
    coverage,
    fts5_query,
    fuse,
    query_terms,
    tokenize,
    vector_to_bytes,
)
from careergini.runtime.resources import Resources


def test_tokens_fold_plurals_but_keep_technology_names() -> None:
    assert tokenize("Senior Engineers with C++, C#, Node.js and the services") == [
        "senior",
        "engineer",
        "c++",
        "c#",
        "node.js",
        "service",
    ]


def test_query_words_reach_the_engine_only_as_quoted_strings() -> None:
    assert query_terms("The Network engineer, Cisco and the network") == [
        "network",
        "engineer",
        "cisco",
    ]
    assert fts5_query(["network", 'say"what']) == '"network" OR "say""what"'
    assert query_terms("a the of") == []


def test_fusion_puts_what_both_rankings_agree_on_first() -> None:
    fused = fuse(["a", "b", "c"], ["b", "d"])
    assert [h.id for h in fused] == ["b", "a", "d", "c"]
    assert (fused[0].lexical_rank, fused[0].semantic_rank) == (2, 1)
    assert fused[0].fused == pytest.approx(1 / 62 + 1 / 61)
    # Found by meaning only: still a result, with no word rank.
    assert (fused[2].lexical_rank, fused[2].semantic_rank) == (0, 2)
    assert fuse([], []) == []


def test_coverage_counts_the_query_words_a_posting_has() -> None:
    terms = query_terms("network engineer cisco")
    assert coverage(terms, "Network Engineer", "Configure Cisco routers") == 3
    assert coverage(terms, "Frontend Engineer", "React and TypeScript") == 1
    # "engineer" finds "engineering", as the engines' stemmers do.
    assert coverage(["engineer"], "Head of Engineering", "") == 1
    assert coverage([], "Anything", "at all") == 0


# --- the engines --------------------------------------------------------------------------------


async def make_owner(resources: Resources) -> uuid.UUID:
    async with session_scope(resources.sessionmaker) as session:
        user = User(email=f"{uuid.uuid4().hex[:8]}@example.com", password_hash="x")
        session.add(user)
    return user.id


async def add(resources: Resources, owner_id: uuid.UUID, title: str, **values: Any) -> str:
    fields: dict[str, Any] = {
        "origin": "upload",
        "company": "Acme",
        "location": "New York, NY",
        "description": "",
        "dedup_key": uuid.uuid4().hex,
        "content_hash": uuid.uuid4().hex,
        "parser_version": "test",
        "seniority": "mid",
    }
    fields.update(values)
    async with session_scope(resources.sessionmaker) as session:
        posting = JobPosting(owner_id=owner_id, title=title, **fields)
        session.add(posting)
    return str(posting.id)


async def hits(resources: Resources, owner_id: uuid.UUID, q: str, **filters: Any) -> list[str]:
    async with session_scope(resources.sessionmaker) as session:
        return await loading.lexical_hits(
            session, owner_id=owner_id, terms=query_terms(q), filters=Filters(**filters)
        )


async def test_a_posting_is_searchable_as_soon_as_it_is_stored(resources: Resources) -> None:
    owner = await make_owner(resources)
    other = await make_owner(resources)
    network = await add(
        resources,
        owner,
        "Network Engineer",
        description="Configure Cisco routers and switches; BGP and OSPF.",
    )
    frontend = await add(
        resources, owner, "Frontend Engineer", description="React, TypeScript and CSS."
    )
    await add(resources, other, "Network Engineer", description="Cisco, for someone else.")

    # Title words and every query word first; another owner's postings are never found.
    assert await hits(resources, owner, "network engineer cisco") == [network, frontend]
    assert await hits(resources, owner, "zzzz") == []
    assert await hits(resources, owner, "router") == [network]  # stemmed: routers
    # Words that would be query syntax are only words.
    assert await hits(resources, owner, 'cisco" OR NEAR(x -y) *') == [network]

    # Updates and deletes reach the index in the same transaction.
    async with session_scope(resources.sessionmaker) as session:
        row = await session.get(JobPosting, uuid.UUID(frontend))
        assert row is not None
        row.title = "Frontend Developer"
        row.description = "Vue and Cisco Webex integrations."
    assert await hits(resources, owner, "engineer") == [network]
    assert set(await hits(resources, owner, "cisco")) == {network, frontend}
    async with session_scope(resources.sessionmaker) as session:
        await session.exec(delete(JobPosting).where(col(JobPosting.id) == uuid.UUID(network)))
    assert await hits(resources, owner, "cisco") == [frontend]


async def test_filters_run_in_the_database(resources: Resources) -> None:
    owner = await make_owner(resources)
    old = utcnow() - timedelta(days=400)
    python = await add(
        resources,
        owner,
        "Python Developer",
        description="Python and SQL",
        skills=[["python", "required"], ["sql", "preferred"]],
        remote="remote",
        posted_at=old,
    )
    analyst = await add(
        resources,
        owner,
        "Data Analyst",
        description="SQL and Excel, some Python",
        skills=[["sql", "required"], ["excel", "required"]],
        seniority="junior",
        location="Albany, NY",
    )
    closed = await add(resources, owner, "Python Engineer", description="Python", status="closed")

    assert set(await hits(resources, owner, "python")) == {python, analyst}
    assert set(await hits(resources, owner, "python", include_closed=True)) == {
        python,
        analyst,
        closed,
    }
    assert await hits(resources, owner, "python", remote=frozenset({"remote"})) == [python]
    assert await hits(resources, owner, "python", seniority=frozenset({"junior"})) == [analyst]
    assert await hits(resources, owner, "python", skills=("python", "sql")) == [python]
    assert await hits(resources, owner, "python", skills=("rust",)) == []
    assert await hits(resources, owner, "python", location="ALBANY") == [analyst]
    assert await hits(resources, owner, "python", location="100%_") == []
    recent = (utcnow() - timedelta(days=30)).timestamp()
    assert await hits(resources, owner, "python", posted_after_ts=recent) == [analyst]

    async with session_scope(resources.sessionmaker) as session:
        newest = await loading.newest(session, owner_id=owner, filters=Filters(), limit=10)
        assert newest == [analyst, python]
        count = await loading.count_matching(session, owner_id=owner, filters=Filters())
        assert count == 2
        kept = await loading.passing(
            session, owner_id=owner, ids=[python, closed], filters=Filters()
        )
        assert kept == {python}


async def test_postings_of_the_shared_collection_move_to_their_owners_own(
    resources: Resources,
) -> None:
    """Versions before 2026-12 kept every owner's vectors in one collection: the first start
    after the upgrade writes them to per-owner collections from the rows and drops the old one."""
    owners = [await make_owner(resources) for _ in range(2)]
    vectors = {
        owner: [1.0 if i == n else 0.0 for i in range(384)] for n, owner in enumerate(owners)
    }
    ids = {}
    for owner in owners:
        ids[owner] = await add(
            resources,
            owner,
            "Network Engineer",
            embedding=vector_to_bytes(np.asarray(vectors[owner], dtype=np.float32)),
        )
        await resources.vectors.upsert(
            pipeline.COLLECTION,
            ids=[ids[owner]],
            documents=["Network Engineer"],
            metadatas=[{"owner_id": str(owner)}],
            embeddings=[vectors[owner]],
        )
    assert await pipeline.move_shared_collection(resources=resources) == 2
    assert pipeline.COLLECTION not in await resources.vectors.names()
    for owner in owners:
        found = await loading.semantic_hits(
            resources, owner_id=owner, vector=np.asarray(vectors[owner], dtype=np.float32)
        )
        assert [posting_id for posting_id, _ in found] == [ids[owner]]
    # Nothing left to move: a second start (or replica) does nothing.
    assert await pipeline.move_shared_collection(resources=resources) == 0
