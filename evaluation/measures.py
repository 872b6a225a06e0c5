"""What a suite returns (measures) and what it is given (the context)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careergini.profile.parsers import parse_document

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "eval"


@dataclass(frozen=True)
class Measure:
    """One figure of one suite, with the data it was measured on."""

    metric: str
    value: float
    data: str
    detail: str = ""


@dataclass
class Context:
    """What the suites run with; a test swaps a part (a broken parser) to see the gate close."""

    parse: Callable[[bytes, str], Any] = parse_document
    judge_url: str | None = None
    judge_model: str = "qwen2.5:7b-instruct"
    extra: dict[str, Any] = field(default_factory=dict)


def rounded(value: float, places: int = 3) -> float:
    """Round a figure for the report (thresholds compare the rounded value)."""
    return round(float(value), places)
