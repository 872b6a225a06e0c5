"""Password hashing (argon2id) and signed access tokens (JWT, HS256)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified when the account does not exist, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
ALGORITHM = "HS256"


def configure_password_hashing(*, memory_kib: int, time_cost: int) -> None:
    """Hash new passwords at this cost; hashes made at another cost still verify (the cost is
    in the hash) and are upgraded at the next login (needs_rehash)."""
    global _hasher, _DUMMY_HASH
    if (_hasher.memory_cost, _hasher.time_cost) == (memory_kib, time_cost):
        return
    _hasher = PasswordHasher(memory_cost=memory_kib, time_cost=time_cost)
    _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against its hash in constant-ish time, even without an account."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Return the SHA-256 hex digest under which an opaque token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    jti: str
    expires_at: datetime
    # The login (refresh-token family) the token belongs to: revoking the family ends the token.
    family_id: uuid.UUID | None = None


def create_access_token(
    *, user_id: uuid.UUID, secret: str, minutes: int, family_id: uuid.UUID | None = None
) -> tuple[str, datetime]:
    """Return a signed access token for the user (and its login's family) and its expiry."""
    now = datetime.now(UTC)
    expires = now + timedelta(minutes=minutes)
    payload = {
        "sub": str(user_id),
        "type": "access",
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": secrets.token_hex(12),
    }
    if family_id is not None:
        payload["fam"] = str(family_id)
    return jwt.encode(payload, secret, algorithm=ALGORITHM), expires


def decode_access_token(token: str, *, secret: str) -> AccessClaims | None:
    """Return the token's claims, or None when it is invalid, expired or not an access token."""
    try:
        payload = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "jti"]}
        )
        if payload.get("type") != "access":
            return None
        return AccessClaims(
            user_id=uuid.UUID(payload["sub"]),
            jti=str(payload["jti"]),
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            family_id=uuid.UUID(payload["fam"]) if payload.get("fam") else None,
        )
    except (jwt.PyJWTError, ValueError, KeyError):
        return None
