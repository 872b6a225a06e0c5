"""Pure ASGI middleware: request context (id, access log, metrics, last-resort 500), security
headers, request size limit and the per-IP rate limit.

Pure ASGI rather than ``BaseHTTPMiddleware`` so streamed answers (SSE) pass through untouched.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import structlog
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careergini.core.errors import DependencyUnavailable, outage_of
from careergini.core.logging import get_logger

log = get_logger("careergini.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
UNLIMITED_PREFIXES = ("/api/health", "/metrics", "/assets/", "/favicon")


async def send_json(
    send: Send, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    payload = json.dumps(body).encode()
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload})


async def _send_failure(
    send: Send, exc: Exception, dependency: str | None, request_id: str
) -> None:
    """Answer a request that raised: a 503 naming a missing dependency, else a generic 500."""
    if dependency is not None:
        outage = DependencyUnavailable(dependency)
        body = {**outage.to_body(), "request_id": request_id}
        await send_json(send, outage.status_code, body, outage.headers)
        return
    await send_json(
        send,
        500,
        {
            "error": "InternalError",
            "detail": "Something went wrong on our side. Quote this request id if you report it.",
            "request_id": request_id,
        },
    )


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    # Unmatched paths share one label so scanners cannot blow up the metrics' cardinality.
    return path or "unmatched"


class RequestContextMiddleware:
    """Give each request an id, log and measure it, and turn a crash into a generic 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        metrics = scope["app"].state.resources.metrics
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            dependency = outage_of(exc)
            if dependency is None:
                log.exception("request.unhandled_error", path=scope["path"], method=scope["method"])
            else:
                log.warning("request.dependency_down", dependency=dependency, path=scope["path"])
            if not response_started:
                await _send_failure(send_wrapper, exc, dependency, request_id)
        finally:
            metrics.in_flight.dec()
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            metrics.requests.labels(scope["method"], route, str(status)).inc()
            metrics.latency.labels(scope["method"], route).observe(elapsed)
            state = scope.get("state", {})
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                route=route,
                status=status,
                latency_ms=round(elapsed * 1000, 2),
                user_id=state.get("user_id"),
                client=(scope.get("client") or ("-",))[0],
            )


class SecurityHeadersMiddleware:
    """Security headers on every answer (the last-resort 500 too: this middleware is outermost),
    and ``Cache-Control: no-store`` on API answers to requests that carry credentials."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
            (
                b"content-security-policy",
                b"default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                b"'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                b"base-uri 'self'; form-action 'self'",
            ),
        ]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        no_store = _private_api_request(scope)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in existing]
                if no_store and b"cache-control" not in existing:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_wrapper)


def _private_api_request(scope: Scope) -> bool:
    """Say whether an API answer may hold someone's data: credentials sent, or the auth routes."""
    if not scope["path"].startswith("/api/"):
        return False
    if scope["path"].startswith("/api/auth/"):
        return True
    names = {name for name, _ in scope["headers"]}
    return b"authorization" in names or b"cookie" in names


class BodySizeLimitMiddleware:
    """Refuse bodies over the limit, whether announced by Content-Length or streamed."""

    # Not FastAPI's max_body_size: it answers a declared oversize body with a text/plain 413.

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _refusal(self) -> dict[str, Any]:
        return {
            "error": "PayloadTooLarge",
            "detail": f"The request body is over the {self.max_bytes // (1024 * 1024)} MB limit. "
            "Send a smaller file.",
            "limit_bytes": self.max_bytes,
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await send_json(send, 413, self._refusal())
            return
        received = 0
        started = False
        refused = False

        async def receive_wrapper() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not started:
                    # Answer now and tell the app the client went away, so whatever it makes
                    # of the cut-off body (FastAPI: a 400) is dropped below.
                    refused = True
                    await send_json(send, 413, self._refusal())
                    return {"type": "http.disconnect"}
            return message

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive_wrapper, send_wrapper)
        except Exception:
            if not refused:
                raise


class RateLimitMiddleware:
    """The overall per-IP budget (default 100 requests a minute); health and metrics are free."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNLIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        resources = scope["app"].state.resources
        limit = resources.settings.rate_limit_per_minute
        ip = (scope.get("client") or ("unknown",))[0]
        try:
            decision = await resources.rate_limiter.hit("ip", ip, limit=limit, window=60)
        except (RedisError, OSError):
            # Fail open: an outage of the cache must not take the whole API down with it;
            # readiness reports the outage, and login throttling fails closed on its own.
            log.warning("ratelimit.backend_down", exc_info=True)
            await self.app(scope, receive, send)
            return
        if not decision.allowed:
            resources.metrics.rate_limited.labels("ip").inc()
            await send_json(
                send,
                429,
                {
                    "error": "TooManyRequests",
                    "detail": f"More than {limit} requests a minute from your address. "
                    f"Try again in {decision.retry_after} s.",
                    "retry_after": decision.retry_after,
                },
                {"Retry-After": str(decision.retry_after)},
            )
            return
        remaining = str(max(0, limit - decision.count)).encode()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"ratelimit-limit", str(limit).encode()),
                    (b"ratelimit-remaining", remaining),
                ]
            await send(message)

        await self.app(scope, receive, send_wrapper)
