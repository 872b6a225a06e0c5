"""Sign-in providers: OpenID Connect (a generic issuer, Google) and GitHub's OAuth flow.

The browser is sent to the provider with ``state`` (bound to a signed cookie, against login
CSRF), a ``nonce`` (bound into the ID token, against replay) and a PKCE challenge (S256, against
a stolen code). On return the code is exchanged at the token endpoint, and the ID token is
checked against the provider's published keys (JWKS, by ``kid``, refetched once when a key is
unknown): signature with an asymmetric algorithm the provider announces, issuer, audience,
expiry, issue time, ``azp`` and nonce. GitHub is plain OAuth: its verified primary email comes
from its API.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, urlencode

import httpx
import jwt

from careergini.config import Settings
from careergini.core.errors import AppError, Unavailable
from careergini.core.logging import get_logger

log = get_logger(__name__)

# Asymmetric algorithms only: an HS256 token would be "signed" with the client secret, which the
# provider and this app both know, and "none" is not a signature.
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
CLOCK_LEEWAY_SECONDS = 60
METADATA_TTL_SECONDS = 3600

Kind = Literal["oidc", "github"]


class SignInFailed(AppError):
    """The provider's answer cannot sign anyone in (bad signature, wrong nonce, expired...)."""

    status_code = 401

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail, extra={"reason": reason})
        self.reason = reason


class ProviderUnavailable(Unavailable):
    def __init__(self, provider: str, what: str) -> None:
        super().__init__(
            f"The sign-in provider ({provider}) could not be reached ({what}). Try again later, "
            "or sign in with your password.",
            extra={"dependency": f"sign-in provider {provider}", "reason": "provider_unavailable"},
        )
        self.reason = "provider_unavailable"


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name: str
    kind: Kind
    client_id: str
    client_secret: str
    # OIDC: the issuer (discovery under it); GitHub: the web and API base URLs.
    issuer: str = ""
    scopes: str = "openid email profile"
    web_url: str = ""
    api_url: str = ""


@dataclass(frozen=True, slots=True)
class ProviderIdentity:
    provider: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None = None


def configured_providers(settings: Settings) -> list[Provider]:
    """Return the providers whose client id and secret are set, in button order."""
    found: list[Provider] = []
    if settings.google_client_id and settings.google_client_secret:
        found.append(
            Provider(
                id="google",
                name="Google",
                kind="oidc",
                client_id=settings.google_client_id,
                client_secret=settings.google_client_secret,
                issuer=settings.google_issuer.rstrip("/"),
            )
        )
    if settings.github_oauth_client_id and settings.github_oauth_client_secret:
        found.append(
            Provider(
                id="github",
                name="GitHub",
                kind="github",
                client_id=settings.github_oauth_client_id,
                client_secret=settings.github_oauth_client_secret,
                scopes="read:user user:email",
                web_url=settings.github_oauth_url.rstrip("/"),
                api_url=settings.github_api_url.rstrip("/"),
            )
        )
    if settings.oidc_issuer and settings.oidc_client_id:
        found.append(
            Provider(
                id="oidc",
                name=settings.oidc_name,
                kind="oidc",
                client_id=settings.oidc_client_id,
                client_secret=settings.oidc_client_secret,
                issuer=settings.oidc_issuer.rstrip("/"),
                scopes=settings.oidc_scopes,
            )
        )
    return found


def pkce_pair() -> tuple[str, str]:
    """Return a PKCE code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


class OIDCClient:
    """Talks to the providers; caches each issuer's discovery document and keys for an hour."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http
        self._metadata: dict[str, tuple[float, dict[str, Any]]] = {}
        self._jwks: dict[str, tuple[float, dict[str, Any]]] = {}

    async def _get_json(self, provider: Provider, url: str, **kwargs: Any) -> Any:
        try:
            response = await self._http.get(url, **kwargs)
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(provider.name, type(exc).__name__) from exc
        if response.status_code >= 500:
            raise ProviderUnavailable(provider.name, f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise SignInFailed(
                "provider_refused", f"{provider.name} refused the request ({response.status_code})."
            )
        try:
            return response.json()
        except ValueError as exc:
            raise ProviderUnavailable(provider.name, "not JSON") from exc

    async def metadata(self, provider: Provider) -> dict[str, Any]:
        """Return the issuer's discovery document (checked to name the same issuer)."""
        cached = self._metadata.get(provider.issuer)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        document = await self._get_json(
            provider, f"{provider.issuer}/.well-known/openid-configuration"
        )
        if not isinstance(document, dict):
            raise ProviderUnavailable(provider.name, "discovery document is not an object")
        if str(document.get("issuer", "")).rstrip("/") != provider.issuer:
            raise SignInFailed(
                "issuer_mismatch",
                f"{provider.name}'s discovery document names another issuer: check the issuer URL.",
            )
        for field in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(field), str):
                raise ProviderUnavailable(provider.name, f"discovery lacks {field}")
        self._metadata[provider.issuer] = (time.monotonic() + METADATA_TTL_SECONDS, document)
        return document

    async def _keys(self, provider: Provider, *, refresh: bool) -> dict[str, Any]:
        cached = self._jwks.get(provider.issuer)
        if cached and cached[0] > time.monotonic() and not refresh:
            return cached[1]
        metadata = await self.metadata(provider)
        keys = await self._get_json(provider, metadata["jwks_uri"])
        if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
            raise ProviderUnavailable(provider.name, "JWKS is not a key set")
        self._jwks[provider.issuer] = (time.monotonic() + METADATA_TTL_SECONDS, keys)
        return keys

    async def _signing_key(self, provider: Provider, kid: str | None, alg: str) -> jwt.PyJWK:
        for refresh in (False, True):
            keys = await self._keys(provider, refresh=refresh)
            candidates = [
                k
                for k in keys["keys"]
                if isinstance(k, dict)
                and k.get("use", "sig") == "sig"
                and (kid is None or k.get("kid") == kid)
            ]
            for candidate in candidates:
                try:
                    return jwt.PyJWK(candidate, algorithm=alg)
                except jwt.PyJWTError:
                    continue
        raise SignInFailed("unknown_key", f"{provider.name} signed the token with an unknown key.")

    async def authorization_url(
        self, provider: Provider, *, redirect_uri: str, state: str, nonce: str, challenge: str
    ) -> str:
        """Return the provider's sign-in page for this flow."""
        params = {
            "response_type": "code",
            "client_id": provider.client_id,
            "redirect_uri": redirect_uri,
            "scope": provider.scopes,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        if provider.kind == "github":
            return f"{provider.web_url}/login/oauth/authorize?{urlencode(params)}"
        params["nonce"] = nonce
        endpoint = (await self.metadata(provider))["authorization_endpoint"]
        separator = "&" if "?" in endpoint else "?"
        return f"{endpoint}{separator}{urlencode(params)}"

    async def _post_token(
        self, provider: Provider, url: str, form: dict[str, str], *, basic: bool
    ) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        if basic:
            # RFC 6749 2.3.1: each part form-encoded, then Basic.
            pair = f"{quote(provider.client_id, safe='')}:{quote(provider.client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form = {
                **form,
                "client_id": provider.client_id,
                "client_secret": provider.client_secret,
            }
        try:
            response = await self._http.post(url, data=form, headers=headers)
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(provider.name, type(exc).__name__) from exc
        if response.status_code >= 500:
            raise ProviderUnavailable(provider.name, f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise ProviderUnavailable(provider.name, "token answer is not JSON") from exc
        if response.status_code != 200 or not isinstance(body, dict) or "error" in body:
            error = body.get("error") if isinstance(body, dict) else None
            raise SignInFailed(
                "code_refused",
                f"{provider.name} refused the sign-in code ({error or response.status_code}). "
                "Start the sign-in again.",
            )
        return body

    async def finish(
        self,
        provider: Provider,
        *,
        code: str,
        redirect_uri: str,
        verifier: str,
        nonce: str,
    ) -> ProviderIdentity:
        """Exchange the code and return who signed in, checked."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        if provider.kind == "github":
            tokens = await self._post_token(
                provider, f"{provider.web_url}/login/oauth/access_token", form, basic=False
            )
            return await self._github_identity(provider, str(tokens.get("access_token", "")))
        metadata = await self.metadata(provider)
        methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        tokens = await self._post_token(
            provider,
            metadata["token_endpoint"],
            form,
            basic="client_secret_basic" in methods,
        )
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise SignInFailed("no_id_token", f"{provider.name} sent no ID token.")
        claims = await self.verify_id_token(provider, id_token, nonce=nonce)
        email = claims.get("email")
        verified = _truthy(claims.get("email_verified"))
        if not email and isinstance(metadata.get("userinfo_endpoint"), str):
            info = await self._get_json(
                provider,
                metadata["userinfo_endpoint"],
                headers={"Authorization": f"Bearer {tokens.get('access_token', '')}"},
            )
            if isinstance(info, dict) and info.get("sub") == claims["sub"]:
                email = info.get("email")
                verified = _truthy(info.get("email_verified"))
        return ProviderIdentity(
            provider=provider.id,
            subject=str(claims["sub"]),
            email=str(email).strip().lower() if email else None,
            email_verified=verified,
            name=str(claims["name"])[:200] if claims.get("name") else None,
        )

    async def verify_id_token(
        self, provider: Provider, id_token: str, *, nonce: str
    ) -> dict[str, Any]:
        """Return the ID token's claims once its signature, issuer, audience, times and nonce
        are checked; otherwise SignInFailed with the reason."""
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise SignInFailed("malformed_token", "The ID token is malformed.") from exc
        alg = header.get("alg")
        metadata = await self.metadata(provider)
        announced = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        if alg not in ALLOWED_ALGORITHMS or alg not in announced:
            raise SignInFailed("bad_algorithm", f"The ID token's algorithm {alg!r} is refused.")
        key = await self._signing_key(provider, header.get("kid"), alg)
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key=key.key,
                algorithms=[alg],
                audience=provider.client_id,
                issuer=metadata["issuer"],
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidSignatureError as exc:
            raise SignInFailed("bad_signature", "The ID token's signature is invalid.") from exc
        except jwt.ExpiredSignatureError as exc:
            raise SignInFailed("expired", "The ID token has expired. Sign in again.") from exc
        except jwt.InvalidAudienceError as exc:
            raise SignInFailed("wrong_audience", "The ID token is for another client.") from exc
        except jwt.InvalidIssuerError as exc:
            raise SignInFailed("wrong_issuer", "The ID token is from another issuer.") from exc
        except jwt.ImmatureSignatureError as exc:
            raise SignInFailed("not_yet_valid", "The ID token is not valid yet.") from exc
        except jwt.PyJWTError as exc:
            raise SignInFailed("invalid_token", f"The ID token is invalid ({exc}).") from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != provider.client_id:
            raise SignInFailed("wrong_audience", "The ID token was issued to another party.")
        if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise SignInFailed("wrong_nonce", "The ID token's nonce does not match this sign-in.")
        return claims

    async def _github_identity(self, provider: Provider, access_token: str) -> ProviderIdentity:
        headers = {
            "Authorization": f"Bearer {access_token}",
            "Accept": "application/vnd.github+json",
        }
        user = await self._get_json(provider, f"{provider.api_url}/user", headers=headers)
        emails = await self._get_json(provider, f"{provider.api_url}/user/emails", headers=headers)
        if not isinstance(user, dict) or "id" not in user or not isinstance(emails, list):
            raise ProviderUnavailable(provider.name, "unexpected user answer")
        primary = next(
            (e for e in emails if isinstance(e, dict) and e.get("primary") and e.get("email")),
            None,
        )
        return ProviderIdentity(
            provider=provider.id,
            subject=str(user["id"]),
            email=str(primary["email"]).strip().lower() if primary else None,
            email_verified=bool(primary and primary.get("verified") is True),
            name=str(user.get("name") or user.get("login") or "")[:200] or None,
        )


FLOW_SECONDS = 600


def seal_state(payload: dict[str, Any], *, secret: str, purpose: str) -> str:
    """Return a signed, short-lived cookie value holding a sign-in flow's secrets."""
    now = int(time.time())
    claims = {**payload, "purpose": purpose, "iat": now, "exp": now + FLOW_SECONDS}
    return jwt.encode(claims, secret, algorithm="HS256")


def open_state(value: str | None, *, secret: str, purpose: str) -> dict[str, Any] | None:
    """Return a sealed flow's payload, or None if missing, forged, expired or for another use."""
    if not value:
        return None
    try:
        claims: dict[str, Any] = jwt.decode(value, secret, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    return claims if claims.get("purpose") == purpose else None
