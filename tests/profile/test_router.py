"""Profile imports, the merged profile, edits, export and isolation, through the HTTP API."""

from __future__ import annotations

import io
import json
import zipfile

import httpx

from careergini.profile.service import PROFILE_COLLECTION
from careergini.runtime.resources import Resources
from tests.conftest import UserMaker

RESUME_A = """\
Jane Doe
Senior Backend Engineer
jane.doe@example.com | +1 415 555 0100 | San Francisco, CA
github.com/janedoe

Summary
Backend engineer building reliable Python services.

Experience
Acme Corp, Senior Backend Engineer, Jan 2021 - Present
- Built FastAPI services on PostgreSQL serving 2M requests a day
- Led a team of 4 engineers moving deployments to Kubernetes

Globex, Software Engineer, 2017 - 2020
- Wrote data pipelines in Python and SQL

Education
University of California, Berkeley, B.S. Computer Science, 2013 - 2017

Skills
Python, FastAPI, PostgreSQL, Docker, Kubernetes, SQL
"""

RESUME_B = RESUME_A.replace("jane.doe@example.com", "jane@newmail.example").replace(
    "- Wrote data pipelines in Python and SQL",
    "- Wrote data pipelines in Python and SQL\n- Cut batch runtime by 40% with Redis caching",
)


def upload(text: str, name: str = "resume.txt") -> dict:
    return {"file": (name, text.encode(), "text/plain")}


async def test_import_a_text_resume_and_read_the_profile(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    created = await client.post(
        "/api/profile/imports", files=upload(RESUME_A), headers=user["headers"]
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["kind"] == "text"
    assert body["counts"]["work"] == 2
    assert body["result"]["profile"]["basics"]["email"] == "jane.doe@example.com"

    profile = (await client.get("/api/profile", headers=user["headers"])).json()
    assert profile["basics"]["name"]["value"] == "Jane Doe"
    assert profile["basics"]["email"]["sources"][0]["import_id"] == body["id"]
    companies = [w["company"] for w in profile["work"]]
    assert companies == ["Acme Corp", "Globex"]  # most recent first
    skill_ids = {s["skill_id"] for s in profile["skills"]}
    assert {"python", "postgresql", "kubernetes"} <= skill_ids
    # The original file is kept so it can be re-parsed later.
    stored = list((resources.settings.files_dir / user["id"] / "imports").iterdir())
    assert [p.read_bytes() for p in stored] == [RESUME_A.encode()]
    # Indexed for matching.
    assert await resources.vectors.count(PROFILE_COLLECTION, where={"owner_id": user["id"]}) > 3


async def test_no_profile_yet_is_a_clear_404(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    response = await client.get("/api/profile", headers=user["headers"])
    assert response.status_code == 404
    assert "Import a resume" in response.json()["detail"]


async def test_bad_uploads_are_refused_and_change_nothing(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    ok = await client.post("/api/profile/imports", files=upload(RESUME_A), headers=user["headers"])
    assert ok.status_code == 201
    before = (await client.get("/api/profile", headers=user["headers"])).json()

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    cases = {
        "png": ({"file": ("photo.pdf", png, "application/pdf")}, 415),
        "truncated pdf": ({"file": ("r.pdf", b"%PDF-1.7\n1 0 obj <<", "application/pdf")}, 422),
        "too big": ({"file": ("big.txt", b"a" * (10 * 1024 * 1024 + 1), "text/plain")}, 413),
        "not a resume": (upload("hello\n" * 3), 422),
        "empty": (upload(""), 422),
    }
    for name, (files, expected) in cases.items():
        response = await client.post("/api/profile/imports", files=files, headers=user["headers"])
        assert response.status_code == expected, (name, response.text)
        body = response.json()
        assert body["error"] and len(body["detail"]) > 10, name

    imports = (await client.get("/api/profile/imports", headers=user["headers"])).json()
    assert len(imports) == 1
    assert (await client.get("/api/profile", headers=user["headers"])).json() == before


async def test_conflicting_facts_are_kept_side_by_side(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    await client.post("/api/profile/imports", files=upload(RESUME_A), headers=user["headers"])
    await client.post("/api/profile/imports", files=upload(RESUME_B), headers=user["headers"])
    profile = (await client.get("/api/profile", headers=user["headers"])).json()
    email = profile["basics"]["email"]
    assert email["value"] == "jane@newmail.example"
    assert [a["value"] for a in email["alternatives"]] == ["jane.doe@example.com"]
    # Same positions from two imports are one entry each, bullets united.
    assert len(profile["work"]) == 2
    globex = next(w for w in profile["work"] if w["company"] == "Globex")
    assert len(globex["sources"]) == 2
    assert any("40%" in b for b in globex["bullets"])


async def test_user_edits_survive_a_reimport(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    headers = user["headers"]
    await client.post("/api/profile/imports", files=upload(RESUME_A), headers=headers)
    profile = (await client.get("/api/profile", headers=headers)).json()
    acme = next(w for w in profile["work"] if w["company"] == "Acme Corp")

    patched = await client.patch(
        "/api/profile",
        headers=headers,
        json={
            "basics": {"name": "Jane Q. Doe", "location": "Oakland, CA"},
            "work": [
                {"key": acme["key"], "title": "Staff Backend Engineer"},
                {
                    "company": "Side Gig",
                    "title": "Consultant",
                    "start": "2016-05",
                    "end": "2016-09",
                },
            ],
            "skills_add": ["Rust"],
            "skills_remove": ["Docker"],
        },
    )
    assert patched.status_code == 200, patched.text

    await client.post("/api/profile/imports", files=upload(RESUME_B), headers=headers)
    profile = (await client.get("/api/profile", headers=headers)).json()
    assert profile["basics"]["name"]["value"] == "Jane Q. Doe"
    assert profile["basics"]["name"]["edited"] is True
    assert "Jane Doe" in [a["value"] for a in profile["basics"]["name"]["alternatives"]]
    acme = next(w for w in profile["work"] if w["key"] == acme["key"])
    assert acme["title"] == "Staff Backend Engineer" and acme["edited"]
    side = next(w for w in profile["work"] if w["company"] == "Side Gig")
    assert side["start"]["year"] == 2016 and side["start"]["month"] == 5
    names = {s["name"] for s in profile["skills"]}
    assert "Rust" in names and "Docker" not in names


async def test_bad_edits_are_422_and_change_nothing(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    headers = user["headers"]
    await client.post("/api/profile/imports", files=upload(RESUME_A), headers=headers)
    before = (await client.get("/api/profile", headers=headers)).json()
    for patch in (
        {"work": [{"key": "work-nope", "title": "X"}]},
        {"work": [{"company": "A", "start": "not a date"}]},
        {"basics": {"shoe_size": "42"}},
        {"unknown": 1},
    ):
        response = await client.patch("/api/profile", headers=headers, json=patch)
        assert response.status_code == 422, (patch, response.text)
    assert (await client.get("/api/profile", headers=headers)).json() == before


async def test_delete_an_import_merges_again_without_it(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    headers = user["headers"]
    first = (
        await client.post("/api/profile/imports", files=upload(RESUME_A), headers=headers)
    ).json()
    await client.post("/api/profile/imports", files=upload(RESUME_B), headers=headers)
    assert (
        await client.delete(f"/api/profile/imports/{first['id']}", headers=headers)
    ).status_code == 204
    profile = (await client.get("/api/profile", headers=headers)).json()
    assert profile["basics"]["email"]["alternatives"] == []
    files = list((resources.settings.files_dir / user["id"] / "imports").iterdir())
    assert len(files) == 1
    detail = await client.get(f"/api/profile/imports/{first['id']}", headers=headers)
    assert detail.status_code == 404


async def test_reparse_keeps_the_import_current(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    created = (
        await client.post("/api/profile/imports", files=upload(RESUME_A), headers=user["headers"])
    ).json()
    again = await client.post(
        f"/api/profile/imports/{created['id']}/reparse", headers=user["headers"]
    )
    assert again.status_code == 200
    assert again.json()["result"] == created["result"]
    assert again.json()["stale"] is False


async def test_another_users_imports_are_404(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    alice = await make_user()
    bob = await make_user()
    created = (
        await client.post("/api/profile/imports", files=upload(RESUME_A), headers=alice["headers"])
    ).json()
    path = f"/api/profile/imports/{created['id']}"
    assert (await client.get(path, headers=bob["headers"])).status_code == 404
    assert (await client.delete(path, headers=bob["headers"])).status_code == 404
    assert (await client.post(f"{path}/reparse", headers=bob["headers"])).status_code == 404
    assert (await client.get("/api/profile/imports", headers=bob["headers"])).json() == []
    assert (await client.get("/api/profile", headers=bob["headers"])).status_code == 404
    assert (await client.get(path, headers=alice["headers"])).status_code == 200


async def test_export_as_json_resume(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    user = await make_user()
    await client.post("/api/profile/imports", files=upload(RESUME_A), headers=user["headers"])
    resume = (await client.get("/api/profile/export", headers=user["headers"])).json()
    assert resume["basics"]["name"] == "Jane Doe"
    assert resume["basics"]["email"] == "jane.doe@example.com"
    assert resume["work"][0]["name"] == "Acme Corp"
    assert resume["work"][0]["startDate"] == "2021-01"
    assert "endDate" not in resume["work"][0]
    assert {"name": "Python"} in resume["skills"]


async def test_account_export_and_delete_cover_the_profile(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    user = await make_user()
    await client.post("/api/profile/imports", files=upload(RESUME_A), headers=user["headers"])
    archive = zipfile.ZipFile(
        io.BytesIO((await client.get("/api/account/export", headers=user["headers"])).content)
    )
    data = json.loads(archive.read("account.json"))
    [item] = data["profile"]["imports"]
    assert item["result"]["profile"]["basics"]["name"] == "Jane Doe"
    assert archive.read(item["file"]) == RESUME_A.encode()

    assert (await client.delete("/api/account", headers=user["headers"])).status_code == 204
    assert await resources.vectors.count(PROFILE_COLLECTION, where={"owner_id": user["id"]}) == 0
    assert not (resources.settings.files_dir / user["id"]).exists()
