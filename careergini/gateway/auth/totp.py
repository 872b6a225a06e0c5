"""TOTP second factor (RFC 6238, via pyotp) and single-use recovery codes.

The shared secret is stored encrypted (Fernet, with a key derived from the app's secret key):
a copy of the database alone does not yield anyone's codes. Changing ``CAREERGINI_SECRET_KEY``
therefore turns two-factor off in effect: users sign in with a recovery code and set it up again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken

ISSUER = "CareerGini"
RECOVERY_CODES = 10
# Codes of the step before and after the current one are accepted (clock drift of +-30 s).
DRIFT_STEPS = 1
_RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(f"careergini-totp\x00{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def new_secret() -> str:
    """Return a new random base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def seal(secret: str, *, secret_key: str) -> str:
    """Encrypt a TOTP secret for storage."""
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def unseal(sealed: str, *, secret_key: str) -> str | None:
    """Decrypt a stored TOTP secret; None if it was sealed under another secret key."""
    try:
        return _fernet(secret_key).decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def provisioning_uri(secret: str, *, email: str) -> str:
    """Return the otpauth:// URI an authenticator app reads (from the QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """Return the URI as a QR code in SVG (inline in the page: no third-party QR service)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def matching_step(
    secret: str, code: str, *, last_step: int | None, now: float | None = None
) -> int | None:
    """Return the time step whose code this is (within the drift), else None.

    A step at or before ``last_step`` never matches: a code that signed in once cannot again.
    """
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // totp.interval)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Return fresh recovery codes, shown to the user once (e.g. ``K7QM-4XPT-W2ZD``)."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    return codes


def recovery_digest(code: str) -> str:
    """Return the stored form of a recovery code (case, spaces and dashes do not matter)."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"careergini-recovery\x00{normal}".encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return len(normal) == 12
