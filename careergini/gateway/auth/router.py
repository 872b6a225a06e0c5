from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal, TypedDict
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from careergini.config import Settings
from careergini.core.errors import AppError
from careergini.core.security import decode_access_token, token_digest
from careergini.gateway.auth import service as auth_service
from careergini.gateway.auth.dependencies import (
    ACCESS_COOKIE,
    REFRESH_COOKIE,
    REFRESH_COOKIE_PATH,
    AccessClaimsDep,
    CallerDep,
    CurrentUser,
    OIDCDep,
    ThrottleDep,
    check_same_origin,
    optional_user,
)
from careergini.gateway.auth.schemas import (
    CodeRequest,
    IdentityPublic,
    LinkConfirm,
    LoginRequest,
    PasswordChange,
    PendingLink,
    ProviderPublic,
    RecoveryCodes,
    RefreshRequest,
    SessionPublic,
    TokenResponse,
    TotpSetupPublic,
    TwoFactorStatus,
    UserCreate,
    UserPublic,
)
from careergini.gateway.auth.service import IssuedTokens
from careergini.gateway.openapi import ErrorBody
from careergini.runtime.deps import CacheDep, MailerDep, SessionDep, SettingsDep

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
async def register(body: UserCreate, session: SessionDep, caller: CallerDep) -> UserPublic:
    """Create an account with an email and a password (8-128 characters).

    The first account of a fresh install is an admin.
    """
    user = await auth_service.register(
        session=session,
        email=body.email,
        password=body.password,
        full_name=body.full_name,
        caller=caller,
    )
    return UserPublic.of(user)


@router.post(
    "/login",
    response_model=TokenResponse,
    responses={
        401: {
            "model": ErrorBody,
            "description": "Email or password is wrong; or the account's second factor is "
            "needed (TwoFactorRequired) or wrong (InvalidSecondFactor).",
        },
        403: {"model": ErrorBody, "description": "A browser's login from another site."},
        429: {"model": ErrorBody, "description": "This address must wait, or is locked out."},
    },
)
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    throttle: ThrottleDep,
    mailer: MailerDep,
    cache: CacheDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> TokenResponse:
    """Log in: returns a 15-minute access token and sets httpOnly access and refresh cookies.

    An account with two-factor sign-in answers 401 `TwoFactorRequired` until `otp` holds a code.
    Failures slow down, then lock out, the address trying that account (not the account).
    A browser's login (it sends `Sec-Fetch-Site`) must come from this site's pages (login CSRF).
    """
    check_same_origin(request, settings.cors_origins, required="sec-fetch-site" in request.headers)
    user = await auth_service.authenticate(
        session=session,
        throttle=throttle,
        mailer=mailer,
        cache=cache,
        settings=settings,
        email=body.email,
        password=body.password,
        otp=body.otp,
        caller=caller,
    )
    tokens = await auth_service.issue_tokens(
        session=session, settings=settings, user=user, user_agent=caller.user_agent, ip=caller.ip
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
    caller: CallerDep,
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
        caller=caller,
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
    caller: CallerDep,
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
        caller=caller,
    )
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    _clear_auth_cookies(response, settings)
    return response


@router.get("/me", response_model=UserPublic)
async def me(user: CurrentUser) -> UserPublic:
    """Return the account that is logged in."""
    return UserPublic.of(user)


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
async def revoke_session(
    session_id: uuid.UUID, user: CurrentUser, session: SessionDep, caller: CallerDep
) -> None:
    """Sign one of your logins out (e.g. a lost phone)."""
    await auth_service.revoke_session(
        session=session, user_id=user.id, token_id=session_id, caller=caller
    )


@router.get("/unlock", response_class=RedirectResponse, status_code=303)
async def unlock(
    session: SessionDep,
    throttle: ThrottleDep,
    caller: CallerDep,
    token: Annotated[str, Query(min_length=10, max_length=200)],
) -> RedirectResponse:
    """Lift a lock-out with the link emailed to the account; lands on the login page."""
    done = await auth_service.unlock(session=session, throttle=throttle, token=token, caller=caller)
    return RedirectResponse(f"/login?unlocked={'1' if done else '0'}", status_code=303)


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        401: {"model": ErrorBody, "description": "The current password or code is wrong."},
    },
)
async def change_password(
    body: PasswordChange,
    user: CurrentUser,
    claims: AccessClaimsDep,
    session: SessionDep,
    throttle: ThrottleDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> None:
    """Change (or, for an account made through a provider, set) your password.

    Every other login of the account is signed out.
    """
    await auth_service.change_password(
        session=session,
        throttle=throttle,
        settings=settings,
        user=user,
        current_password=body.current_password,
        new_password=body.new_password,
        otp=body.otp,
        family_id=claims.family_id,
        caller=caller,
    )


# --- two-factor sign-in -------------------------------------------------------------------------


@router.get("/2fa", response_model=TwoFactorStatus)
async def two_factor_status(user: CurrentUser, session: SessionDep) -> TwoFactorStatus:
    """Say whether two-factor sign-in is on, and how many recovery codes are left."""
    left = await auth_service.recovery_codes_left(session=session, user=user)
    return TwoFactorStatus(enabled=user.totp_enabled_at is not None, recovery_codes_left=left)


_TWO_FACTOR_STATE: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "Two-factor is on (or off) already."}
}


@router.post("/2fa/setup", response_model=TotpSetupPublic, responses=_TWO_FACTOR_STATE)
async def start_two_factor(
    user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> TotpSetupPublic:
    """Make a new authenticator secret (QR code and text); confirm it with /2fa/enable."""
    setup = await auth_service.start_totp(session=session, settings=settings, user=user)
    return TotpSetupPublic(secret=setup.secret, otpauth_uri=setup.uri, qr_svg=setup.qr_svg)


@router.post("/2fa/enable", response_model=RecoveryCodes, responses=_TWO_FACTOR_STATE)
async def enable_two_factor(
    body: CodeRequest,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> RecoveryCodes:
    """Turn two-factor sign-in on with a current code; returns the recovery codes (once)."""
    codes = await auth_service.enable_totp(
        session=session, settings=settings, user=user, code=body.code, caller=caller
    )
    return RecoveryCodes(recovery_codes=codes)


@router.post("/2fa/disable", status_code=status.HTTP_204_NO_CONTENT, responses=_TWO_FACTOR_STATE)
async def disable_two_factor(
    body: CodeRequest,
    user: CurrentUser,
    session: SessionDep,
    throttle: ThrottleDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> None:
    """Turn two-factor sign-in off with a current code or a recovery code."""
    await auth_service.disable_totp(
        session=session,
        throttle=throttle,
        settings=settings,
        user=user,
        code=body.code,
        caller=caller,
    )


@router.post("/2fa/recovery-codes", response_model=RecoveryCodes, responses=_TWO_FACTOR_STATE)
async def new_recovery_codes(
    body: CodeRequest,
    user: CurrentUser,
    session: SessionDep,
    throttle: ThrottleDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> RecoveryCodes:
    """Replace your recovery codes (the old ones stop working)."""
    codes = await auth_service.regenerate_recovery_codes(
        session=session,
        throttle=throttle,
        settings=settings,
        user=user,
        code=body.code,
        caller=caller,
    )
    return RecoveryCodes(recovery_codes=codes)


# --- sign-in providers (OpenID Connect, GitHub) -------------------------------------------------

FLOW_COOKIE = "cg_oidc"
FLOW_COOKIE_PATH = "/api/auth/oidc"
LINK_COOKIE = "cg_link"


@router.get("/providers", response_model=list[ProviderPublic])
async def list_providers(settings: SettingsDep) -> list[ProviderPublic]:
    """List the sign-in providers configured on this server (the login page's buttons)."""
    return [
        ProviderPublic(id=p.id, name=p.name, start_url=f"/api/auth/oidc/{p.id}/start")
        for p in auth_service.providers(settings=settings)
    ]


@router.get(
    "/oidc/{provider_id}/start",
    response_class=RedirectResponse,
    status_code=303,
    responses={
        401: {"model": ErrorBody, "description": "The provider's discovery answer is unusable."},
        404: {"model": ErrorBody, "description": "No such provider is configured."},
    },
)
async def start_provider_sign_in(
    provider_id: str,
    request: Request,
    settings: SettingsDep,
    client: OIDCDep,
    session: SessionDep,
    next: Annotated[str | None, Query(max_length=500)] = None,
    link: bool = False,
) -> RedirectResponse:
    """Send the browser to the provider; `link=true` (signed in) links it to your account."""
    link_user = await optional_user(request, settings=settings, session=session) if link else None
    if link and link_user is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    url, sealed = await auth_service.begin_provider_sign_in(
        client=client,
        settings=settings,
        provider_id=provider_id,
        next_path=next,
        link_user_id=link_user.id if link_user else None,
    )
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        FLOW_COOKIE, sealed, max_age=600, path=FLOW_COOKIE_PATH, **_cookie_flags(settings)
    )
    return response


@router.get("/oidc/{provider_id}/callback", response_class=RedirectResponse, status_code=303)
async def finish_provider_sign_in(
    provider_id: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    client: OIDCDep,
    caller: CallerDep,
    code: Annotated[str | None, Query(max_length=2000)] = None,
    state: Annotated[str | None, Query(max_length=200)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> RedirectResponse:
    """Where the provider sends the browser back: signs in (cookies), links, or asks to confirm.

    Failures land on the login page with `sso_error` saying why.
    """
    current = await optional_user(request, settings=settings, session=session)
    try:
        outcome = await auth_service.finish_provider_sign_in(
            session=session,
            client=client,
            settings=settings,
            provider_id=provider_id,
            code=code,
            state=state,
            error=error,
            sealed_flow=request.cookies.get(FLOW_COOKIE),
            current_user=current,
            caller=caller,
        )
    except AppError as exc:
        response = RedirectResponse(
            "/login?" + urlencode({"sso_error": exc.detail}), status_code=303
        )
        response.delete_cookie(FLOW_COOKIE, path=FLOW_COOKIE_PATH)
        return response
    if outcome.pending_link is not None:
        response = RedirectResponse("/login?link=1", status_code=303)
        response.set_cookie(
            LINK_COOKIE,
            outcome.pending_link,
            max_age=600,
            path=REFRESH_COOKIE_PATH,
            **_cookie_flags(settings),
        )
    elif outcome.linked:
        response = RedirectResponse("/account?linked=" + provider_id, status_code=303)
    else:
        assert outcome.user is not None
        response = RedirectResponse(outcome.next_path, status_code=303)
        tokens = await auth_service.issue_tokens(
            session=session,
            settings=settings,
            user=outcome.user,
            user_agent=caller.user_agent,
            ip=caller.ip,
        )
        _set_auth_cookies(response, tokens, settings)
    response.delete_cookie(FLOW_COOKIE, path=FLOW_COOKIE_PATH)
    return response


@router.get(
    "/oidc/pending",
    response_model=PendingLink,
    responses={404: {"model": ErrorBody, "description": "Nothing waits to be linked."}},
)
async def pending_link(request: Request, settings: SettingsDep) -> PendingLink:
    """Show the provider account waiting to be linked to an existing account (by email)."""
    link = auth_service.pending_link(settings=settings, sealed=request.cookies.get(LINK_COOKIE))
    return PendingLink.model_validate(link)


@router.post(
    "/oidc/link",
    response_model=TokenResponse,
    responses={
        401: {"model": ErrorBody, "description": "The password (or second factor) is wrong."},
        403: {"model": ErrorBody, "description": "Sent from another site (CSRF)."},
        404: {"model": ErrorBody, "description": "Nothing waits to be linked."},
        409: {"model": ErrorBody, "description": "No password, or linked to another account."},
    },
)
async def confirm_link(
    body: LinkConfirm,
    request: Request,
    response: Response,
    session: SessionDep,
    throttle: ThrottleDep,
    mailer: MailerDep,
    cache: CacheDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> TokenResponse:
    """Consent to link the waiting provider account: sign in with the account's password."""
    check_same_origin(request, settings.cors_origins, required=True)
    user = await auth_service.confirm_pending_link(
        session=session,
        throttle=throttle,
        mailer=mailer,
        cache=cache,
        settings=settings,
        sealed=request.cookies.get(LINK_COOKIE),
        password=body.password,
        otp=body.otp,
        caller=caller,
    )
    tokens = await auth_service.issue_tokens(
        session=session, settings=settings, user=user, user_agent=caller.user_agent, ip=caller.ip
    )
    _set_auth_cookies(response, tokens, settings)
    response.delete_cookie(LINK_COOKIE, path=REFRESH_COOKIE_PATH)
    return _token_body(tokens)


@router.get("/identities", response_model=list[IdentityPublic])
async def list_identities(user: CurrentUser, session: SessionDep) -> list[IdentityPublic]:
    """List the provider accounts linked to yours."""
    found = await auth_service.list_identities(session=session, user_id=user.id)
    return [IdentityPublic.model_validate(i) for i in found]


@router.delete(
    "/identities/{identity_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={409: {"model": ErrorBody, "description": "Your only way to sign in."}},
)
async def unlink_identity(
    identity_id: uuid.UUID, user: CurrentUser, session: SessionDep, caller: CallerDep
) -> None:
    """Unlink a provider account (not your only way to sign in)."""
    await auth_service.unlink_identity(
        session=session, user=user, identity_id=identity_id, caller=caller
    )
