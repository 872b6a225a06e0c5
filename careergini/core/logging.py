"""Structured JSON logs (structlog) with personal data redacted before anything is written."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

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


def configure_logging(*, level: str = "INFO", json_logs: bool = True) -> None:
    """Route structlog and the standard library's loggers through one JSON renderer."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
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
    handler = logging.StreamHandler(sys.stdout)
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
