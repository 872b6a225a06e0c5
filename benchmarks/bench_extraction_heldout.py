"""Held-out check of technology extraction on real postings the extractor was never tuned on.

    python benchmarks/bench_extraction_heldout.py [--errors]

The lines are from 18F/join.tts.gsa.gov job pages (``jobs/tts-join``, CC0 1.0), picked by a
seeded random sample of lines that name at least one well-known technology word, near-duplicates
left out; the technologies of each line were written down by hand from reading it, before the
extractor was run on it. A line can name none (precision only: "Go to My USAJOBS").

The lines and their labels live in evaluation/extraction.py (shared with `make eval`).
Scoring: the extractor's technology-category mentions of a line against its hand-written set,
compared by skill id (a hand-written name the taxonomy does not know counts as missed). Recall
counts the named technologies; precision counts a mention correct when it is a named technology
or another skill the line really names, also written down by hand ("business intelligence tools").
Targets (issue 19): recall >= 0.85 with precision >= 0.90.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.extraction import HELD_OUT, evaluate_held_out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print misses and false hits")
    args = parser.parse_args()
    r = evaluate_held_out()
    if args.errors:
        print("\n".join(r.errors))
    print(f"\nHeld-out technology spans, tts-join ({len(HELD_OUT)} lines, {r.gold} names)")
    print("| measure | value | target |\n|---|---|---|")
    print(f"| recall | {r.recall:.1%} ({r.found}/{r.gold}) | >= 85% |")
    print(f"| precision | {r.precision:.1%} ({r.correct}/{r.predicted}) | >= 90% |")
    if r.unknown:
        print(f"Not in the taxonomy (counted as missed): {', '.join(sorted(set(r.unknown)))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
