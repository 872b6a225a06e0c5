"""The skills service and its routes, on a bare app that renders AppError like the real one."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from careergini.core.errors import AppError, InvalidInput
from careergini.skills import service as skills_service
from careergini.skills.router import router


def test_search_skills() -> None:
    assert [s.id for s in skills_service.search_skills(q="postg", limit=1)] == ["postgresql"]
    assert skills_service.get_skill(skill_id="python").name == "Python"
    assert skills_service.get_skill(skill_id="nope") is None


def test_extract() -> None:
    mentions = skills_service.extract(text="Python and Go services on k8s")
    assert [m.skill_id for m in mentions] == ["python", "go", "kubernetes"]


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_extract_rejects_empty_text(text: str) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        skills_service.extract(text=text)


def test_extract_rejects_too_long_text() -> None:
    with pytest.raises(InvalidInput, match="50,000"):
        skills_service.extract(text="x" * 50_001)


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        return JSONResponse(exc.to_body(), status_code=exc.status_code)

    return TestClient(app)


def test_search_route(client: TestClient) -> None:
    response = client.get("/api/skills/search", params={"q": "kube", "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["skills"]) <= 3
    first = body["skills"][0]
    assert first["id"] == "kubernetes" and first["hot"] is True
    assert "k8s" in first["aliases"]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "x" * 101}, {"q": "py", "limit": 0}, {"q": "py", "limit": 51}],
)
def test_search_route_validates(client: TestClient, params: dict[str, object]) -> None:
    assert client.get("/api/skills/search", params=params).status_code == 422


def test_extract_route(client: TestClient) -> None:
    text = "Built REST APIs in C# and .NET; deployed with CI/CD."
    response = client.post("/api/skills/extract", json={"text": text})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [(s["skill_id"], s["surface"]) for s in body["skills"]] == [
        ("rest", "REST APIs"),
        ("csharp", "C#"),
        ("dotnet", ".NET"),
        ("ci-cd", "CI/CD"),
    ]
    for s in body["skills"]:
        assert text[s["start"] : s["end"]] == s["surface"]
        assert s["name"] and s["category"]


def test_extract_route_errors(client: TestClient) -> None:
    empty = client.post("/api/skills/extract", json={"text": "   "})
    assert empty.status_code == 422
    assert empty.json()["error"] == "InvalidInput"
    assert "text" in empty.json()["detail"]
    too_long = client.post("/api/skills/extract", json={"text": "a" * 50_001})
    assert too_long.status_code == 422
    assert client.post("/api/skills/extract", json={}).status_code == 422
