"""The published OpenAPI document describes what the app really answers."""

from __future__ import annotations

from typing import Any

import httpx
from jsonschema import Draft202012Validator

from tests.conftest import UserMaker


def _validator(document: dict[str, Any], operation: dict[str, Any], status: str) -> Any:
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    # Refs point at #/components/...: resolve them against the document's own components.
    return Draft202012Validator({**schema, "components": document["components"]})


async def test_a_422_body_matches_the_published_schema(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    operation = document["paths"]["/api/auth/register"]["post"]
    response = await client.post("/api/auth/register", json={"email": "nope", "password": "x"})
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str) and body["fields"]
    errors = list(_validator(document, operation, "422").iter_errors(body))
    assert errors == [], [e.message for e in errors]
    # FastAPI's own shape (detail as an array) is not published any more.
    assert "HTTPValidationError" not in document["components"]["schemas"]


async def test_routes_document_the_statuses_they_return(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    document = (await client.get("/openapi.json")).json()
    paths = document["paths"]
    expected = {
        ("/api/auth/register", "post"): {"409", "413", "422", "429", "503"},
        ("/api/auth/me", "get"): {"401", "429", "503"},
        ("/api/resumes/{resume_id}", "get"): {"401", "404", "422", "429", "503"},
        ("/api/resumes/{resume_id}", "patch"): {"401", "403", "404", "413", "422", "503"},
        ("/api/profile/imports", "post"): {"401", "403", "413", "415", "422", "429", "503"},
    }
    for (path, method), statuses in expected.items():
        documented = set(paths[path][method]["responses"])
        assert statuses <= documented, (path, method, statuses - documented)
    # A documented error answer matches its schema: a 404 of another user's resume, a 401.
    user = await make_user()
    missing = await client.get(
        "/api/resumes/00000000-0000-0000-0000-000000000000", headers=user["headers"]
    )
    assert missing.status_code == 404
    operation = paths["/api/resumes/{resume_id}"]["get"]
    assert list(_validator(document, operation, "404").iter_errors(missing.json())) == []
    anonymous = await client.get("/api/auth/me")
    assert anonymous.status_code == 401
    me = paths["/api/auth/me"]["get"]
    assert list(_validator(document, me, "401").iter_errors(anonymous.json())) == []
    # The outage answer's schema names the dependency and when to retry.
    retry = document["components"]["schemas"]["RetryErrorBody"]["properties"]
    assert {"retry_after", "dependency"} <= set(retry)
