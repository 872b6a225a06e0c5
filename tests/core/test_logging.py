"""Personal data never reaches the logs."""

from __future__ import annotations

import json

import pytest
import structlog

from careergini.core.logging import configure_logging, get_logger, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("login failed for ada@example.com", "login failed for [email]"),
        ("call +44 20 7946 0958 now", "call [phone] now"),
        ("phone (555) 123-4567", "phone [phone]"),
        ("at 2026-11-21T05:03:20Z", "at 2026-11-21T05:03:20Z"),
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
