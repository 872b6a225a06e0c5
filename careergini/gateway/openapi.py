"""The OpenAPI document as the app really answers: its error bodies, and every status a route
may return (401, 403, 404, 413, 415, 422, 429, 503 as they apply), read from each route's
dependencies, parameters and body."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from careergini.gateway.auth.dependencies import get_access_claims
from careergini.runtime.deps import get_cache, get_rate_limiter, get_session

_SCHEMAS = "#/components/schemas/"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorBody(BaseModel):
    """Every error: the error's class name and what is wrong and how to fix it."""

    model_config = ConfigDict(extra="allow")

    error: str
    detail: str


class FieldError(BaseModel):
    path: str
    message: str
    type: str


class ValidationErrorBody(ErrorBody):
    """A 422: a request that does not match its schema (`ValidationError`, one entry in
    `fields` per wrong field), or content that cannot be used (`InvalidInput` and kin)."""

    fields: list[FieldError] = Field(default_factory=list)


class RetryErrorBody(ErrorBody):
    """Too many requests (429) or a dependency down (503): when to try again, in seconds."""

    retry_after: int | None = None
    dependency: str | None = None


_MODELS: tuple[type[BaseModel], ...] = (ErrorBody, FieldError, ValidationErrorBody, RetryErrorBody)
_WHY = {
    401: ("ErrorBody", "Not logged in, or the access token expired or was logged out."),
    403: ("ErrorBody", "A cookie-authenticated change from another site (CSRF) was refused."),
    404: ("ErrorBody", "No such resource, or it belongs to someone else."),
    413: ("ErrorBody", "The request body is over the size limit."),
    415: ("ErrorBody", "The uploaded file's type is not supported."),
    422: ("ValidationErrorBody", "The request does not match its schema, or cannot be used."),
    429: ("RetryErrorBody", "Rate limited: see `Retry-After`."),
    503: ("RetryErrorBody", "The database or the cache is unreachable: see `Retry-After`."),
}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def route_statuses(route: Any, method: str) -> set[int]:
    """Return the error statuses this route (an APIRoute, or FastAPI's context of an included
    one) can answer besides its own documented ones."""
    calls = set(_calls(route.dependant))
    statuses = {429} if not route.path_format.startswith("/api/health") else set()
    if calls & {get_session, get_cache, get_rate_limiter}:
        statuses.add(503)
    if get_access_claims in calls:
        statuses |= {401, 403} if method in _UNSAFE else {401}
    if route.dependant.path_params:
        statuses.add(404)
    if route.dependant.body_params or route.dependant.query_params or route.dependant.path_params:
        statuses.add(422)
    if method in _UNSAFE and route.dependant.body_params:
        statuses.add(413)
    return statuses


def _response(status: int) -> dict[str, Any]:
    model, why = _WHY[status]
    return {
        "description": why,
        "content": {"application/json": {"schema": {"$ref": _SCHEMAS + model}}},
    }


def _error_components() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in _MODELS:
        schema = model.model_json_schema(ref_template=_SCHEMAS + "{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """Return (and cache) the app's OpenAPI document with the real error bodies and statuses."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = document.setdefault("components", {}).setdefault("schemas", {})
    # FastAPI's own 422 shape (`detail` an array) is not what the app answers.
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    components.update(_error_components())
    # FastAPI 0.165 includes routers lazily: their routes are reached through route contexts.
    for route in routing.iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        for method in route.methods or ():
            operation = document["paths"].get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            statuses = route_statuses(route, method)
            if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                statuses.add(415)  # a file upload: its type is read from the bytes
            for status in sorted(statuses):
                if status == 422 or str(status) not in responses:
                    responses[str(status)] = _response(status)
    app.openapi_schema = document
    return document
