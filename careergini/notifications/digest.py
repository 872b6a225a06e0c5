"""The email digest: the notifications not yet emailed, as a text and an HTML message, and the
signed one-click unsubscribe link."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import jinja2

from careergini.core.mail import OutgoingMail
from careergini.notifications.models import Notification

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
_WORDS = {"daily": "today", "weekly": "this week"}

_html = jinja2.Environment(
    loader=jinja2.PackageLoader("careergini.notifications", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_text = jinja2.Environment(
    loader=jinja2.PackageLoader("careergini.notifications", "templates"),
    autoescape=False,  # noqa: S701 - the plain-text part of an email, never shown as HTML
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def email_due(
    frequency: str, last_emailed_at: datetime | None, now: datetime, *, round_minutes: float
) -> bool:
    """Say whether a digest is due: ``frequency`` has passed since the last one (less half a
    round, so a daily digest is not put off a whole round by a few seconds)."""
    period = PERIODS.get(frequency)
    if period is None:
        return False
    if last_emailed_at is None:
        return True
    return now - last_emailed_at >= period - timedelta(minutes=round_minutes / 2)


def unsubscribe_token(secret: str, owner_id: uuid.UUID) -> str:
    """Sign a user id for their unsubscribe link (HMAC-SHA256 with the install's secret)."""
    digest = hmac.new(
        secret.encode(), f"digest-unsubscribe:{owner_id}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_matches(secret: str, owner_id: uuid.UUID, token: str) -> bool:
    """Check an unsubscribe link's signature in constant time."""
    return hmac.compare_digest(unsubscribe_token(secret, owner_id), token)


def unsubscribe_url(base_url: str, secret: str, owner_id: uuid.UUID) -> str:
    token = unsubscribe_token(secret, owner_id)
    return f"{base_url}/api/notifications/unsubscribe?user={owner_id}&token={token}"


def subject_of(matches: int, follow_ups: int, closed: int) -> str:
    parts = []
    if matches:
        parts.append(f"{matches} new job{'s' if matches != 1 else ''} for you")
    if follow_ups:
        parts.append(f"{follow_ups} follow-up{'s' if follow_ups != 1 else ''} due")
    if closed:
        parts.append(f"{closed} tracked job{'s' if closed != 1 else ''} closed")
    return "CareerGini: " + ", ".join(parts)


def compose(
    notifications: Sequence[Notification],
    *,
    to: str,
    frequency: str,
    min_score: float,
    base_url: str,
    unsubscribe: str,
) -> OutgoingMail:
    """Write the digest of these notifications to ``to`` as text and HTML."""
    matches = [n for n in notifications if n.kind == "job.match"]
    matches.sort(key=lambda n: -float(n.data.get("score") or 0))
    follow_ups = [n for n in notifications if n.kind == "application.follow_up"]
    closed = [n for n in notifications if n.kind == "job.closed"]
    subject = subject_of(len(matches), len(follow_ups), len(closed))
    values = {
        "subject": subject,
        "matches": matches,
        "follow_ups": follow_ups,
        "closed": closed,
        "min_score": min_score,
        "base_url": base_url.rstrip("/"),
        "frequency": frequency,
        "period": _WORDS.get(frequency),
        "unsubscribe_url": unsubscribe,
    }
    return OutgoingMail(
        to=to,
        subject=subject,
        text=_text.get_template("digest.txt").render(values),
        html=_html.get_template("digest.html").render(values),
        headers=(
            ("List-Unsubscribe", f"<{unsubscribe}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ),
    )
