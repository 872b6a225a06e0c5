"""NUL characters and nulls (issue 16): a NUL in a field a user sends is a 422 naming the field
on both databases (PostgreSQL cannot store one; SQLite could), a NUL inside an uploaded file is
dropped, and ``null`` for an optional field that cannot be empty is a 422, never a 500."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from careergini.core.text import NoNulModel, find_nul, refuse_nul, strip_nul
from tests.conftest import UserMaker
from tests.resume.samples import RESUME, user_with_profile

NUL = "\x00"


def refused(response: httpx.Response, path: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert any(f["path"] == path for f in body["fields"]), body
    assert "NUL character" in body["detail"] and path in body["detail"]


@pytest.mark.parametrize(
    ("method", "url", "body", "path"),
    [
        ("POST", "/api/chat/threads", {"title": f"Plans{NUL}"}, "body.title"),
        ("POST", "/api/jobs", {"text": f"Backend engineer{NUL} Python"}, "body.text"),
        ("POST", "/api/jobs/parse", {"text": f"Backend{NUL} engineer"}, "body.text"),
        ("POST", "/api/applications", {"external": {"title": f"A{NUL}"}}, "body.external.title"),
        (
            "POST",
            "/api/applications",
            {"external": {"title": "Backend"}, "notes": f"call{NUL}back"},
            "body.notes",
        ),
        ("PATCH", "/api/profile", {"summary": f"Engineer{NUL}"}, "body.summary"),
        ("PATCH", "/api/profile", {"skills_add": ["Go", f"Rust{NUL}"]}, "body.skills_add"),
        ("PATCH", "/api/profile", {"basics": {"name": f"Jane{NUL}"}}, "body.basics"),
        (
            "POST",
            "/api/interview/stories",
            {"title": "T", "situation": f"S{NUL}", "action": "A"},
            "body.situation",
        ),
        (
            "POST",
            "/api/resumes/tailor",
            {"job_description": f"Python{NUL} engineer", "llm": False},
            "body.job_description",
        ),
    ],
)
async def test_a_nul_in_a_sent_field_is_a_422_naming_it(
    client: httpx.AsyncClient,
    make_user: UserMaker,
    method: str,
    url: str,
    body: dict[str, Any],
    path: str,
) -> None:
    headers = (await make_user())["headers"]
    refused(await client.request(method, url, json=body, headers=headers), path)


async def test_the_same_requests_without_the_nul_are_stored(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    thread = await client.post("/api/chat/threads", json={"title": "Plans"}, headers=headers)
    assert thread.status_code == 201, thread.text
    app = await client.post(
        "/api/applications",
        json={"external": {"title": "Backend"}, "notes": "call back"},
        headers=headers,
    )
    assert app.status_code == 201, app.text
    notes = await client.patch(
        f"/api/applications/{app.json()['id']}", json={"notes": f"x{NUL}"}, headers=headers
    )
    refused(notes, "body.notes")
    assert (await client.get(f"/api/applications/{app.json()['id']}", headers=headers)).json()[
        "notes"
    ] == "call back"


async def test_a_nul_inside_an_uploaded_resume_is_dropped(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    resume = {
        "basics": {"name": "Jane Doe", "email": "jane@example.com", "summary": f"Back{NUL}end"},
        "work": [
            {
                "name": f"Acme{NUL} Corp",
                "position": "Engineer",
                "startDate": "2020-01",
                "highlights": [f"Built{NUL} APIs in Python"],
            }
        ],
    }
    files = {"file": ("resume.json", json.dumps(resume).encode(), "application/json")}
    created = await client.post("/api/profile/imports", files=files, headers=headers)
    assert created.status_code == 201, created.text
    assert find_nul(created.json()) is None
    profile = (await client.get("/api/profile", headers=headers)).json()
    assert find_nul(profile) is None
    assert [w["company"] for w in profile["work"]] == ["Acme Corp"]


async def test_null_for_a_profile_flag_is_a_422_not_a_500(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await user_with_profile(client, make_user)
    headers = user["headers"]
    profile = (await client.get("/api/profile", headers=headers)).json()
    work_key = profile["work"][0]["key"]
    education_key = profile["education"][0]["key"]
    for body, path in [
        ({"work": [{"key": work_key, "current": None}]}, "body.work.0.current"),
        ({"work": [{"key": work_key, "hidden": None}]}, "body.work.0.hidden"),
        ({"education": [{"key": education_key, "hidden": None}]}, "body.education.0.hidden"),
        ({"work": [{"company": "New Co", "title": "Dev", "current": None}]}, "body.work.0.current"),
    ]:
        response = await client.patch("/api/profile", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert any(f["path"] == path for f in response.json()["fields"]), response.json()
        assert "may not be null" in response.json()["detail"]
    # Leaving a flag out, or sending a value, works; null still clears a text field.
    hidden = await client.patch(
        "/api/profile",
        json={"work": [{"key": work_key, "hidden": True, "location": None}]},
        headers=headers,
    )
    assert hidden.status_code == 200, hidden.text
    entry = next(w for w in hidden.json()["work"] if w["key"] == work_key)
    assert entry["hidden"] is True


async def test_null_for_a_story_field_that_cannot_be_empty_is_a_422(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    story = await client.post(
        "/api/interview/stories",
        json={"title": "Outage", "situation": "S", "action": "A", "result": "R"},
        headers=headers,
    )
    assert story.status_code == 201, story.text
    url = f"/api/interview/stories/{story.json()['id']}"
    for name in ("title", "situation", "action"):
        response = await client.patch(url, json={name: None}, headers=headers)
        assert response.status_code == 422, (name, response.text)
        assert any(f["path"] == f"body.{name}" for f in response.json()["fields"])
    cleared = await client.patch(url, json={"result": None, "task": None}, headers=headers)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["result"] is None and cleared.json()["title"] == "Outage"


def test_the_shared_helpers() -> None:
    class Inner(NoNulModel):
        name: str = ""

    class Outer(NoNulModel):
        items: list[Inner] = []
        tags: dict[str, list[str]] = {}

    with pytest.raises(ValueError, match=r"NUL character.*at b\[1\]"):
        Outer.model_validate({"tags": {"a": ["x"], "b": ["y", f"z{NUL}"]}})
    with pytest.raises(ValueError, match="NUL character") as caught:
        Outer.model_validate({"items": [{"name": "a"}, {"name": f"b{NUL}"}]})
    assert "items.1.name" in str(caught.value).replace("\n", ".").replace(" ", "")
    assert refuse_nul(["a", {"b": "c"}]) == ["a", {"b": "c"}]
    assert strip_nul({f"k{NUL}": [f"a{NUL}b", (f"{NUL}",)], "n": 1}) == {"k": ["ab", ("",)], "n": 1}
    assert find_nul({"a": [1, {"b": f"{NUL}"}]}) == ".a[1].b"


async def test_a_nul_in_an_uploaded_file_name_is_dropped(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    headers = (await make_user())["headers"]
    body = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="cv\x00.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + RESUME.encode() + b"\r\n--B--\r\n"
    )
    created = await client.post(
        "/api/profile/imports",
        content=body,
        headers={**headers, "Content-Type": "multipart/form-data; boundary=B"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["filename"] == "cv.txt"


async def test_a_nul_in_the_account_forms_is_a_422_naming_it(client: httpx.AsyncClient) -> None:
    # Before any login: a NUL in a name or password was a 500 on PostgreSQL (stored on SQLite).
    register = {"email": "nul@example.com", "password": "a long enough password"}
    refused(
        await client.post("/api/auth/register", json={**register, "full_name": f"Ann{NUL}"}),
        "body.full_name",
    )
    refused(
        await client.post("/api/auth/register", json={**register, "password": f"long{NUL}pass"}),
        "body.password",
    )
    refused(
        await client.post("/api/auth/login", json={**register, "password": f"x{NUL}"}),
        "body.password",
    )
    assert (await client.post("/api/auth/register", json=register)).status_code == 201
