"""The fabrication benchmark as a test: no planted lie reaches an export, honest text stays.

A lying model double (tests/doubles/lying.py) answers tailoring, cover letter and coach turns
over six different resumes and three postings; the product's claims check stands between it
and the JSON Resume, DOCX, letter JSON/DOCX and what the coach shows (and stores).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_fabrication.py"


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_fabrication", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return _bench().run(rounds=2)


def test_enough_documents_over_enough_resumes(report: dict[str, Any]) -> None:
    assert len(report["resumes"]) >= 5
    for channel in ("resume", "letter", "coach"):
        assert report[channel]["documents"] >= 30


@pytest.mark.parametrize("channel", ["resume", "letter", "coach"])
def test_no_planted_lie_leaks_and_honest_paraphrases_are_kept(
    report: dict[str, Any], channel: str
) -> None:
    row = report[channel]
    assert sum(row["planted"].values()) >= 30
    assert row["leaked_total"] == 0, row["examples"]
    assert row["honest_kept_share"] is not None and row["honest_kept_share"] >= 0.9


def test_the_issues_lies_are_planted(report: dict[str, Any]) -> None:
    kinds = set(report["resume"]["planted"])
    assert {"multiple", "number_word", "moved_skill", "employer", "title"} <= kinds
    assert {"team_size", "certification"} <= kinds
