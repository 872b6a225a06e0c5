"""Fabrication benchmark: does a planted lie about the user reach anything CareerGini exports?

    python benchmarks/bench_fabrication.py [--rounds 2] [--pdf] [--json]

A lying model double (tests/doubles/lying.py) answers in the product's reply shapes: the
tailoring reply (bullets and summary), the cover letter reply (paragraphs) and the coach's
streamed text. It plants the lies issue 15 measured (outcomes in words: "which doubled user
engagement", number words: "a dozen", a skill from another job moved into a bullet, "73%") and
invented employers, titles, team sizes, certifications and years of experience, next to honest
paraphrases (a verb swapped for a synonym; the user's own bullets as "You built ...").

Over the resumes in tests/fixtures (at least five different people) and three job postings, the
product's own code takes the answers: ``rewrite.apply_tailoring`` and ``apply_letter`` (the
claims check with position scope, falling back to the source), then the exports (JSON Resume,
DOCX, letter JSON and DOCX, PDF with --pdf); the coach's answer goes through the sentence gate
the chat service streams through, and what it shows is what is stored. Reported: planted and
leaked lies per kind, and the share of honest paraphrases kept. Target: 0 leaked.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.fabrication import run

__all__ = ["run"]  # tests/test_bench_fabrication.py runs it through this script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pdf", action="store_true", help="also render and read every PDF")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    report = run(rounds=args.rounds, pdf=args.pdf)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"resumes: {', '.join(report['resumes'])}")
    print(f"{'channel':<8} {'docs':>5} {'planted':>8} {'leaked':>7} {'honest kept':>12}")
    for channel in ("resume", "letter", "coach"):
        row = report[channel]
        share = row["honest_kept_share"]
        kept = "-" if share is None else f"{share:.0%}"
        print(
            f"{channel:<8} {row['documents']:>5} {sum(row['planted'].values()):>8} "
            f"{row['leaked_total']:>7} {kept:>12}"
        )
        for kind in sorted(row["planted"]):
            leaked = row["leaked"].get(kind, 0)
            print(f"  {kind:<14} planted {row['planted'][kind]:>4}  leaked {leaked}")
        for example in row["examples"]:
            print(f"  leaked: {example}")


if __name__ == "__main__":
    main()
