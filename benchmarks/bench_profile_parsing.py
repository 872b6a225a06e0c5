"""Measure resume parsing quality (field-level precision, recall, F1) and speed.

    python benchmarks/bench_profile_parsing.py [--data ../shared/data] [--repeat 5] [--fields]

Documents: the rendercv CV rendered in 9 themes (ground truth: the YAML it was rendered from) and
the resume-matcher PDFs (ground truth: tests/fixtures/resumes/resume-matcher/ground_truth.json,
written by reading each PDF). Then the shapes people really upload, scored per shape: real PDFs
nobody here wrote (tests/fixtures/real-world/, truth hand-written from their sources: side
column, two columns, right-aligned dates, German), Word CVs built as people write them (soft line
breaks, text box, page header, table: tests/fixtures/corpus/word_shapes.py) and the same CV in
six other languages (tests/fixtures/corpus/languages.py). Field groups: contact (name, email,
phone, location, linkedin, github, website), positions (company, title, start, end), education
(institution, degree, field, start, end) and skills (the items of the Skills section).

Scoring: a predicted field that matches its truth is a true positive; a wrong prediction is a
false positive and a false negative; a missing one is a false negative; a value where the truth
is empty is a false positive. Entries are paired with truth greedily by how many fields agree.
Text matches after case, punctuation and accent folding when the word sets overlap by 75% or
more; dates match on year, month (if either gives one) and "present"; phones on their digits.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from careergini.profile.parsers import parse_document  # noqa: E402
from careergini.profile.parsers.dates import parse_date  # noqa: E402
from careergini.profile.schemas import ParsedProfile, PartialDate  # noqa: E402
from careergini.skills.extraction import extract_skills  # noqa: E402
from tests.fixtures.corpus import languages, word_shapes  # noqa: E402

GROUPS = ("contact", "positions", "education", "skills")
CONTACT_FIELDS = ("name", "email", "phone", "location", "linkedin", "github", "website")
POSITION_FIELDS = ("company", "title", "start", "end")
EDUCATION_FIELDS = ("institution", "degree", "field", "start", "end")
DEFAULT_GROUND_TRUTH = (
    REPO / "tests" / "fixtures" / "resumes" / "resume-matcher" / "ground_truth.json"
)
REAL_WORLD = REPO / "tests" / "fixtures" / "real-world"
WORD_SHAPES: dict[str, Callable[[], bytes]] = {
    "soft-breaks-1-paragraph": word_shapes.soft_break_cv,
    "soft-breaks-2-paragraphs": lambda: word_shapes.soft_break_cv(paragraphs=2),
    "text-box": word_shapes.text_box_cv,
    "page-header": word_shapes.header_contact_cv,
    "table-columns": word_shapes.table_cv,
}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocumentScore:
    name: str
    groups: dict[str, Counts] = field(default_factory=lambda: {g: Counts() for g in GROUPS})
    fields: dict[str, Counts] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def count(self, group: str, name: str, truth: Any, predicted: Any, same: Callable) -> None:
        counts = Counts()
        has_truth = truth not in (None, "", [])
        has_prediction = predicted not in (None, "", [])
        if has_truth and has_prediction and same(truth, predicted):
            counts.tp = 1
        else:
            counts.fp = int(has_prediction)
            counts.fn = int(has_truth)
            if has_truth or has_prediction:
                self.misses.append(f"{group}.{name}: truth={truth!r} got={predicted!r}")
        self.groups[group].add(counts)
        self.fields.setdefault(f"{group}.{name}", Counts()).add(counts)


# --- matching -----------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip()


def same_text(truth: str, predicted: str) -> bool:
    a, b = _fold(truth), _fold(predicted)
    if a == b:
        return True
    ta, tb = set(a.split()), set(b.split())
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= 0.75


def same_url(truth: str, predicted: str) -> bool:
    def key(url: str) -> str:
        return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower()).rstrip("/")

    return key(truth) == key(predicted)


def same_phone(truth: str, predicted: str) -> bool:
    return re.sub(r"\D", "", truth)[-10:] == re.sub(r"\D", "", predicted)[-10:]


def same_date(truth: PartialDate, predicted: PartialDate) -> bool:
    if truth.present or predicted.present:
        return truth.present == predicted.present
    return truth.year == predicted.year and truth.month == predicted.month


def truth_date(value: Any) -> PartialDate | None:
    if value in (None, ""):
        return None
    text = str(value)
    if text.lower() == "present":
        return PartialDate(present=True, raw=text)
    return parse_date(text)


# --- ground truth ---------------------------------------------------------------------------


def rendercv_truth(yaml_path: Path) -> dict[str, Any]:
    """Read the ground truth of a rendercv CV from the YAML it was rendered from."""
    import yaml

    cv = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))["cv"]
    networks = {n["network"].lower(): n["username"] for n in cv.get("social_networks") or []}
    sections = cv.get("sections") or {}
    skills: list[str] = []
    for item in sections.get("skills") or []:
        skills.extend(s.strip() for s in str(item.get("details", "")).split(",") if s.strip())
    return {
        "contact": {
            "name": cv.get("name"),
            "email": cv.get("email"),
            "phone": cv.get("phone"),
            "location": cv.get("location"),
            "website": cv.get("website"),
            "linkedin": f"linkedin.com/in/{networks['linkedin']}"
            if "linkedin" in networks
            else None,
            "github": f"github.com/{networks['github']}" if "github" in networks else None,
        },
        "positions": [
            {
                "company": e.get("company"),
                "title": e.get("position"),
                "start": e.get("start_date") or e.get("date"),
                "end": e.get("end_date"),
            }
            for e in sections.get("experience") or []
        ],
        "education": [
            {
                "institution": e.get("institution"),
                "degree": e.get("degree"),
                "field": e.get("area"),
                "start": e.get("start_date"),
                "end": e.get("end_date") or e.get("date"),
            }
            for e in sections.get("education") or []
        ],
        "skills": skills,
    }


def documents(data: Path, ground_truth: Path) -> list[tuple[str, Path, dict[str, Any]]]:
    """Return (label, pdf path, truth) for every benchmark document found."""
    found = []
    for yaml_path in sorted((data / "resumes" / "rendercv").glob("*.yaml")):
        pdf = yaml_path.with_suffix(".pdf")
        if pdf.exists():
            theme = re.sub(r"^John_Doe_|Theme_CV$", "", yaml_path.stem)
            found.append((f"rendercv/{theme}", pdf, rendercv_truth(yaml_path)))
    truth_file = json.loads(ground_truth.read_text(encoding="utf-8"))
    folder = data / "resumes" / "resume-matcher" / "resumes_pdf"
    for name, truth in sorted(truth_file["documents"].items()):
        if (folder / name).exists():
            found.append((f"resume-matcher/{Path(name).stem}", folder / name, truth))
    return found


# --- scoring ----------------------------------------------------------------------------------


def _skill_key(name: str) -> str:
    mentions = extract_skills(name)
    if mentions:
        best = max(mentions, key=lambda m: m.end - m.start)
        if (best.end - best.start) * 2 >= len(name.strip()):
            return best.skill_id
    return "name:" + _fold(name)


def _pair(
    truths: list[dict[str, Any]], predictions: list[dict[str, Any]], same: dict[str, Callable]
) -> list[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    def agreement(t: dict[str, Any], p: dict[str, Any]) -> int:
        return sum(
            1
            for name, check in same.items()
            if t.get(name) not in (None, "")
            and p.get(name) not in (None, "")
            and check(t[name], p[name])
        )

    candidates = sorted(
        (
            (agreement(t, p), -abs(i - j), i, j)
            for i, t in enumerate(truths)
            for j, p in enumerate(predictions)
        ),
        reverse=True,
    )
    used_t: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = []
    for score, _, i, j in candidates:
        if score == 0 or i in used_t or j in used_p:
            continue
        used_t.add(i)
        used_p.add(j)
        pairs.append((truths[i], predictions[j]))
    pairs += [(t, None) for i, t in enumerate(truths) if i not in used_t]
    pairs += [(None, p) for j, p in enumerate(predictions) if j not in used_p]
    return pairs


def score_document(name: str, profile: ParsedProfile, truth: dict[str, Any]) -> DocumentScore:
    """Score one parsed profile against its ground truth."""
    score = DocumentScore(name=name)
    basics = profile.basics
    predicted_contact = {
        "name": basics.name,
        "email": basics.email,
        "phone": basics.phone,
        "location": basics.location,
        "linkedin": basics.links.linkedin,
        "github": basics.links.github,
        "website": basics.links.website,
    }
    checks = {
        "email": same_url,
        "phone": same_phone,
        "linkedin": same_url,
        "github": same_url,
        "website": same_url,
    }
    for name_ in CONTACT_FIELDS:
        score.count(
            "contact",
            name_,
            truth["contact"].get(name_),
            predicted_contact[name_],
            checks.get(name_, same_text),
        )

    def entries(group: str, fields: Iterable[str], truths: list[dict], predicted: list[dict]):
        same = {f: (same_date if f in ("start", "end") else same_text) for f in fields}
        for t, p in _pair(truths, predicted, same):
            for f in fields:
                score.count(group, f, (t or {}).get(f), (p or {}).get(f), same[f])

    def dated(items: list[dict]) -> list[dict]:
        return [
            {**i, "start": truth_date(i.get("start")), "end": truth_date(i.get("end"))}
            for i in items
        ]

    entries(
        "positions",
        POSITION_FIELDS,
        dated(truth["positions"]),
        [
            {"company": w.company, "title": w.title, "start": w.start, "end": w.end}
            for w in profile.work
        ],
    )
    entries(
        "education",
        EDUCATION_FIELDS,
        dated(truth["education"]),
        [
            {
                "institution": e.institution,
                "degree": e.degree,
                "field": e.field,
                "start": e.start,
                "end": e.end,
            }
            for e in profile.education
        ],
    )

    # A listed skill matches by taxonomy id, or by name or surface when the extractor needs
    # context to recognise it (a bare "Rust" is ambiguous; "Languages: Python, Rust" is not).
    listed = [s for s in profile.skills if any(e.section == "skills" for e in s.evidence)]
    predicted_keys = [
        {s.skill_id, "name:" + _fold(s.name)}
        | {"name:" + _fold(e.surface) for e in s.evidence if e.section == "skills"}
        for s in listed
    ]
    matched: set[int] = set()
    for item in truth["skills"]:
        keys = {_skill_key(item), "name:" + _fold(item)}
        hit = next(
            (i for i, pk in enumerate(predicted_keys) if i not in matched and keys & pk), None
        )
        if hit is not None:
            matched.add(hit)
        score.count(
            "skills", item, item, listed[hit].name if hit is not None else None, lambda a, b: True
        )
    for i, skill in enumerate(listed):
        if i not in matched:
            score.count("skills", skill.name, None, skill.name, lambda a, b: True)
    return score


# --- report -----------------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def shape_documents() -> list[tuple[str, str, str, bytes, dict[str, Any]]]:
    """Return (shape, label, file name, bytes, truth) for the corpus of real-world shapes."""
    found = []
    truth_file = json.loads((REAL_WORLD / "ground_truth.json").read_text(encoding="utf-8"))
    for name, truth in sorted(truth_file["documents"].items()):
        found.append((truth["shape"], name, name, (REAL_WORLD / name).read_bytes(), truth))
    for label, build in WORD_SHAPES.items():
        found.append(("docx-soft-breaks", label, "cv.docx", build(), word_shapes.SOFT_BREAK_TRUTH))
    for language in languages.CVS:
        text = languages.CVS[language].encode()
        found.append(("text-languages", language, "cv.txt", text, languages.truth(language)))
    return found


def score_shapes(
    repeat: int = 1,
) -> tuple[dict[str, dict[str, Counts]], list[float], list[str], list[str]]:
    """Return field counts per shape, parse times, misses and refusals of the shape corpus."""
    by_shape: dict[str, dict[str, Counts]] = {}
    times: list[float] = []
    misses: list[str] = []
    refused: list[str] = []
    for shape, label, name, raw, truth in shape_documents():
        result = None
        for _ in range(repeat):
            started = time.perf_counter()
            try:
                result = parse_document(raw, name)
            except Exception as exc:  # a refusal scores as nothing found
                refused.append(f"{label}: {exc}")
                break
            finally:
                times.append((time.perf_counter() - started) * 1000)
        profile = result.profile if result is not None else ParsedProfile()
        score = score_document(label, profile, truth)
        counts = by_shape.setdefault(shape, {g: Counts() for g in GROUPS})
        for group in GROUPS:
            counts[group].add(score.groups[group])
        misses.extend(f"{label}: {miss}" for miss in score.misses)
    return by_shape, times, misses, refused


def run_shapes(repeat: int, show_misses: bool) -> None:
    """Print field F1 per shape and parse times for the real-world shapes."""
    by_shape, times, misses, refused = score_shapes(repeat)
    print(f"\n{'shape (field F1)':40} " + " ".join(f"{g:>12}" for g in GROUPS))
    for shape, counts in sorted(by_shape.items()):
        cells = " ".join(
            (f"{counts[g].f1:.2f}" if counts[g].tp + counts[g].fn + counts[g].fp else "-").rjust(12)
            for g in GROUPS
        )
        print(f"{shape:40} {cells}")
    print(
        f"shape corpus parse time ({repeat} runs each): p50 {_percentile(times, 0.5):.1f} ms, "
        f"p95 {_percentile(times, 0.95):.1f} ms"
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
        f"p50 {_percentile(all_times, 0.5):.1f} ms, p95 {_percentile(all_times, 0.95):.1f} ms"
    )
    if two_page:
        print(
            f"2-page PDFs: p50 {_percentile(two_page, 0.5):.1f} ms, "
            f"p95 {_percentile(two_page, 0.95):.1f} ms"
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
    args = parser.parse_args(argv)
    return run(args.data, args.ground_truth, max(1, args.repeat), args.fields, args.misses)


if __name__ == "__main__":
    raise SystemExit(main())
