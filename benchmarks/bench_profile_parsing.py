"""Measure resume parsing quality (field-level precision, recall, F1) and speed.

    python benchmarks/bench_profile_parsing.py [--data ../shared/data] [--repeat 5] [--fields]

Documents: the rendercv CV rendered in 9 themes (ground truth: the YAML it was rendered from) and
the resume-matcher PDFs (ground truth: tests/fixtures/resumes/resume-matcher/ground_truth.json,
written by reading each PDF). Then the shapes people really upload, scored per shape: real PDFs
nobody here wrote (tests/fixtures/real-world/, truth hand-written from their sources: side
column, two columns, right-aligned dates, German), Word CVs built as people write them (soft line
breaks, text box, page header, table: tests/fixtures/corpus/word_shapes.py), the same CV in
six other languages (tests/fixtures/corpus/languages.py), and 60 generated CVs of ten fictional
people in six shapes (tests/fixtures/resumes/generated/, rows "generated ...", also counted per
language and for the two students). Field groups: contact (name, email,
phone, location, linkedin, github, website), positions (company, title, start, end), education
(institution, degree, field, start, end) and skills (the items of the Skills section).

The scoring lives in evaluation/parsing.py (shared with `make eval`); see its docstring.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from careergini.profile.parsers import parse_document  # noqa: E402
from evaluation.metrics import Counts, percentile  # noqa: E402
from evaluation.parsing import (  # noqa: E402
    GROUPS,
    DocumentScore,
    documents,
    rendercv_truth,
    score_document,
    score_shapes,
)

# The tests load this script and score with these names.
__all__ = ["DocumentScore", "rendercv_truth", "score_document", "score_shapes"]

DEFAULT_GROUND_TRUTH = (
    REPO / "tests" / "fixtures" / "resumes" / "resume-matcher" / "ground_truth.json"
)


def run_shapes(repeat: int, show_misses: bool) -> None:
    """Print field F1 per shape and parse times for the real-world shapes."""
    by_shape, times, misses, refused = score_shapes(repeat)
    print(f"\n{'shape (field F1)':40} " + " ".join(f"{g:>10}" for g in GROUPS))
    for shape, counts in sorted(by_shape.items()):
        cells = " ".join(
            (f"{counts[g].f1:.2f}" if counts[g].tp + counts[g].fn + counts[g].fp else "-").rjust(10)
            for g in GROUPS
        )
        print(f"{shape:40} {cells}")
    print(
        f"shape corpus parse time ({repeat} runs each): p50 {percentile(times, 0.5):.1f} ms, "
        f"p95 {percentile(times, 0.95):.1f} ms"
    )
    for line in refused:
        print(f"  refused {line}")
    if show_misses:
        print("\nshape misses:")
        for miss in misses:
            print(f"  {miss}")


def run(data: Path, ground_truth: Path, repeat: int, show_fields: bool, show_misses: bool) -> int:
    docs = documents(data, ground_truth)
    if not docs:
        print(f"no benchmark documents under {data}", file=sys.stderr)
        return 2
    parse_document(docs[0][1].read_bytes())  # warm imports and caches out of the timings
    scores: list[DocumentScore] = []
    times: dict[str, list[float]] = {}
    pages: dict[str, int | None] = {}
    for label, path, truth in docs:
        raw = path.read_bytes()
        durations = []
        result = None
        for _ in range(repeat):
            started = time.perf_counter()
            result = parse_document(raw, path.name)
            durations.append((time.perf_counter() - started) * 1000)
        assert result is not None
        times[label] = durations
        pages[label] = result.pages
        scores.append(score_document(label, result.profile, truth))

    header = f"{'document':40} " + " ".join(f"{g:>18}" for g in GROUPS) + f" {'ms p50':>8} pages"
    print(header)
    print(f"{'':40} " + " ".join(f"{'P / R / F1':>18}" for _ in GROUPS))
    print("-" * len(header))
    total = {g: Counts() for g in GROUPS}
    worst = {g: 1.0 for g in GROUPS}
    for s in scores:
        cells = []
        for g in GROUPS:
            c = s.groups[g]
            total[g].add(c)
            worst[g] = min(worst[g], c.f1)
            cells.append(f"{c.precision:.2f}/{c.recall:.2f}/{c.f1:.2f}".rjust(18))
        p50 = statistics.median(times[s.name])
        print(f"{s.name:40} " + " ".join(cells) + f" {p50:8.1f} {pages[s.name]}")
    print("-" * len(header))
    print(
        f"{'all (micro)':40} "
        + " ".join(
            f"{total[g].precision:.2f}/{total[g].recall:.2f}/{total[g].f1:.2f}".rjust(18)
            for g in GROUPS
        )
    )
    print(f"{'worst document F1':40} " + " ".join(f"{worst[g]:18.2f}" for g in GROUPS))

    all_times = [t for values in times.values() for t in values]
    two_page = [t for label, values in times.items() if pages[label] == 2 for t in values]
    print()
    print(
        f"parse time per document ({repeat} runs each, {len(docs)} documents): "
        f"p50 {percentile(all_times, 0.5):.1f} ms, p95 {percentile(all_times, 0.95):.1f} ms"
    )
    if two_page:
        print(
            f"2-page PDFs: p50 {percentile(two_page, 0.5):.1f} ms, "
            f"p95 {percentile(two_page, 0.95):.1f} ms"
        )

    if show_fields:
        fields: dict[str, Counts] = {}
        for s in scores:
            for name, c in s.fields.items():
                if name.split(".")[0] != "skills":
                    fields.setdefault(name, Counts()).add(c)
        print("\nper field (all documents):")
        for name, c in sorted(fields.items()):
            print(f"  {name:28} P {c.precision:.2f}  R {c.recall:.2f}  F1 {c.f1:.2f}")
    if show_misses:
        print("\nmisses:")
        for s in scores:
            for miss in s.misses:
                print(f"  {s.name}: {miss}")
    verdict = "met" if all(worst[g] >= 0.9 for g in GROUPS) else "NOT met"
    print(f"\ntarget F1 >= 0.90 on every group of every document: {verdict}")
    run_shapes(repeat, show_misses)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--ground-truth", type=Path, default=DEFAULT_GROUND_TRUTH)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fields", action="store_true", help="print per-field scores")
    parser.add_argument("--misses", action="store_true", help="print every wrong or missing field")
    parser.add_argument(
        "--shapes-only", action="store_true", help="score only the corpus of real-world shapes"
    )
    args = parser.parse_args(argv)
    if args.shapes_only:
        run_shapes(max(1, args.repeat), args.misses)
        return 0
    return run(args.data, args.ground_truth, max(1, args.repeat), args.fields, args.misses)


if __name__ == "__main__":
    raise SystemExit(main())
