"""An application's resume and cover letter: only the user's own can be linked (another user's
or a missing one is a 404), and a link becomes null when its document is deleted."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import Connection, create_engine, inspect, text
from sqlmodel import Session

from careergini.core import migrate
from careergini.core.db import sync_database_url
from careergini.gateway.auth.models import User
from careergini.jobs.models import JobApplication
from careergini.resume.models import Resume
from tests.conftest import UserMaker
from tests.resume.samples import user_with_profile
from tests.samples import BACKEND_JD

LINKS_REVISION = "a7d3e9c41b52"
EXTERNAL = {"external": {"title": "Backend Engineer", "company": "Acme"}}


async def documents(client: httpx.AsyncClient, headers: dict) -> tuple[str, str]:
    body = {"job_description": BACKEND_JD, "llm": False}
    resume = await client.post("/api/resumes/tailor", json=body, headers=headers)
    assert resume.status_code == 201, resume.text
    letter = await client.post("/api/cover-letters", json=body, headers=headers)
    assert letter.status_code == 201, letter.text
    return resume.json()["id"], letter.json()["id"]


async def test_only_the_users_own_documents_can_be_linked(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    alice = (await user_with_profile(client, make_user))["headers"]
    bob = (await user_with_profile(client, make_user))["headers"]
    resume_id, letter_id = await documents(client, alice)
    bob_resume, bob_letter = await documents(client, bob)
    missing = str(uuid.uuid4())
    for links in (
        {"resume_id": bob_resume},
        {"cover_letter_id": bob_letter},
        {"resume_id": missing},
        {"cover_letter_id": missing},
        {"resume_id": letter_id},  # a letter is not a resume
    ):
        refused = await client.post("/api/applications", json={**EXTERNAL, **links}, headers=alice)
        assert refused.status_code == 404, (links, refused.text)
        (name,) = links
        assert name in refused.json()["detail"]
    assert (await client.get("/api/applications", headers=alice)).json() == []

    created = await client.post(
        "/api/applications",
        json={**EXTERNAL, "resume_id": resume_id, "cover_letter_id": letter_id},
        headers=alice,
    )
    assert created.status_code == 201, created.text
    app = created.json()
    assert (app["resume_id"], app["cover_letter_id"]) == (resume_id, letter_id)
    url = f"/api/applications/{app['id']}"
    for links in ({"resume_id": bob_resume}, {"cover_letter_id": missing}):
        refused = await client.patch(url, json=links, headers=alice)
        assert refused.status_code == 404, (links, refused.text)
    kept = (await client.get(url, headers=alice)).json()
    assert (kept["resume_id"], kept["cover_letter_id"]) == (resume_id, letter_id)


async def test_a_link_becomes_null_when_its_document_is_deleted(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await user_with_profile(client, make_user))["headers"]
    resume_id, letter_id = await documents(client, headers)
    other_resume, _ = await documents(client, headers)
    created = await client.post(
        "/api/applications",
        json={**EXTERNAL, "resume_id": resume_id, "cover_letter_id": letter_id},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    url = f"/api/applications/{created.json()['id']}"
    other = await client.post(
        "/api/applications",
        json={"external": {"title": "Data Engineer"}, "resume_id": other_resume},
        headers=headers,
    )
    assert other.status_code == 201, other.text

    assert (await client.delete(f"/api/resumes/{resume_id}", headers=headers)).status_code == 204
    after = (await client.get(url, headers=headers)).json()
    assert after["resume_id"] is None and after["cover_letter_id"] == letter_id
    deleted = await client.delete(f"/api/cover-letters/{letter_id}", headers=headers)
    assert deleted.status_code == 204
    after = (await client.get(url, headers=headers)).json()
    assert after["resume_id"] is None and after["cover_letter_id"] is None
    # Another application's link to a document still there is untouched.
    kept = (await client.get(f"/api/applications/{other.json()['id']}", headers=headers)).json()
    assert kept["resume_id"] == other_resume
    # A deleted document cannot be linked again.
    relinked = await client.patch(url, json={"resume_id": resume_id}, headers=headers)
    assert relinked.status_code == 404


def test_the_migration_drops_dangling_links_and_keys_the_rest(database_url: str) -> None:
    migrate.downgrade(database_url, f"{LINKS_REVISION}-1")
    engine = create_engine(sync_database_url(database_url))
    alice, bob = (User(email=f"{n}@example.com", password_hash="x") for n in ("alice", "bob"))
    with Session(engine) as session:
        session.add_all([alice, bob])
        session.flush()
        mine, theirs = (
            Resume(
                owner_id=owner.id,
                target={},
                job_hash="h",
                template="classic",
                tone="neutral",
                content={},
                report={},
            )
            for owner in (alice, bob)
        )
        session.add_all([mine, theirs])
        session.flush()
        kept, foreign, gone = (
            JobApplication(owner_id=alice.id, title=title, resume_id=resume_id)
            for title, resume_id in (
                ("kept", mine.id),
                ("foreign", theirs.id),
                ("gone", uuid.uuid4()),
            )
        )
        session.add_all([kept, foreign, gone])
        session.commit()
        ids = {a.title: a.id for a in (kept, foreign, gone)}
        mine_id = mine.id
    migrate.upgrade(database_url)
    with engine.begin() as conn:
        linked = dict(conn.execute(text("SELECT title, resume_id FROM job_applications")).all())
        assert {k: v is not None for k, v in linked.items()} == {
            "kept": True,
            "foreign": False,
            "gone": False,
        }, (linked, ids)
        keys = {
            fk["referred_table"]: fk for fk in inspect(conn).get_foreign_keys("job_applications")
        }
        assert keys["resumes"]["options"].get("ondelete", "").upper() == "SET NULL"
        assert keys["cover_letters"]["options"].get("ondelete", "").upper() == "SET NULL"
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(text("DELETE FROM resumes WHERE id = :id"), {"id": _db_id(conn, mine_id)})
        after = conn.execute(text("SELECT resume_id FROM job_applications")).scalars().all()
        assert after == [None, None, None]
    engine.dispose()


def _db_id(conn: Connection, value: uuid.UUID) -> Any:
    # SQLite stores a Uuid as 32 hex digits, PostgreSQL as a uuid.
    return value.hex if conn.dialect.name == "sqlite" else value
