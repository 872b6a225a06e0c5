"""Structured JSON logs (structlog) with personal data redacted before anything is written."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import sys
from typing import Any, TextIO

import structlog

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}")
# Dates and times are matched first and kept whole, so the digits of a timestamp
# ("2026-12-07T13:37:56.123456+00:00", "13:37:56.123456") never look like a phone number.
_TIMESTAMP = (
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
    r"|\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
)
_TIMEZONE = r"(?:Z|[+-]\d{2}:?\d{2})?"
# Phone-like runs: an optional +, then 7+ digits with the usual separators, starting and ending
# at a boundary (not inside an id or a word).
_PHONE = r"(?<![\w-])\+?\(?\d[\d\s().-]{5,}\d(?![\w-])"
_SCAN = re.compile(rf"(?P<time>(?:{_TIMESTAMP}){_TIMEZONE}(?![\d.]))|(?P<phone>{_PHONE})")
_DIGITS = re.compile(r"\d")


def _redact_phone(match: re.Match[str]) -> str:
    text = match.group(0)
    if match.group("time") is not None or len(_DIGITS.findall(text)) < 7:
        return text
    return "[phone]"


def redact(text: str) -> str:
    """Return text with email addresses and phone numbers masked."""
    return _SCAN.sub(_redact_phone, _EMAIL.sub("[email]", text))


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact_value(v) for v in value)
    return value


def redact_processor(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    return {key: _redact_value(value) for key, value in event_dict.items()}


# Fields naming a user: written as a keyed pseudonym, never as the id itself, so that once an
# account is deleted no log line leads back to it (log files cannot be rewritten).
USER_FIELDS = ("user_id", "owner_id")


def user_ref(user_id: object, key: bytes) -> str:
    """Return the pseudonym of a user id in the logs (HMAC-SHA256, 16 hex digits)."""
    digest = hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()
    return f"u-{digest[:16]}"


class PseudonymizeUsers:
    """Replace ``user_id``/``owner_id`` fields with ``user``: a pseudonym keyed by the install's
    secret (the same user reads the same across lines and processes; it cannot be reversed)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, _logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        for name in USER_FIELDS:
            if name in event_dict:
                value = event_dict.pop(name)
                if value is not None:
                    event_dict.setdefault("user", user_ref(value, self._key))
        return event_dict


def pseudonym_key(secret: str) -> bytes:
    """Derive the logs' pseudonym key from the install's secret (not the secret itself)."""
    return hashlib.sha256(b"careergini-log-pseudonyms:" + secret.encode()).digest()


def configure_logging(
    *,
    level: str = "INFO",
    json_logs: bool = True,
    user_key: bytes | None = None,
    stream: TextIO | None = None,
) -> None:
    """Route structlog and the standard library's loggers through one JSON renderer.

    ``user_key`` keys the users' pseudonyms (``pseudonym_key(secret)``); without one a random
    key is used, so pseudonyms only match within this process. ``stream`` defaults to stdout
    (``careergini mcp`` logs to stderr: its stdout is the protocol's).
    """
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        PseudonymizeUsers(user_key or secrets.token_bytes(32)),
        redact_processor,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer() if json_logs else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Our access log replaces uvicorn's; keep uvicorn's errors.
    logging.getLogger("uvicorn.access").handlers.clear()
    logging.getLogger("uvicorn.access").propagate = False
    for noisy in ("httpx", "httpcore", "chromadb", "sentence_transformers", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
