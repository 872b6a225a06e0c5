"""The resume service: tailoring without a database, and how profile changes flow through."""

from __future__ import annotations

import uuid

import httpx
import pytest

from careergini.core.embeddings import Embedder
from careergini.resume import service, tailor
from careergini.resume.errors import UnsupportedFacts
from careergini.resume.schemas import ItemChange, ResumePatch, TailorRequest
from careergini.runtime.resources import Resources
from tests.conftest import UserMaker
from tests.resume.samples import (
    BACKEND_JD,
    ONE_PAGE_JD,
    TWO_PAGE_RESUME,
    profile_from_text,
    user_with_profile,
)


async def test_prepare_tailors_a_two_page_resume_without_a_database(embedder: Embedder) -> None:
    profile = profile_from_text(TWO_PAGE_RESUME)
    prepared = await service.prepare(
        profile=profile,
        embedder=embedder,
        job_description=ONE_PAGE_JD,
        role_id=None,
        options=tailor.TailorOptions(template="compact"),
    )
    document = prepared.draft.document
    assert len([p for p in document.positions if p.included]) == 5
    assert all(sum(b.included for b in p.bullets) == 3 for p in document.positions)
    assert prepared.target.title == "Staff Backend Engineer"
    assert prepared.match_score is not None and 0 <= prepared.match_score <= 100
    assert tailor.check_document(document, prepared.evidence) == []
    # Bullets naming the job's event streaming and Kafka rank first in every position.
    assert all("Kafka" in p.bullets[0].source for p in document.positions)


async def test_a_fact_added_to_the_profile_becomes_usable_in_edits(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await user_with_profile(client, make_user)
    owner = uuid.UUID(user["id"])
    async with resources.sessionmaker() as session:
        resume = await service.tailor_resume(
            session=session,
            resources=resources,
            owner_id=owner,
            request=TailorRequest(job_description=BACKEND_JD, llm=False),
        )
        await session.commit()
    docker = next(b for b in resume.report.bullets if "Docker" in b.source)
    edit = ResumePatch(
        bullets=[
            ItemChange(
                id=docker.id,
                action="edit",
                text="Led a team of 4 engineers moving deployments to Docker and Kubernetes",
            )
        ]
    )
    async with resources.sessionmaker() as session:
        with pytest.raises(UnsupportedFacts) as refused:
            await service.update_resume(
                session=session, owner_id=owner, resume_id=uuid.UUID(resume.id), patch=edit
            )
    assert refused.value.extra["unsupported"] == ["the skill Kubernetes is not in your profile"]

    added = await client.patch(
        "/api/profile", json={"skills_add": ["Kubernetes"]}, headers=user["headers"]
    )
    assert added.status_code == 200
    async with resources.sessionmaker() as session:
        updated = await service.update_resume(
            session=session, owner_id=owner, resume_id=uuid.UUID(resume.id), patch=edit
        )
        await session.commit()
    item = next(b for b in updated.report.bullets if b.id == docker.id)
    assert item.status == "edited" and item.output.endswith("Docker and Kubernetes")


async def test_a_position_hidden_in_the_profile_is_reported_not_silently_lost(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    profile = (await client.get("/api/profile", headers=user["headers"])).json()
    cafe = next(w["key"] for w in profile["work"] if w["company"] == "Initech")
    hidden = await client.patch(
        "/api/profile", json={"work": [{"key": cafe, "hidden": True}]}, headers=user["headers"]
    )
    assert hidden.status_code == 200
    response = await client.post(
        "/api/resumes/tailor",
        json={"job_description": BACKEND_JD, "llm": False},
        headers=user["headers"],
    )
    dropped = response.json()["report"]["dropped"]
    assert dropped == [
        {
            "kind": "position",
            "id": cafe,
            "text": "Cafe Assistant at Initech",
            "reason": "Hidden in your profile.",
        }
    ]
