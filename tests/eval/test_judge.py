"""`make eval JUDGE=1`: the model judge, against the Ollama double over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evaluation import judge, runner
from evaluation.measures import Context
from tests.doubles.ollama import OllamaDouble
from tests.llm.conftest import REASONING


def _rubric(body: dict[str, Any]) -> str:
    """Grade as a judge would answer: a letter 3 for relevance with one unbacked claim, a resume
    4 with none (so the report's means per kind can be checked)."""
    prompt = body["messages"][-1]["content"]
    letter = "THE LETTER TO GRADE" in prompt
    return json.dumps(
        {
            "relevance": 3 if letter else 4,
            "faithfulness": 5,
            "clarity": 4,
            "unbacked_claims": ["led a team of 40"] if letter else [],
        }
    )


@pytest.fixture
def double(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("CAREERGINI_EVAL_JUDGE_MODEL", raising=False)
    with OllamaDouble([REASONING], script=_rubric) as model:
        yield model


def test_judge_grades_resumes_and_letters_beside_the_deterministic_figures(
    tmp_path: Path, double: OllamaDouble
) -> None:
    context = Context(judge_url=double.url, judge_model=REASONING)
    code = runner.main(["--only", "extraction", "--judge", "--out", str(tmp_path)], context=context)
    assert code == 0
    report = json.loads((tmp_path / "report.json").read_text())
    rows = {r["metric"]: r for r in report["metrics"]}
    assert rows["extraction.heldout.recall"]["pass"] is True  # the deterministic figures stay
    assert rows["judge.resume.relevance"]["value"] == 4
    assert rows["judge.letter.relevance"]["value"] == 3
    assert rows["judge.letter.with_unbacked_claims"]["value"] == 1
    assert rows["judge.resume.with_unbacked_claims"]["value"] == 0
    assert all(rows[m]["pass"] is None for m in rows if m.startswith("judge."))
    chats = double.chats
    assert len(chats) == len(judge.documents()) >= 30  # resumes and letters
    for body in chats:
        assert body["model"] == REASONING
        assert body["options"]["temperature"] == 0
        assert body["format"] == judge.RUBRIC_SCHEMA
        assert body["stream"] is False
    stored = json.loads((tmp_path / "judge.json").read_text())
    assert stored["rubric"] == judge.RUBRIC_VERSION
    assert len(stored["grades"]) == len(chats)


def test_a_judge_answer_off_the_rubric_fails_the_run(tmp_path: Path, double: OllamaDouble) -> None:
    double.script = lambda body: json.dumps(
        {"relevance": 9, "faithfulness": 5, "clarity": 4, "unbacked_claims": []}
    )
    context = Context(judge_url=double.url, judge_model=REASONING)
    code = runner.main(["--only", "judge", "--out", str(tmp_path)], context=context)
    assert code == 1
    report = json.loads((tmp_path / "report.json").read_text())
    assert "relevance is not an integer 1-5: 9" in report["suites"]["judge"]["error"]


def test_an_unreachable_judge_fails_with_its_reason(tmp_path: Path) -> None:
    context = Context(judge_url="http://127.0.0.1:9", judge_model=REASONING)
    code = runner.main(["--only", "judge", "--out", str(tmp_path)], context=context)
    assert code == 1
    error = json.loads((tmp_path / "report.json").read_text())["suites"]["judge"]["error"]
    assert "ConnectError" in error


def test_without_judge_1_no_model_is_asked(tmp_path: Path, double: OllamaDouble) -> None:
    context = Context(judge_url=double.url, judge_model=REASONING)
    assert runner.main(["--only", "extraction", "--out", str(tmp_path)], context=context) == 0
    assert double.chats == []
    metrics = json.loads((tmp_path / "report.json").read_text())["metrics"]
    assert not [m for m in metrics if m["suite"] == "judge"]
