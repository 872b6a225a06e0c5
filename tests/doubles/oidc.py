"""An OpenID Connect provider (and GitHub's OAuth endpoints) on 127.0.0.1, over real HTTP.

It publishes a discovery document and a JWKS, shows no login page (``/authorize`` signs in the
scripted ``person`` at once and redirects back with a code, as a provider does after its login),
checks the token request as a provider does (client authentication, the code, its redirect URI,
the PKCE verifier against the S256 challenge) and answers with an ID token signed RS256 by its
own key (PyJWT + cryptography). ``tamper`` makes the next ID token wrong in one way: signed by
another key, a wrong nonce, expired, or for another audience.

With ``github=True`` it also speaks GitHub's OAuth flow: ``/login/oauth/authorize``,
``/login/oauth/access_token`` (JSON when asked, errors as 200 + ``error`` as GitHub does), and
the API's ``/user`` and ``/user/emails``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class Person:
    subject: str = "248289761001"
    email: str | None = "jane@example.org"
    email_verified: bool = True
    name: str = "Jane Doe"


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    challenge: str | None
    person: Person


def _rsa_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class OIDCDouble:
    client_id: str = "careergini-test"
    client_secret: str = "s3cret-for-tests"
    github: bool = False
    person: Person = field(default_factory=Person)
    # "bad_signature" | "wrong_nonce" | "expired" | "wrong_audience" | "hs256" | "none" | None
    tamper: str | None = None
    requests: list[tuple[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._key = _rsa_key()
        self._other_key = _rsa_key()
        self.kid = "key-" + secrets.token_hex(4)
        self._grants: dict[str, Grant] = {}
        self._tokens: dict[str, Person] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> OIDCDouble:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- documents ------------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "sub": grant.person.subject,
            "aud": grant.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            "name": grant.person.name,
        }
        if grant.person.email is not None:
            claims["email"] = grant.person.email
            claims["email_verified"] = grant.person.email_verified
        key = self._key
        if self.tamper == "bad_signature":
            key = self._other_key
        elif self.tamper == "wrong_nonce":
            claims["nonce"] = "not-the-nonce-of-this-sign-in"
        elif self.tamper == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif self.tamper == "wrong_audience":
            claims["aud"] = "another-client"
        elif self.tamper == "hs256":
            # "Signed" with the client secret, which the client knows too: never accepted.
            return jwt.encode(
                claims, self.client_secret, algorithm="HS256", headers={"kid": self.kid}
            )
        elif self.tamper == "none":
            return jwt.encode(claims, None, algorithm="none", headers={"kid": self.kid})
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    # --- the HTTP side --------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                payload = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with double._lock:
                    double.requests.append(("GET", parts.path))
                if parts.path == "/.well-known/openid-configuration":
                    self._send(200, double.discovery())
                elif parts.path == "/jwks":
                    self._send(200, double.jwks())
                elif parts.path in ("/authorize", "/login/oauth/authorize"):
                    self._authorize(query)
                elif parts.path in ("/userinfo", "/user", "/user/emails"):
                    self._user(parts.path)
                else:
                    self._send(404, {"error": "not_found"})

            def _authorize(self, query: dict[str, str]) -> None:
                if query.get("client_id") != double.client_id:
                    self._send(400, {"error": "invalid_client"})
                    return
                code = secrets.token_urlsafe(16)
                with double._lock:
                    double._grants[code] = Grant(
                        client_id=query["client_id"],
                        redirect_uri=query["redirect_uri"],
                        nonce=query.get("nonce"),
                        challenge=query.get("code_challenge"),
                        person=double.person,
                    )
                back = urlencode({"code": code, "state": query.get("state", "")})
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{back}")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                with double._lock:
                    double.requests.append(("POST", parts.path))
                    double.token_requests.append(
                        {
                            "path": parts.path,
                            "form": form,
                            "auth": self.headers.get("Authorization"),
                        }
                    )
                if parts.path == "/token":
                    self._token(form, github=False)
                elif parts.path == "/login/oauth/access_token":
                    self._token(form, github=True)
                else:
                    self._send(404, {"error": "not_found"})

            def _client_ok(self, form: dict[str, str], github: bool) -> bool:
                if github:
                    return (form.get("client_id"), form.get("client_secret")) == (
                        double.client_id,
                        double.client_secret,
                    )
                header = self.headers.get("Authorization", "")
                if not header.startswith("Basic "):
                    return False
                pair = base64.b64decode(header[6:]).decode()
                return pair == f"{double.client_id}:{double.client_secret}"

            def _token(self, form: dict[str, str], *, github: bool) -> None:
                # GitHub answers its errors with 200 and an "error" field.
                error_status = 200 if github else 400
                if not self._client_ok(form, github):
                    self._send(401 if not github else 200, {"error": "invalid_client"})
                    return
                with double._lock:
                    grant = double._grants.pop(form.get("code", ""), None)
                if grant is None or grant.redirect_uri != form.get("redirect_uri"):
                    self._send(error_status, {"error": "invalid_grant"})
                    return
                verifier = form.get("code_verifier", "")
                digest = hashlib.sha256(verifier.encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if grant.challenge is None or challenge != grant.challenge:
                    self._send(error_status, {"error": "invalid_grant", "detail": "PKCE"})
                    return
                access = secrets.token_urlsafe(16)
                with double._lock:
                    double._tokens[access] = grant.person
                if github:
                    self._send(200, {"access_token": access, "token_type": "bearer", "scope": ""})
                    return
                self._send(
                    200,
                    {
                        "access_token": access,
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": double.id_token(grant),
                    },
                )

            def _user(self, path: str) -> None:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
                with double._lock:
                    person = double._tokens.get(token)
                if person is None:
                    self._send(401, {"message": "Bad credentials"})
                elif path == "/userinfo":
                    self._send(
                        200,
                        {
                            "sub": person.subject,
                            "email": person.email,
                            "email_verified": person.email_verified,
                        },
                    )
                elif path == "/user":
                    self._send(
                        200, {"id": int(person.subject), "login": "janed", "name": person.name}
                    )
                else:
                    emails = [{"email": "old@example.net", "primary": False, "verified": True}]
                    if person.email:
                        emails.append(
                            {
                                "email": person.email,
                                "primary": True,
                                "verified": person.email_verified,
                                "visibility": "private",
                            }
                        )
                    self._send(200, emails)

        return Handler
