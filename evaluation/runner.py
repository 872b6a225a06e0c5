"""Run the suites, hold every figure to its threshold, write the report; fail on a miss.

    python -m evaluation [--only parsing,grounding] [--out var/eval] [--judge]

Thresholds live in ``evaluation/thresholds.toml`` (one file, reviewed like code). A figure with
a threshold passes or fails; a figure without one is reported only. A threshold whose figure was
not measured (its suite ran but no longer reports it) fails too, so a gate cannot vanish
silently. Exit status: 0 when every threshold holds, 1 otherwise (also when a suite crashed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import tomllib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evaluation import (
    extraction,
    fabrication,
    jd_parsing,
    judge,
    latency,
    matching,
    parsing,
    roadmaps,
    search,
)
from evaluation.measures import REPO, Context, Measure

THRESHOLDS = Path(__file__).with_name("thresholds.toml")
DEFAULT_OUT = REPO / "var" / "eval"

Suite = Callable[[Context], list[Measure]]
SUITES: dict[str, Suite] = {
    "parsing": parsing.measure,
    "extraction": lambda ctx: extraction.measure(ctx) + jd_parsing.measure(ctx),
    "matching": matching.measure,
    "grounding": fabrication.measure,
    "roadmaps": roadmaps.measure,
    "search": search.measure,
    "latency": latency.measure,
}
# Run only when asked (`make eval JUDGE=1`): it needs a real model, so never in CI.
OPTIONAL: dict[str, Suite] = {"judge": judge.measure}


@dataclass(frozen=True)
class Threshold:
    """A bound on one figure: ``min`` (at least) or ``max`` (at most)."""

    bound: str
    value: float

    def holds(self, value: float) -> bool:
        return value >= self.value if self.bound == "min" else value <= self.value

    def __str__(self) -> str:
        return f"{'>=' if self.bound == 'min' else '<='} {self.value:g}"


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, Threshold]:
    """Read the thresholds file: ``"metric" = { min = x }`` or ``{ max = x }`` per line."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for metric, spec in raw.get("thresholds", {}).items():
        (bound, value), *rest = spec.items()
        if rest or bound not in ("min", "max"):
            raise ValueError(f"{path.name}: {metric} takes one of min or max, got {spec}")
        out[metric] = Threshold(bound, float(value))
    return out


def run(
    *,
    only: list[str] | None = None,
    context: Context | None = None,
    out: Path = DEFAULT_OUT,
    thresholds_file: Path = THRESHOLDS,
) -> dict[str, Any]:
    """Run the suites, compare with the thresholds, write report.json and report.md."""
    context = context or Context()
    thresholds = load_thresholds(thresholds_file)
    suites_known = SUITES | OPTIONAL
    names = only or list(SUITES)
    unknown = [n for n in names if n not in suites_known]
    if unknown:
        raise ValueError(f"unknown suite(s) {unknown}; known: {', '.join(suites_known)}")
    rows: list[dict[str, Any]] = []
    suites: dict[str, dict[str, Any]] = {}
    for name in names:
        started = time.perf_counter()
        try:
            measures = suites_known[name](context)
            error = None
        except Exception:  # a crashed suite is reported and fails the run
            measures, error = [], traceback.format_exc(limit=8)
        seconds = round(time.perf_counter() - started, 1)
        suites[name] = {"seconds": seconds, "error": error, "metrics": len(measures)}
        for m in measures:
            threshold = thresholds.get(m.metric)
            rows.append(
                {
                    "suite": name,
                    "metric": m.metric,
                    "value": m.value,
                    "threshold": str(threshold) if threshold else None,
                    "pass": threshold.holds(m.value) if threshold else None,
                    "data": m.data,
                    **({"detail": m.detail} if m.detail else {}),
                }
            )
    measured = {r["metric"] for r in rows}
    for metric, threshold in sorted(thresholds.items()):
        suite = metric.split(".", 1)[0]
        if suite in names and metric not in measured:
            rows.append(
                {
                    "suite": suite,
                    "metric": metric,
                    "value": None,
                    "threshold": str(threshold),
                    "pass": False,
                    "data": "not measured",
                }
            )
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {_load()}",
        "suites": suites,
        "passed": all(r["pass"] is not False for r in rows)
        and not any(s["error"] for s in suites.values()),
        "metrics": rows,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "report.md").write_text(markdown(report), encoding="utf-8")
    return report


def _commit() -> str | None:
    head = REPO / ".git"
    try:
        if head.is_file():  # a worktree: .git names the real directory
            head = Path(head.read_text().split(":", 1)[1].strip())
        ref = (head / "HEAD").read_text().strip()
        if ref.startswith("ref: "):
            ref_path = head / ref[5:]
            if not ref_path.is_file():
                common = head / "commondir"
                base = (head / common.read_text().strip()) if common.is_file() else head
                ref_path = base / ref[5:]
            return ref_path.read_text().strip()[:12]
        return ref[:12]
    except (OSError, IndexError):
        return None


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def format_value(value: float | None) -> str:
    """Write a figure as the report shows it."""
    if value is None:
        return "-"
    return f"{value:g}" if float(value).is_integer() else f"{value:.3f}"


def markdown(report: dict[str, Any]) -> str:
    """Return the report as a Markdown table (a failed row is marked FAIL)."""
    lines = [
        f"Evaluation of {report['commit'] or 'this tree'} at {report['generated_at']} "
        f"({report['machine']}): {'passed' if report['passed'] else 'FAILED'}",
        "",
        "| metric | value | threshold | pass | data |",
        "|---|---|---|---|---|",
    ]
    for r in report["metrics"]:
        verdict = {True: "yes", False: "FAIL", None: "-"}[r["pass"]]
        lines.append(
            f"| {r['metric']} | {format_value(r['value'])} | {r['threshold'] or '-'} | "
            f"{verdict} | {r['data']} |"
        )
    lines.append("")
    for name, suite in report["suites"].items():
        state = "crashed" if suite["error"] else f"{suite['metrics']} figures"
        lines.append(f"- {name}: {state} in {suite['seconds']} s")
        if suite["error"]:
            lines.append("  ```\n  " + suite["error"].replace("\n", "\n  ") + "```")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None, *, context: Context | None = None) -> int:
    """Run `make eval`; return 0 when every threshold holds, else 1."""
    parser = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__)
    parser.add_argument(
        "--only", help=f"comma-separated suites ({', '.join([*SUITES, *OPTIONAL])})"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--thresholds", type=Path, default=THRESHOLDS)
    parser.add_argument(
        "--judge",
        action="store_true",
        help="add the model judge (Ollama at CAREERGINI_OLLAMA_URL; see evaluation/judge.py)",
    )
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    if args.judge:
        only = [*(only or SUITES), "judge"]
    context = context or Context()
    context.extra.setdefault("out", args.out)
    try:
        report = run(only=only, context=context, out=args.out, thresholds_file=args.thresholds)
    except ValueError as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return 2
    print((args.out / "report.md").read_text(encoding="utf-8"))
    failed = [r["metric"] for r in report["metrics"] if r["pass"] is False]
    crashed = [n for n, s in report["suites"].items() if s["error"]]
    if failed or crashed:
        print(
            f"eval: FAILED: {len(failed)} threshold(s) missed {failed[:10]}; crashed: {crashed}",
            file=sys.stderr,
        )
        return 1
    print(f"eval: every threshold holds; report in {args.out / 'report.json'}")
    return 0
