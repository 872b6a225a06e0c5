"""`make eval`'s runner: a broken parser closes the gate; the README generator writes the table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from careergini.profile.parsers import parse_document
from evaluation import readme, runner
from evaluation.measures import Context, Measure


def _without_positions(raw: bytes, name: str) -> Any:
    """A parser broken on purpose: it reads everything but forgets the positions."""
    result = parse_document(raw, name)
    result.profile.work = []
    return result


def _refusing(raw: bytes, name: str) -> Any:
    raise ValueError("this parser refuses every file")


def _report(out: Path) -> dict[str, Any]:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_the_real_parser_passes_the_parsing_gate(tmp_path: Path) -> None:
    assert runner.main(["--only", "parsing", "--out", str(tmp_path)]) == 0
    report = _report(tmp_path)
    assert report["passed"] is True
    rows = {r["metric"]: r for r in report["metrics"]}
    assert rows["parsing.positions.f1"]["pass"] is True
    assert rows["parsing.documents"]["value"] >= 22
    assert (tmp_path / "report.md").read_text().count("| parsing.") == len(report["metrics"])


def test_a_parser_that_loses_positions_fails_make_eval(tmp_path: Path) -> None:
    code = runner.main(
        ["--only", "parsing", "--out", str(tmp_path)], context=Context(parse=_without_positions)
    )
    assert code == 1
    report = _report(tmp_path)
    assert report["passed"] is False
    failed = {r["metric"] for r in report["metrics"] if r["pass"] is False}
    assert {"parsing.positions.recall", "parsing.positions.f1"} <= failed
    assert "parsing.contact.f1" not in failed  # the rest of the parse still counts
    assert "| parsing.positions.f1 | 0 | >= " in (tmp_path / "report.md").read_text()


def test_a_parser_that_refuses_every_file_fails(tmp_path: Path) -> None:
    code = runner.main(
        ["--only", "parsing", "--out", str(tmp_path)], context=Context(parse=_refusing)
    )
    assert code == 1
    rows = {r["metric"]: r for r in _report(tmp_path)["metrics"]}
    assert rows["parsing.refused"]["value"] == rows["parsing.documents"]["value"]
    assert rows["parsing.refused"]["pass"] is False


def test_a_threshold_whose_figure_is_gone_fails(tmp_path: Path) -> None:
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text(
        '[thresholds]\n"extraction.heldout.recall" = { min = 0.5 }\n'
        '"extraction.no_such_figure" = { min = 0.5 }\n'
    )
    code = runner.main(
        ["--only", "extraction", "--out", str(tmp_path), "--thresholds", str(thresholds)]
    )
    assert code == 1
    rows = {r["metric"]: r for r in _report(tmp_path)["metrics"]}
    assert rows["extraction.heldout.recall"]["pass"] is True
    assert rows["extraction.no_such_figure"] == {
        "suite": "extraction",
        "metric": "extraction.no_such_figure",
        "value": None,
        "threshold": ">= 0.5",
        "pass": False,
        "data": "not measured",
    }


def test_a_crashing_suite_fails_and_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(ctx: Context) -> list[Measure]:
        raise RuntimeError("suite fell over")

    monkeypatch.setitem(runner.SUITES, "extraction", crash)
    assert runner.main(["--only", "extraction", "--out", str(tmp_path)]) == 1
    report = _report(tmp_path)
    assert "suite fell over" in report["suites"]["extraction"]["error"]
    assert "crashed" in (tmp_path / "report.md").read_text()


def test_an_unknown_suite_is_a_usage_error(tmp_path: Path) -> None:
    assert runner.main(["--only", "nope", "--out", str(tmp_path)]) == 2


def test_a_malformed_threshold_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "thresholds.toml"
    bad.write_text('[thresholds]\n"parsing.f1" = { above = 0.5 }\n')
    with pytest.raises(ValueError, match="min or max"):
        runner.load_thresholds(bad)


def test_the_readme_generator_writes_the_quality_table(tmp_path: Path) -> None:
    out = tmp_path / "eval"
    assert runner.main(["--only", "extraction", "--out", str(out)]) == 0
    target = tmp_path / "README.md"
    target.write_text("# Project\n\n## Quality\n\nold figures\n\n## Benchmarks\n\nkept\n")
    args = ["--report", str(out / "report.json"), "--readme", str(target)]
    assert readme.main(args) == 0
    first = target.read_text()
    assert "old figures" not in first
    assert first.startswith("# Project\n\n## Quality\n")
    assert first.endswith("## Benchmarks\n\nkept\n")
    report = _report(out)
    assert report["generated_at"][:10] in first
    for row in report["metrics"]:
        name = row["metric"].split(".", 1)[1]
        value = runner.format_value(row["value"])
        assert f"| {name} | {value} | {row['threshold'] or '-'} | {row['data']} |" in first
    assert readme.main(args) == 0
    assert target.read_text() == first  # rewriting replaces the section, never appends


def test_the_readme_generator_adds_a_missing_section_before_benchmarks(tmp_path: Path) -> None:
    out = tmp_path / "eval"
    assert runner.main(["--only", "extraction", "--out", str(out)]) == 0
    target = tmp_path / "README.md"
    target.write_text("# Project\n\n## Benchmarks\n\nkept\n")
    readme.main(["--report", str(out / "report.json"), "--readme", str(target)])
    text = target.read_text()
    assert text.index("## Quality") < text.index("## Benchmarks")
    assert "| heldout.recall |" in text


def test_the_readme_generator_needs_a_report(tmp_path: Path) -> None:
    missing = ["--report", str(tmp_path / "none.json"), "--readme", str(tmp_path / "R.md")]
    assert readme.main(missing) == 2
