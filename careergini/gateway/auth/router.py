from __future__ import annotations

import uuid
from typing import Literal, TypedDict

from fastapi import APIRouter, Request, Response, status

from careergini.config import Settings
from careergini.core.security import decode_access_token, token_digest
from careergini.gateway.auth import service as auth_service
from careergini.gateway.auth.dependencies import (
    ACCESS_COOKIE,
    REFRESH_COOKIE,
    REFRESH_COOKIE_PATH,
    CurrentUser,
    check_same_origin,
    client_ip,
)
from careergini.gateway.auth.schemas import (
    LoginRequest,
    RefreshRequest,
    SessionPublic,
    TokenResponse,
    UserCreate,
    UserPublic,
)
from careergini.gateway.auth.service import IssuedTokens
from careergini.gateway.openapi import ErrorBody
from careergini.runtime.deps import CacheDep, RateLimiterDep, SessionDep, SettingsDep

router = APIRouter(prefix="/api/auth", tags=["auth"])


class _CookieFlags(TypedDict):
    httponly: bool
    samesite: Literal["lax", "strict", "none"]
    secure: bool


def _cookie_flags(settings: Settings) -> _CookieFlags:
    return {"httponly": True, "samesite": "lax", "secure": settings.secure_cookies}


def _set_auth_cookies(response: Response, tokens: IssuedTokens, settings: Settings) -> None:
    common = _cookie_flags(settings)
    response.set_cookie(
        ACCESS_COOKIE, tokens.access_token, max_age=tokens.expires_in, path="/", **common
    )
    response.set_cookie(
        REFRESH_COOKIE,
        tokens.refresh_token,
        max_age=settings.refresh_token_days * 86400,
        path=REFRESH_COOKIE_PATH,
        **common,
    )


def _clear_auth_cookies(response: Response, settings: Settings) -> None:
    common = _cookie_flags(settings)
    response.delete_cookie(ACCESS_COOKIE, path="/", **common)
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, **common)


def _token_body(tokens: IssuedTokens) -> TokenResponse:
    return TokenResponse(access_token=tokens.access_token, expires_in=tokens.expires_in)


@router.post(
    "/register",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorBody, "description": "An account with this email exists."}},
)
async def register(body: UserCreate, session: SessionDep) -> UserPublic:
    """Create an account with an email and a password (8-128 characters)."""
    user = await auth_service.register(
        session=session, email=body.email, password=body.password, full_name=body.full_name
    )
    return UserPublic.model_validate(user)


@router.post(
    "/login",
    response_model=TokenResponse,
    responses={
        401: {"model": ErrorBody, "description": "Email or password is wrong."},
        403: {"model": ErrorBody, "description": "A browser's login from another site."},
    },
)
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    limiter: RateLimiterDep,
    settings: SettingsDep,
) -> TokenResponse:
    """Log in: returns a 15-minute access token and sets httpOnly access and refresh cookies.

    A browser's login (it sends `Sec-Fetch-Site`) must come from this site's pages (login CSRF).
    """
    check_same_origin(request, settings.cors_origins, required="sec-fetch-site" in request.headers)
    ip = client_ip(request)
    user = await auth_service.authenticate(
        session=session,
        limiter=limiter,
        settings=settings,
        email=body.email,
        password=body.password,
        ip=ip,
    )
    tokens = await auth_service.issue_tokens(
        session=session,
        settings=settings,
        user=user,
        user_agent=request.headers.get("user-agent"),
        ip=ip,
    )
    _set_auth_cookies(response, tokens, settings)
    return _token_body(tokens)


@router.post(
    "/refresh",
    response_model=TokenResponse,
    responses={
        401: {"model": ErrorBody, "description": "No, an expired or a reused refresh token."},
        403: {"model": ErrorBody, "description": "A cookie refresh from another site."},
    },
)
async def refresh(
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    body: RefreshRequest | None = None,
) -> TokenResponse:
    """Exchange the refresh token (cookie, or body for non-browser clients) for new tokens.

    Exactly one of several concurrent refreshes with one token wins; the others are a reuse.
    """
    raw = body.refresh_token if body else None
    if not raw:
        raw = request.cookies.get(REFRESH_COOKIE)
        if raw:
            check_same_origin(request, settings.cors_origins, required=True)
    _, tokens = await auth_service.rotate_refresh_token(
        session=session,
        settings=settings,
        raw_token=raw,
        user_agent=request.headers.get("user-agent"),
        ip=client_ip(request),
    )
    _set_auth_cookies(response, tokens, settings)
    return _token_body(tokens)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={403: {"model": ErrorBody, "description": "A cookie logout from another site."}},
)
async def logout(
    request: Request,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    body: RefreshRequest | None = None,
) -> Response:
    """End this login everywhere it is used: refresh family revoked, access tokens refused."""
    bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    raw_refresh = body.refresh_token if body else None
    by_cookie = ACCESS_COOKIE in request.cookies or REFRESH_COOKIE in request.cookies
    if not bearer and not raw_refresh and by_cookie:
        check_same_origin(request, settings.cors_origins, required=True)
    raw_refresh = raw_refresh or request.cookies.get(REFRESH_COOKIE)
    access = bearer or request.cookies.get(ACCESS_COOKIE)
    await auth_service.logout(
        session=session,
        cache=cache,
        raw_refresh=raw_refresh,
        access=decode_access_token(access, secret=settings.secret_key) if access else None,
    )
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    _clear_auth_cookies(response, settings)
    return response


@router.get("/me", response_model=UserPublic)
async def me(user: CurrentUser) -> UserPublic:
    """Return the account that is logged in."""
    return UserPublic.model_validate(user)


@router.get("/sessions", response_model=list[SessionPublic])
async def list_sessions(
    request: Request, user: CurrentUser, session: SessionDep
) -> list[SessionPublic]:
    """List your active logins (devices), the current one marked."""
    raw = request.cookies.get(REFRESH_COOKIE)
    current = token_digest(raw) if raw else None
    tokens = await auth_service.list_active_sessions(session=session, user_id=user.id)
    return [
        SessionPublic(
            id=t.id,
            created_at=t.created_at,
            expires_at=t.expires_at,
            user_agent=t.user_agent,
            ip=t.ip,
            current=t.token_hash == current,
        )
        for t in tokens
    ]


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_session(session_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> None:
    """Sign one of your logins out (e.g. a lost phone)."""
    await auth_service.revoke_session(session=session, user_id=user.id, token_id=session_id)
