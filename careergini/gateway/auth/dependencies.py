"""Who is calling: ``CurrentUser`` from a Bearer token or the access cookie."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import ParseResult, urlparse

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.config import Settings
from careergini.core.errors import Forbidden, NotFound, TooManyRequests, Unauthorized
from careergini.core.security import AccessClaims, decode_access_token
from careergini.gateway.auth import service as auth_service
from careergini.gateway.auth.lockout import LoginThrottle
from careergini.gateway.auth.models import User
from careergini.gateway.auth.oidc import OIDCClient
from careergini.runtime.deps import (
    CacheDep,
    RateLimiterDep,
    ResourcesDep,
    SessionDep,
    SettingsDep,
)

ACCESS_COOKIE = "cg_access"
REFRESH_COOKIE = "cg_refresh"
REFRESH_COOKIE_PATH = "/api/auth"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def client_ip(request: Request) -> str:
    """Return the caller's address (uvicorn's --proxy-headers rewrites it behind nginx)."""
    return request.client.host if request.client else "unknown"


def get_caller(request: Request) -> auth_service.Caller:
    """Return the request's address, request id and user agent, for the audit log."""
    return auth_service.Caller(
        ip=client_ip(request),
        request_id=getattr(request.state, "request_id", None),
        user_agent=request.headers.get("user-agent"),
    )


CallerDep = Annotated[auth_service.Caller, Depends(get_caller)]


def get_throttle(cache: CacheDep, limiter: RateLimiterDep, settings: SettingsDep) -> LoginThrottle:
    return LoginThrottle(cache=cache, limiter=limiter, settings=settings)


ThrottleDep = Annotated[LoginThrottle, Depends(get_throttle)]


def get_oidc_client(resources: ResourcesDep) -> OIDCClient:
    # One per app: it caches each provider's discovery document and keys.
    return resources.component_or_create(OIDCClient, lambda: OIDCClient(resources.http))


OIDCDep = Annotated[OIDCClient, Depends(get_oidc_client)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _same_host(source: ParseResult, host: str) -> bool:
    # nginx forwards `Host: $host`, without the port the browser used.
    return bool(host) and (source.netloc == host or (":" not in host and source.hostname == host))


def check_same_origin(request: Request, allowed: list[str], *, required: bool) -> None:
    """Refuse a state change another site's page may have started (CSRF), beside SameSite.

    The browser's ``Origin`` (else ``Referer``) must name this site or a configured origin;
    ``Origin: null`` (sandboxed frames, data: URLs) is refused. Without either header the
    request is refused when ``required`` (cookie-authenticated), else let through: browsers
    send ``Origin`` on every POST, so only a non-browser client sends neither.
    """
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        if required:
            raise Forbidden(
                "This request is authenticated by cookie but names no Origin or Referer: "
                "send it from the CareerGini site, or authenticate with a Bearer token."
            )
        return
    parsed = urlparse(source)
    if source != "null" and parsed.scheme in ("http", "https") and parsed.netloc:
        host = request.headers.get("host", "")
        if _same_host(parsed, host) or f"{parsed.scheme}://{parsed.netloc}" in allowed:
            return
    raise Forbidden("Cross-site request refused: this origin is not allowed to act for you.")


async def get_access_claims(
    request: Request, settings: SettingsDep, cache: CacheDep, session: SessionDep
) -> AccessClaims:
    token = _bearer(request)
    from_cookie = False
    if token is None:
        token = request.cookies.get(ACCESS_COOKIE)
        from_cookie = token is not None
    if not token:
        raise Unauthorized("Log in first: send `Authorization: Bearer <access_token>`.")
    claims = decode_access_token(token, secret=settings.secret_key)
    if claims is None:
        raise Unauthorized("The access token is invalid or expired. Refresh it or log in again.")
    if from_cookie and request.method in _UNSAFE:
        check_same_origin(request, settings.cors_origins, required=True)
    if await auth_service.is_access_revoked(session=session, cache=cache, claims=claims):
        raise Unauthorized("This session was logged out. Log in again.")
    return claims


AccessClaimsDep = Annotated[AccessClaims, Depends(get_access_claims)]


async def get_current_user(request: Request, claims: AccessClaimsDep, session: SessionDep) -> User:
    user = await auth_service.get_user(session=session, user_id=claims.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("This account no longer exists or is disabled.")
    request.state.user_id = str(user.id)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def optional_user(
    request: Request, *, settings: Settings, session: AsyncSession
) -> User | None:
    """Return the signed-in user of a browser navigation (cookie or Bearer), else None."""
    token = _bearer(request) or request.cookies.get(ACCESS_COOKIE)
    claims = decode_access_token(token, secret=settings.secret_key) if token else None
    if claims is None or claims.family_id is None:
        return None
    if await auth_service.is_family_revoked(session=session, family_id=claims.family_id):
        return None
    user = await auth_service.get_user(session=session, user_id=claims.user_id)
    return user if user is not None and user.is_active else None


async def get_admin_user(user: CurrentUser) -> User:
    if not user.is_admin:
        # Operators' endpoints are invisible to everyone else.
        raise NotFound("Not found.")
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]


async def limit_ai_calls(user: CurrentUser, limiter: RateLimiterDep, settings: SettingsDep) -> None:
    """Apply the per-user budget of AI endpoints (default 10 a minute)."""
    decision = await limiter.hit(
        "ai-user", str(user.id), limit=settings.ai_rate_limit_per_minute, window=60
    )
    if not decision.allowed:
        raise TooManyRequests(
            f"AI requests are limited to {decision.limit} a minute. "
            f"Try again in {decision.retry_after} s.",
            retry_after=decision.retry_after,
        )


AIRateLimit = Depends(limit_ai_calls)
