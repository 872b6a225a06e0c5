"""The digest's pure parts: when it is due, the signed unsubscribe token, the message it writes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from careergini.notifications import digest
from careergini.notifications.models import Notification

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_when_a_digest_is_due() -> None:
    day = 1440.0
    assert digest.email_due("off", None, NOW, round_minutes=day) is False
    assert digest.email_due("daily", None, NOW, round_minutes=day) is True
    yesterday = NOW - timedelta(hours=23, minutes=59)
    assert digest.email_due("daily", yesterday, NOW, round_minutes=day) is True
    assert digest.email_due("daily", NOW - timedelta(hours=2), NOW, round_minutes=day) is False
    assert digest.email_due("weekly", NOW - timedelta(days=3), NOW, round_minutes=day) is False
    assert digest.email_due("weekly", NOW - timedelta(days=7), NOW, round_minutes=day) is True


def test_the_unsubscribe_token_is_signed_per_user_and_secret() -> None:
    alice, bob = uuid.uuid4(), uuid.uuid4()
    token = digest.unsubscribe_token("s" * 40, alice)
    assert digest.token_matches("s" * 40, alice, token)
    assert not digest.token_matches("s" * 40, bob, token)
    assert not digest.token_matches("t" * 40, alice, token)
    changed = token[:-1] + ("B" if token[-1] == "A" else "A")
    assert not digest.token_matches("s" * 40, alice, changed)


def test_the_message_escapes_html_and_carries_one_click_headers() -> None:
    owner = uuid.uuid4()
    notices = [
        Notification(
            owner_id=owner,
            kind="job.match",
            dedup_key="match:1",
            title="<script>alert(1)</script> Engineer",
            body="",
            link="/jobs/1",
            data={"job_id": "1", "company": "Acme & Co", "score": 81.6, "reasons": ["Python"]},
        ),
        Notification(
            owner_id=owner,
            kind="job.match",
            dedup_key="match:2",
            title="Data Engineer",
            link="/jobs/2",
            data={"job_id": "2", "company": None, "score": 90.0, "reasons": []},
        ),
    ]
    url = digest.unsubscribe_url("https://cg.example", "s" * 40, owner)
    mail = digest.compose(
        notices,
        to="a@example.com",
        frequency="weekly",
        min_score=70,
        base_url="https://cg.example/",
        unsubscribe=url,
    )
    assert mail.subject == "CareerGini: 2 new jobs for you"
    assert "<script>" not in (mail.html or "") and "&lt;script&gt;" in (mail.html or "")
    assert "Acme &amp; Co" in (mail.html or "")
    # Best first, whole scores, absolute links, the week's wording.
    assert mail.text.index("Data Engineer: 90/100") < mail.text.index("Engineer at Acme & Co: 82")
    assert "https://cg.example/jobs/2" in mail.text and "this week" in mail.text
    assert dict(mail.headers)["List-Unsubscribe"] == f"<{url}>"
    assert url in mail.text and url.replace("&", "&amp;") in (mail.html or "")
