"""Held-out check of technology extraction on real postings the extractor was never tuned on.

    python benchmarks/bench_extraction_heldout.py [--errors]

The lines are from 18F/join.tts.gsa.gov job pages (``jobs/tts-join``, CC0 1.0), picked by a
seeded random sample of lines that name at least one well-known technology word, near-duplicates
left out; the technologies of each line were written down by hand from reading it, before the
extractor was run on it. A line can name none (precision only: "Go to My USAJOBS").

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

from careergini.skills.extraction import extract_skills
from careergini.skills.taxonomy import load_taxonomy

# (line, technologies named in it[, other skills it really names: a concept, a practice])
HELD_OUT: list[tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("Developing reports using business intelligence tools (e.g. Tableau, Power BI, "
     "MicroStrategy etc.)", ("Tableau", "Power BI", "MicroStrategy"),
     ("business intelligence",)),
    ("Experience with database systems and infrastructure to support data analytics such as "
     "BigQuery", ("BigQuery",), ("data analysis", "database management systems")),
    ("Using a Cloud Foundry platform", ("Cloud Foundry",)),
    ("Developing tooling, models, and visualizations using general-purpose programming "
     "languages (such as Python) and/or tools optimized for statistical and data analysis "
     "(such as R).", ("Python", "R"), ("data analysis",)),
    ("Implement style changes in GitHub, or pair with engineers to implement and review them "
     "collaboratively. Make visual design work visible in shared project management tools.",
     ("GitHub",), ("user interface design",)),
    ("Developing digital applications using **ONE** of the following server-side languages: "
     "Python, Ruby, Go or Node.js", ("Python", "Ruby", "Go", "Node.js")),
    ("You may check your status by logging into USAJOBS. Go to My USAJOBS and then to "
     "Applications.", ()),
    ("Write and participate in code review, which can include Go, Ruby, Python, Java, "
     "JavaScript, POSIX shell, and YAML.",
     ("Go", "Ruby", "Python", "Java", "JavaScript", "shell scripting", "YAML")),
    ("Ruby on rails development", ("Ruby on Rails",)),
    ("Experienced working in cloud computing platforms (e.g., Cloud Foundry) and leveraging "
     "cloud computing infrastructure (e.g., Amazon Web Services).",
     ("cloud computing", "Cloud Foundry", "Amazon Web Services")),
    ("languages (e.g Java, .NET, Ruby on Rails, Python, Go, Node.js), client-side languages "
     "(e.g HTML, Javascript) and database",
     ("Java", ".NET", "Ruby on Rails", "Python", "Go", "Node.js", "HTML", "JavaScript")),
    ("Create processes and procedures that keep Cloud Foundry environments resilient, "
     "fault-tolerant, and consistent.", ("Cloud Foundry",)),
    ("Use infrastructure-as-code (currently Terraform) and configuration management "
     "(currently Chef) to automate Login.gov's AWS",
     ("infrastructure as code", "Terraform", "Chef", "Amazon Web Services")),
    ("Front end design, which could include the following activities and tools: HTML/CSS "
     "prototypes, front end frameworks, accessibility best practices, optimizing digital "
     "metrics (such as page performance, semantic code, page weight, or code reusability).",
     ("HTML", "CSS")),
    ("Use infrastructure-as-code (currently, but not limited to, Terraform) and configuration "
     "management (currently, but not limited to, Chef) to automate CoE and agency DevOps AWS, "
     "Azure, and/or Google Cloud infrastructure",
     ("infrastructure as code", "Terraform", "Chef", "DevOps", "Amazon Web Services",
      "Microsoft Azure", "Google Cloud Platform")),
    ("environments. You should have strong knowledge of public clouds (Amazon Web Services "
     "(AWS) and/or Microsoft Azure), Redhat,",
     ("Amazon Web Services", "Microsoft Azure", "Red Hat Enterprise Linux")),
    ("Analyzing large data sets using statistical packages (e.g. Python, R, SAS, SQL, etc.)",
     ("Python", "R", "SAS", "SQL")),
    ("FedRAMP's Cyber Data Analyst will play a key role in building the data- and API-driven",
     ()),
]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print misses and false hits")
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    gold_total = found = predicted = correct = 0
    unknown: list[str] = []
    for line, names, *more in HELD_OUT:
        also = {s.id for n in (more[0] if more else ()) if (s := taxonomy.by_name(n))}
        gold = set()
        for name in names:
            skill = taxonomy.by_name(name)
            if skill is None:
                unknown.append(name)
            else:
                gold.add(skill.id)
        gold_total += len(names)
        got = {m.skill_id for m in extract_skills(line) if m.skill_id in taxonomy
               and taxonomy[m.skill_id].is_technology}  # fmt: skip
        # A hand-written name may be a concept category (DevOps is a method): count it found
        # when the extractor names it, whatever its category.
        every = {m.skill_id for m in extract_skills(line)}
        found += len(gold & every)
        predicted += len(got)
        correct += len(got & (gold | also))
        if args.errors and (gold - every or got - gold - also):
            extra = sorted(got - gold - also)
            print(f"- {line[:80]}\n    missed {sorted(gold - every)} extra {extra}")
    recall = found / gold_total if gold_total else 0.0
    precision = correct / predicted if predicted else 0.0
    print(f"\nHeld-out technology spans, tts-join ({len(HELD_OUT)} lines, {gold_total} names)")
    print("| measure | value | target |\n|---|---|---|")
    print(f"| recall | {recall:.1%} ({found}/{gold_total}) | >= 85% |")
    print(f"| precision | {precision:.1%} ({correct}/{predicted}) | >= 90% |")
    if unknown:
        print(f"Not in the taxonomy (counted as missed): {', '.join(sorted(set(unknown)))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
