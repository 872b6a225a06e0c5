"""JD parsing quality: the fields and required skills a parsed posting gets, against truth
written by hand (``tests/eval/jd/golden.json``, criteria in the README beside it).

Fields (title, company, location, remote policy, employment type, seniority, minimum years) are
counted as in resume parsing: a value that matches its truth is a true positive; a wrong value
is a false positive and a false negative; a missing one a false negative; a value where the
posting says nothing a false positive. Text matches as in evaluation/parsing.py (case, accents,
punctuation and 75% of the words); the others exactly. Required skills: the parser's skills of
importance "required" against the hand-written required set, by taxonomy id; a predicted skill
the posting names elsewhere or as one choice among several ("acceptable") is not an error. The
postings marked ``tuned`` are the parser's own edge-case fixtures; the others it was not tuned
on; both are reported.
"""

from __future__ import annotations

import json
from typing import Any

from careergini.skills.service import parse_job
from careergini.skills.taxonomy import load_taxonomy
from evaluation.matching import posting_text
from evaluation.measures import GOLDEN, REPO, Context, Measure, rounded
from evaluation.metrics import Counts
from evaluation.parsing import same_text

GOLDEN_SET = GOLDEN / "jd" / "golden.json"
FIELDS = ("title", "company", "location", "remote", "employment", "seniority", "min_years")


def predicted_fields(parsed: Any) -> dict[str, Any]:
    """Return the scored fields of a parsed posting."""
    return {
        "title": parsed.title,
        "company": parsed.company,
        "location": parsed.location,
        "remote": parsed.remote.policy.value if parsed.remote else None,
        "employment": parsed.employment.primary.value if parsed.employment else None,
        "seniority": parsed.seniority.level.value if parsed.seniority else None,
        "min_years": parsed.experience.min_years if parsed.experience else None,
    }


def _same(field: str, truth: Any, got: Any) -> bool:
    if isinstance(truth, list):  # several acceptable values
        return any(_same(field, t, got) for t in truth)
    if field in ("title", "company", "location"):
        return same_text(str(truth), str(got))
    if field == "min_years":
        return float(truth) == float(got)
    return str(truth) == str(got)


def evaluate(golden: dict[str, Any]) -> dict[str, Any]:
    """Parse every golden posting; return field counts, skill counts and the misses."""
    taxonomy = load_taxonomy()
    fields = {f: Counts() for f in FIELDS}
    skills = {"tuned": Counts(), "untuned": Counts()}
    misses: list[str] = []
    unknown: list[str] = []

    def ids(names: list[str]) -> set[str]:
        out = set()
        for name in names:
            skill = taxonomy.by_name(name)
            if skill is None:
                unknown.append(name)
            else:
                out.add(skill.id)
        return out

    for path, truth in golden["postings"].items():
        parsed = parse_job(text=posting_text(REPO / path))
        got = predicted_fields(parsed)
        for f in FIELDS:
            has_truth, has_got = truth[f] is not None, got[f] is not None
            counts = Counts()
            if has_truth and has_got and _same(f, truth[f], got[f]):
                counts.tp = 1
            else:
                counts.fp, counts.fn = int(has_got), int(has_truth)
                if has_truth or has_got:
                    misses.append(f"{path}: {f} truth={truth[f]!r} got={got[f]!r}")
            fields[f].add(counts)
        if truth["required"] is None:
            continue
        before = len(unknown)
        gold = ids(truth["required"])
        missing_names = len(unknown) - before  # required names the taxonomy lacks: missed
        also = ids(truth["acceptable"])
        required = {s.skill_id for s in parsed.skills if s.importance.value == "required"}
        counts = Counts(
            tp=len(required & gold),
            fp=len(required - gold - also),
            fn=len(gold - required) + missing_names,
        )
        skills["tuned" if truth["tuned"] else "untuned"].add(counts)
        if counts.fp or counts.fn:
            misses.append(
                f"{path}: required missed {sorted(gold - required)} "
                f"extra {sorted(required - gold - also)}"
            )
    return {"fields": fields, "skills": skills, "misses": misses, "unknown": unknown}


def measure(ctx: Context) -> list[Measure]:
    """Return field F1 and required-skill precision/recall of JD parsing."""
    golden = json.loads(GOLDEN_SET.read_text(encoding="utf-8"))
    result = evaluate(golden)
    postings = golden["postings"]
    tuned = sum(1 for t in postings.values() if t["tuned"])
    data = (
        f"{len(postings)} postings with hand-written fields ({tuned} of them the parser's own "
        "fixtures)"
    )
    out = []
    total = Counts()
    for f, counts in result["fields"].items():
        total.add(counts)
        out.append(Measure(f"extraction.jd.{f}.f1", rounded(counts.f1), data))
    out.append(
        Measure("extraction.jd.fields.f1", rounded(total.f1), data, "; ".join(result["misses"][:8]))
    )
    for kind, counts in result["skills"].items():
        skill_data = (
            f"required skills of the {'tuned' if kind == 'tuned' else 'not-tuned'} postings "
            f"with skills ({counts.tp + counts.fn} required by hand)"
        )
        out.append(
            Measure(
                f"extraction.jd.required_skills.{kind}.precision",
                rounded(counts.precision),
                skill_data,
            )
        )
        out.append(
            Measure(
                f"extraction.jd.required_skills.{kind}.recall", rounded(counts.recall), skill_data
            )
        )
    return out
