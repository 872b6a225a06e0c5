"""Personal data never reaches the logs."""

from __future__ import annotations

import json

import pytest
import structlog

from careergini.core.logging import configure_logging, get_logger, pseudonym_key, redact, user_ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("login failed for ada@example.com", "login failed for [email]"),
        ("call +44 20 7946 0958 now", "call [phone] now"),
        ("phone (555) 123-4567", "phone [phone]"),
        ("at 2026-11-21T05:03:20Z", "at 2026-11-21T05:03:20Z"),
        # Timestamps with fractions and offsets stay whole (a tail of one became "[phone]").
        ("at 2026-12-07T13:37:56.123456+00:00 ok", "at 2026-12-07T13:37:56.123456+00:00 ok"),
        ("ended 2026-12-07 13:37:56.123456", "ended 2026-12-07 13:37:56.123456"),
        ("ts 13:37:56.1234567", "ts 13:37:56.1234567"),
        ("at 12:30 call 555 123 4567", "at 12:30 call [phone]"),
        ("on 2026-12-07 ring +1 (555) 123-4567", "on 2026-12-07 ring [phone]"),
        ("request 3f2a9c took 12.5 ms", "request 3f2a9c took 12.5 ms"),
        ("status 200 in 1234 ms", "status 200 in 1234 ms"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_log_lines_are_json_with_context_and_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(level="INFO", json_logs=True)
    structlog.contextvars.bind_contextvars(request_id="rid-1")
    get_logger("test").info("signup", email="bob@example.org", note="ring 555-123-4567")
    structlog.contextvars.clear_contextvars()
    line = capsys.readouterr().out.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["event"] == "signup"
    assert record["request_id"] == "rid-1"
    assert record["email"] == "[email]"
    assert record["note"] == "ring [phone]"
    assert "bob@example.org" not in line


def test_the_log_lines_own_timestamp_is_not_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(level="INFO", json_logs=True)
    get_logger("test").info("tick", at="2026-12-07T13:37:56.123456+00:00")
    record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert record["at"] == "2026-12-07T13:37:56.123456+00:00"
    assert "[phone]" not in record["timestamp"]


def test_a_user_is_a_keyed_pseudonym_in_the_logs(capsys: pytest.CaptureFixture[str]) -> None:
    user_id = "0b7e6a52-3c1d-4f5e-9a8b-7c6d5e4f3a2b"
    configure_logging(level="INFO", json_logs=True, user_key=pseudonym_key("install-secret"))
    get_logger("test").info("request", user_id=user_id)
    get_logger("test").info("profile.imported", owner_id=user_id)
    get_logger("test").info("anonymous", user_id=None)
    lines = capsys.readouterr().out.strip().splitlines()[-3:]
    records = [json.loads(line) for line in lines]
    assert user_id not in "".join(lines)
    expected = user_ref(user_id, pseudonym_key("install-secret"))
    assert [r.get("user") for r in records] == [expected, expected, None]
    assert all("user_id" not in r and "owner_id" not in r for r in records)
    # Another install's secret gives another pseudonym: not a plain hash anyone can recompute.
    assert user_ref(user_id, pseudonym_key("other-secret")) != expected
    assert expected.startswith("u-") and len(expected) == 18
