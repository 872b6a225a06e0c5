"""Resume versions through the HTTP API, on both stacks (with cover letters where both share
a target or an export; tests/resume/letters/ has the cover letters' own).

The model server is offline here (the default test settings point at a closed port), so these
also cover the degraded mode; tests/resume/test_llm_router.py scripts a model.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from typing import Any

import docx
import httpx
import pdfplumber
import pytest

from careergini.profile.parsers import parse_document
from careergini.resume.schemas import TEMPLATES
from tests.analysis.test_router import closed_and_bare_postings, saved_posting
from tests.conftest import UserMaker
from tests.resume.background import settled
from tests.resume.samples import (
    BACKEND_JD,
    INJECTION_JD,
    RESUME,
    rendered_text,
    user_with_profile,
)

DETERMINISTIC = {"job_description": BACKEND_JD, "llm": False}


async def tailor(client: httpx.AsyncClient, user: dict, **body: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/resumes/tailor", json={**DETERMINISTIC, **body}, headers=user["headers"]
    )
    assert response.status_code == 201, response.text
    return response.json()


async def pdf_text(client: httpx.AsyncClient, user: dict, resume_id: str) -> str:
    response = await client.get(f"/api/resumes/{resume_id}/pdf", headers=user["headers"])
    assert response.status_code == 200, response.text
    return rendered_text(response.content)


async def test_no_profile_is_a_clear_409(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    user = await make_user()
    for path in ("/api/resumes/tailor", "/api/cover-letters"):
        response = await client.post(path, json=DETERMINISTIC, headers=user["headers"])
        assert response.status_code == 409, path
        body = response.json()
        assert body["error"] == "NoProfileForResume"
        assert "Import a resume first" in body["detail"]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"template": "fancy"}, "classic, modern, compact"),
        ({"job_description": "  "}, "empty"),
        ({"job_description": None}, "exactly one"),
        ({"role_id": "esco:x"}, "exactly one"),
        ({"job_id": str(uuid.uuid4())}, "exactly one"),
        ({"job_description": None, "job_id": "job-42"}, "not a posting id"),
        ({"tone": "sarcastic"}, "tone"),
        ({"exclude_positions": ["work-nope"]}, "work-nope"),
        ({"max_bullets_per_position": 0}, "max_bullets_per_position"),
    ],
)
async def test_bad_requests_are_422(
    client: httpx.AsyncClient, make_user: UserMaker, body: dict, needle: str
) -> None:
    user = await user_with_profile(client, make_user)
    response = await client.post(
        "/api/resumes/tailor", json={**DETERMINISTIC, **body}, headers=user["headers"]
    )
    assert response.status_code == 422, response.text
    assert needle in response.text
    if "template" in body:
        assert response.json()["valid_templates"] == list(TEMPLATES)


async def test_tailor_keeps_every_position_and_reports_each_bullet(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    resume = await tailor(client, user, template="compact")
    content, report = resume["content"], resume["report"]
    assert resume["llm_used"] is False and report["llm"]["used"] is False
    assert "llm: false" in report["llm"]["note"]
    assert resume["target"] == {
        "type": "job_description",
        "title": "Senior Backend Engineer",
        "company": "Acme Payments",
        "role_id": None,
        "job_id": None,
    }
    companies = [p["company"] for p in content["positions"]]
    assert sorted(companies) == ["Acme Corp", "Globex", "Initech"]  # none silently gone
    assert all(p["included"] for p in content["positions"])
    # Compact keeps three bullets a position; the fourth is reported as dropped, with why.
    assert report["counts"]["bullets"] == 7 and report["counts"]["bullets_included"] == 6
    [dropped] = report["dropped"]
    assert dropped["kind"] == "bullet" and dropped["text"] == "Organised the office book club"
    assert "less relevant" in dropped["reason"]
    for item in report["bullets"]:
        assert item["source"] == item["output"] and item["status"] == "kept"
    assert [s["name"] for s in content["skills"][:2]] == ["Python", "FastAPI"]
    assert content["summary"]["text"].startswith("Senior Backend Engineer with")
    assert report["match_score"] is not None
    assert {k["skill_id"] for k in report["keywords"]["not_claimed"]} >= {"kubernetes", "terraform"}
    text = await pdf_text(client, user, resume["id"])
    assert "Organised the office book club" not in text
    assert "Served coffee to 300 customers a day" in text


async def test_an_offline_model_gives_the_deterministic_version_flagged(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    deterministic = await tailor(client, user)
    created = await tailor(client, user, llm=True)
    assert created["content"] == deterministic["content"]
    degraded = await settled(client, user["headers"], created, outcome="failed")
    assert "not reachable" in degraded["task"]["error"]
    llm = degraded["report"]["llm"]
    assert degraded["llm_used"] is False and llm["used"] is False and llm["degraded"] is True
    assert "deterministic version" in llm["note"] and "not reachable" in llm["note"]
    assert llm["prompt_version"] == "resume.tailor@v1" and llm["prompt_tokens_estimate"] > 0
    assert degraded["content"] == deterministic["content"]


async def test_versions_are_listed_read_deleted_and_private(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    first = await tailor(client, user)
    second = await tailor(client, user, template="modern")
    listed = (await client.get("/api/resumes", headers=user["headers"])).json()
    assert [r["id"] for r in listed] == [second["id"], first["id"]]
    assert listed[0]["template"] == "modern" and listed[0]["counts"]["positions"] == 3
    got = await client.get(f"/api/resumes/{first['id']}", headers=user["headers"])
    assert got.json() == first

    other = await make_user()
    for method, suffix in [
        ("GET", ""), ("PATCH", ""), ("DELETE", ""), ("GET", "/pdf"), ("GET", "/docx"),
        ("GET", "/json"), ("GET", "/preview"),
    ]:  # fmt: skip
        response = await client.request(
            method,
            f"/api/resumes/{first['id']}{suffix}",
            headers=other["headers"],
            json={} if method == "PATCH" else None,
        )
        assert response.status_code == 404, (method, suffix)
    assert (await client.get("/api/resumes", headers=other["headers"])).json() == []

    deleted = await client.delete(f"/api/resumes/{first['id']}", headers=user["headers"])
    assert deleted.status_code == 204
    assert (
        await client.get(f"/api/resumes/{first['id']}", headers=user["headers"])
    ).status_code == 404


async def test_a_position_is_left_out_only_by_explicit_choice(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    profile = (await client.get("/api/profile", headers=user["headers"])).json()
    cafe = next(w["key"] for w in profile["work"] if w["company"] == "Initech")
    resume = await tailor(client, user, exclude_positions=[cafe])
    dropped = resume["report"]["dropped"]
    assert {"kind": "position", "id": cafe, "text": "Cafe Assistant at Initech",
            "reason": "Left out at your request (exclude_positions)."} in dropped  # fmt: skip
    assert "Initech" not in await pdf_text(client, user, resume["id"])

    back = await client.patch(
        f"/api/resumes/{resume['id']}", json={"include_positions": [cafe]}, headers=user["headers"]
    )
    assert back.status_code == 200
    assert not [d for d in back.json()["report"]["dropped"] if d["kind"] == "position"]
    assert "Cafe Assistant at Initech" in await pdf_text(client, user, resume["id"])


async def test_patch_accepts_rejects_drops_and_checks_edits(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    resume = await tailor(client, user)
    url = f"/api/resumes/{resume['id']}"
    bullets = {b["source"]: b["id"] for b in resume["report"]["bullets"]}
    latency = bullets["Cut p99 latency by 40% with Redis caching"]
    coffee = bullets["Served coffee to 300 customers a day"]

    # An edit that adds a fact is refused, with what is unsupported, and nothing changes.
    refused = await client.patch(
        url,
        json={"bullets": [{"id": latency, "action": "edit",
                           "text": "Cut p99 latency by 60% with Redis caching at Google"}]},
        headers=user["headers"],
    )  # fmt: skip
    assert refused.status_code == 422
    body = refused.json()
    assert body["error"] == "UnsupportedFacts"
    assert any("60%" in u for u in body["unsupported"])
    assert any("Google" in u for u in body["unsupported"])
    # Said as the user sees it: the bullet's words and position, no ids or API paths.
    assert 'the bullet "Cut p99 latency by 40% with..."' in body["detail"]
    assert latency not in body["detail"] and "/api/" not in body["detail"]
    assert (
        "add this line to your position Senior Backend Engineer at Acme Corp in your profile"
        in body["detail"]
    )
    assert (await client.get(url, headers=user["headers"])).json() == resume

    edited = await client.patch(
        url,
        json={
            "bullets": [
                {"id": latency, "action": "edit",
                 "text": "Reduced p99 latency 40% by introducing Redis caching"},
                {"id": coffee, "action": "drop"},
            ],
            "summary": {"action": "edit",
                        "text": "Backend engineer at Acme Corp: FastAPI, PostgreSQL, Redis."},
            "template": "compact",
        },
        headers=user["headers"],
    )  # fmt: skip
    assert edited.status_code == 200, edited.text
    after = edited.json()
    item = next(b for b in after["report"]["bullets"] if b["id"] == latency)
    assert item["status"] == "edited" and item["output"].startswith("Reduced p99 latency 40%")
    assert after["template"] == "compact"
    assert after["report"]["summary"]["status"] == "edited"
    assert any(
        d["id"] == coffee and "your request" in d["reason"] for d in after["report"]["dropped"]
    )
    text = await pdf_text(client, user, resume["id"])
    assert "Reduced p99 latency 40%" in text and "Served coffee" not in text

    restored = await client.patch(
        url,
        json={
            "bullets": [{"id": coffee, "action": "restore"}, {"id": latency, "action": "reject"}]
        },
        headers=user["headers"],
    )
    again = restored.json()
    item = next(b for b in again["report"]["bullets"] if b["id"] == latency)
    assert item["output"] == item["source"] and item["decision"] == "rejected"
    assert not again["report"]["dropped"]

    unknown = await client.patch(
        url, json={"bullets": [{"id": "nope", "action": "accept"}]}, headers=user["headers"]
    )
    assert unknown.status_code == 422 and unknown.json()["missing"] == ["nope"]
    assert "no longer in this resume" in unknown.json()["detail"]
    bad = await client.patch(url, json={"template": "fancy"}, headers=user["headers"])
    assert bad.status_code == 422 and bad.json()["valid_templates"] == list(TEMPLATES)


async def test_a_user_adds_a_true_number_through_the_builder_flow(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    resume = await tailor(client, user)
    url = f"/api/resumes/{resume['id']}"
    latency = next(
        b["id"] for b in resume["report"]["bullets"] if b["source"].startswith("Cut p99 latency")
    )
    true_line = "Cut p99 latency by 60% with Redis caching and query batching"
    edit = {"bullets": [{"id": latency, "action": "edit", "text": true_line}]}

    refused = await client.patch(url, json=edit, headers=user["headers"])
    assert refused.status_code == 422
    body = refused.json()
    offer = body["add_to_profile"]
    # The offer names the position in words for the person, and carries what the app needs.
    assert offer["position"] == "Senior Backend Engineer at Acme Corp"
    assert offer["bullet"] == true_line and offer["section"] == "work"
    assert "Add to my profile" in body["detail"] and "/api/" not in body["detail"]
    assert body["unsupported"] == ['the percentage "60%" is not in this position in your profile']
    assert offer["position_key"] not in body["detail"] and latency not in body["detail"]

    # Accepting the offer: the line joins that position's bullets in the profile editor...
    profile = (await client.get("/api/profile", headers=user["headers"])).json()
    position = next(w for w in profile["work"] if w["key"] == offer["position_key"])
    added = await client.patch(
        "/api/profile",
        json={"work": [{"key": position["key"], "bullets": [*position["bullets"], true_line]}]},
        headers=user["headers"],
    )
    assert added.status_code == 200, added.text
    # ...and the same edit of the resume then passes, and reaches the PDF.
    passed = await client.patch(url, json=edit, headers=user["headers"])
    assert passed.status_code == 200, passed.text
    item = next(b for b in passed.json()["report"]["bullets"] if b["id"] == latency)
    assert item["status"] == "edited" and item["output"] == true_line
    assert "by 60% with Redis caching" in await pdf_text(client, user, resume["id"])

    # The number stays scoped to its position: the same line under another position fails.
    globex = next(
        b["id"] for b in resume["report"]["bullets"] if b["source"].startswith("Wrote data")
    )
    other = await client.patch(
        url,
        json={"bullets": [{"id": globex, "action": "edit", "text": true_line}]},
        headers=user["headers"],
    )
    assert other.status_code == 422
    assert other.json()["add_to_profile"]["position"] == "Software Engineer at Globex"


@pytest.mark.parametrize("template", TEMPLATES)
async def test_rendered_pdf_and_docx_read_back_through_the_importer(
    client: httpx.AsyncClient, make_user: UserMaker, template: str
) -> None:
    user = await user_with_profile(client, make_user)
    profile = (await client.get("/api/profile", headers=user["headers"])).json()
    resume = await tailor(client, user, template=template, position_order="chronological")
    expected = {
        "name": profile["basics"]["name"]["value"],
        "email": profile["basics"]["email"]["value"],
        "work": [(w["company"], w["title"], w["start"], w["end"]) for w in profile["work"]],
        "skills": sorted(s["skill_id"] or s["name"] for s in profile["skills"]),
    }
    assert expected["name"] == "Zoë Álvarez-Núñez"
    for fmt in ("pdf", "docx"):
        response = await client.get(f"/api/resumes/{resume['id']}/{fmt}", headers=user["headers"])
        assert response.status_code == 200
        assert (
            f'filename="resume-zoe-alvarez-nunez-senior-backend-engineer.{fmt}"'
            in (response.headers["content-disposition"])
        )
        parsed = parse_document(response.content, f"resume.{fmt}").profile
        date = lambda d: d and {k: d[k] for k in ("year", "month", "present")}  # noqa: E731
        got = {
            "name": parsed.basics.name,
            "email": parsed.basics.email,
            "work": [
                (w.company, w.title, w.start.model_dump(), w.end.model_dump()) for w in parsed.work
            ],
            "skills": sorted(s.skill_id or s.name for s in parsed.skills),
        }
        assert got["name"] == expected["name"] and got["email"] == expected["email"], fmt
        assert [(c, t, date(s), date(e)) for c, t, s, e in got["work"]] == [
            (c, t, date(s), date(e)) for c, t, s, e in expected["work"]
        ], fmt
        assert got["skills"] == expected["skills"], fmt


async def test_preview_docx_and_json_exports(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    resume = await tailor(client, user)
    base = f"/api/resumes/{resume['id']}"
    preview = await client.get(f"{base}/preview", headers=user["headers"])
    assert preview.status_code == 200 and preview.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in preview.headers["content-security-policy"]
    assert preview.headers["x-frame-options"] == "SAMEORIGIN"
    assert "<h2>Experience</h2>" in preview.text and 'class="classic"' in preview.text
    modern = await client.get(f"{base}/preview?template=modern", headers=user["headers"])
    assert 'class="modern"' in modern.text
    wrong = await client.get(f"{base}/pdf?template=fancy", headers=user["headers"])
    assert wrong.status_code == 422

    # The page size the user picks (Letter in the US and Canada), whatever the server's default.
    for page, points in (("Letter", (612, 792)), ("A4", (595, 842))):
        pdf = await client.get(f"{base}/pdf?page={page}", headers=user["headers"])
        with pdfplumber.open(io.BytesIO(pdf.content)) as opened_pdf:
            first = opened_pdf.pages[0]
            assert (round(first.width), round(first.height)) == points, page
        shown = await client.get(f"{base}/preview?page={page}", headers=user["headers"])
        assert f"size: {page};" in shown.text
        word = await client.get(f"{base}/docx?page={page}", headers=user["headers"])
        section = docx.Document(io.BytesIO(word.content)).sections[0]
        assert round(section.page_width.mm) == (216 if page == "Letter" else 210)
    bad_page = await client.get(f"{base}/pdf?page=A5", headers=user["headers"])
    assert bad_page.status_code == 422 and "Letter" in bad_page.text

    word = await client.get(f"{base}/docx", headers=user["headers"])
    opened = docx.Document(io.BytesIO(word.content))
    headings = [p.text for p in opened.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Summary", "Experience", "Skills", "Education"]
    assert any(p.style.name == "List Bullet" for p in opened.paragraphs)

    data = (await client.get(f"{base}/json", headers=user["headers"])).json()
    assert data["basics"]["email"] == "zoe.alvarez@example.com"
    assert data["meta"]["careergini"]["resume_id"] == resume["id"]
    assert len(data["work"]) == 3


async def test_hidden_instructions_in_a_job_change_nothing(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    plain = await tailor(client, user)
    created = await tailor(client, user, job_description=INJECTION_JD, llm=True)
    injected = await settled(client, user["headers"], created, outcome="failed")

    def facts(resume: dict) -> dict:
        # The extra paragraph moves similarity scores a little; the facts must not move.
        content = resume["content"]
        return {
            "summary": content["summary"]["text"],
            "skills": content["skills"],
            "positions": sorted((p["key"], p["included"]) for p in content["positions"]),
            "bullets": sorted(
                (b["id"], b["text"], b["included"])
                for p in content["positions"]
                for b in p["bullets"]
            ),
        }

    assert facts(injected) == facts(plain)
    text = await pdf_text(client, user, injected["id"])
    for invented in ("Google", "Staff Engineer", "PhD", "Kubernetes"):
        assert invented not in text


async def test_a_role_can_be_the_target(client: httpx.AsyncClient, make_user: UserMaker) -> None:
    user = await user_with_profile(client, make_user)
    hits = (
        await client.get("/api/roles/search?q=software developer", headers=user["headers"])
    ).json()
    resume = await tailor(client, user, job_description=None, role_id=hits[0]["id"])
    assert resume["target"]["type"] == "role" and resume["target"]["role_id"] == hits[0]["id"]
    unknown = await client.post(
        "/api/resumes/tailor", json={"role_id": "esco:nope", "llm": False}, headers=user["headers"]
    )
    assert unknown.status_code == 404


async def test_account_export_holds_resumes_and_letters(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    import json

    user = await user_with_profile(client, make_user)
    resume = await tailor(client, user)
    await client.post("/api/cover-letters", json=DETERMINISTIC, headers=user["headers"])
    export = await client.get("/api/account/export", headers=user["headers"])
    assert export.status_code == 200
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        data = json.loads(archive.read("account.json"))
    assert [r["id"] for r in data["resumes"]["resumes"]] == [resume["id"]]
    assert len(data["resumes"]["cover_letters"]) == 1


async def test_the_profile_text_is_the_only_source(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    # Same resume, one metric changed in the profile: the tailored resume follows the profile.
    user = await user_with_profile(client, make_user, RESUME.replace("40%", "35%"))
    resume = await tailor(client, user)
    text = await pdf_text(client, user, resume["id"])
    assert "35%" in text and "40%" not in text


async def test_a_saved_posting_is_the_target_of_resumes_and_letters(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    # The posting's own title and company differ from what its text says: they are used.
    posting = await saved_posting(
        client, user["headers"], title="Staff Payments Engineer", company="Hooli"
    )
    target = {
        "type": "job",
        "title": "Staff Payments Engineer",
        "company": "Hooli",
        "role_id": None,
        "job_id": posting["id"],
    }
    body = {"job_id": posting["id"], "llm": False}
    made = await client.post("/api/resumes/tailor", json=body, headers=user["headers"])
    assert made.status_code == 201, made.text
    resume = made.json()
    assert resume["target"] == target
    assert [s["name"] for s in resume["content"]["skills"][:2]] == ["Python", "FastAPI"]
    assert {k["skill_id"] for k in resume["report"]["keywords"]["not_claimed"]} >= {"kubernetes"}
    assert resume["report"]["match_score"] is not None
    listed = (await client.get("/api/resumes", headers=user["headers"])).json()
    assert [r["target"] for r in listed] == [target]

    written = await client.post(
        "/api/cover-letters", json={**body, "tone": "warm"}, headers=user["headers"]
    )
    assert written.status_code == 201, written.text
    letter = written.json()
    assert letter["target"] == target
    content = letter["content"]
    assert (content["company"], content["role_title"]) == ("Hooli", "Staff Payments Engineer")
    assert content["greeting"] == "Dear Hooli team,"
    text = " ".join(p["text"] for p in content["paragraphs"])
    assert "Staff Payments Engineer opening at Hooli" in text and "Acme Payments" not in text
    letters = (await client.get("/api/cover-letters", headers=user["headers"])).json()
    assert [c["target"]["job_id"] for c in letters] == [posting["id"]]


async def test_a_job_id_is_one_of_your_postings_closed_ones_too(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    alice = await user_with_profile(client, make_user)
    bob = await user_with_profile(client, make_user)
    posting = await saved_posting(client, alice["headers"])
    for job_id in (posting["id"], str(uuid.uuid4())):
        for path in ("/api/resumes/tailor", "/api/cover-letters"):
            response = await client.post(
                path, json={"job_id": job_id, "llm": False}, headers=bob["headers"]
            )
            assert response.status_code == 404, (path, response.text)
            assert response.json()["error"] == "JobNotFound"
    assert (await client.get("/api/resumes", headers=bob["headers"])).json() == []
    assert (await client.get("/api/cover-letters", headers=bob["headers"])).json() == []

    closed, bare = await closed_and_bare_postings(client, alice["headers"])
    letter = await client.post(
        "/api/cover-letters",
        json={"job_id": closed, "tone": "warm", "llm": False},
        headers=alice["headers"],
    )
    assert letter.status_code == 201, letter.text
    assert letter.json()["content"]["greeting"] == "Dear Initech team,"
    assert letter.json()["target"]["title"] == "Platform Engineer"
    for path in ("/api/resumes/tailor", "/api/cover-letters"):
        empty = await client.post(
            path, json={"job_id": bare, "llm": False}, headers=alice["headers"]
        )
        assert empty.status_code == 422, empty.text
        assert "no description" in empty.json()["detail"]
    assert (await client.get("/api/resumes", headers=alice["headers"])).json() == []
    assert len((await client.get("/api/cover-letters", headers=alice["headers"])).json()) == 1
