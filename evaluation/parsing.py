"""Resume parsing quality: field-level precision, recall and F1 against hand-written truth.

Scoring: a predicted field that matches its truth is a true positive; a wrong prediction is a
false positive and a false negative; a missing one is a false negative; a value where the truth
is empty is a false positive. Entries are paired with truth greedily by how many fields agree.
Text matches after case, punctuation and accent folding when the word sets overlap by 75% or
more; dates match on year, month (if either gives one) and "present"; phones on their digits.
Field groups: contact (name, email, phone, location, linkedin, github, website), positions
(company, title, start, end), education (institution, degree, field, start, end) and skills (the
items of the Skills section), and where the truth gives them, the kind of each position (job,
internship, volunteer) and the spoken languages (a language read as a skill is a miss).
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from careergini.profile.parsers import parse_document
from careergini.profile.parsers.dates import parse_date
from careergini.profile.schemas import ParsedProfile, PartialDate
from careergini.skills.extraction import extract_skills
from evaluation.measures import Context, Measure, rounded
from evaluation.metrics import Counts
from tests.fixtures.corpus import languages, word_shapes

REPO = Path(__file__).resolve().parents[1]
GROUPS = ("contact", "positions", "education", "skills", "languages")
CONTACT_FIELDS = ("name", "email", "phone", "location", "linkedin", "github", "website")
POSITION_FIELDS = ("company", "title", "start", "end")
EDUCATION_FIELDS = ("institution", "degree", "field", "start", "end")
REAL_WORLD = REPO / "tests" / "fixtures" / "real-world"
# Fictional CVs rendered in the shapes people upload (tests/fixtures/corpus/build.py).
GENERATED = REPO / "tests" / "fixtures" / "resumes" / "generated"
ParseFn = Callable[[bytes, str], Any]
WORD_SHAPES: dict[str, Callable[[], bytes]] = {
    "soft-breaks-1-paragraph": word_shapes.soft_break_cv,
    "soft-breaks-2-paragraphs": lambda: word_shapes.soft_break_cv(paragraphs=2),
    "text-box": word_shapes.text_box_cv,
    "page-header": word_shapes.header_contact_cv,
    "table-columns": word_shapes.table_cv,
}


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


def _same_kind(truth: str, predicted: str) -> bool:
    return truth == predicted


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
        same = {f: (_same_kind if f == "kind" else check) for f, check in same.items()}
        for t, p in _pair(truths, predicted, same):
            for f in fields:
                score.count(group, f, (t or {}).get(f), (p or {}).get(f), same[f])

    def dated(items: list[dict]) -> list[dict]:
        return [
            {**i, "start": truth_date(i.get("start")), "end": truth_date(i.get("end"))}
            for i in items
        ]

    # The kind (job, internship, volunteer) is scored where the truth gives it.
    kinds = ("kind",) if any("kind" in p for p in truth["positions"]) else ()
    entries(
        "positions",
        POSITION_FIELDS + kinds,
        dated(truth["positions"]),
        [
            {
                "company": w.company,
                "title": w.title,
                "start": w.start,
                "end": w.end,
                "kind": w.kind,
            }
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

    # Spoken languages, where the truth lists them.
    if "languages" in truth:
        entries(
            "languages",
            ("language",),
            [{"language": item["language"]} for item in truth["languages"]],
            [{"language": item.language} for item in profile.languages],
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


Document = tuple[str, str, str, bytes, dict[str, Any]]  # shape, label, file name, bytes, truth
FIXTURES = REPO / "tests" / "fixtures"
# Folders whose documents have hand-written truth (a ground_truth.json beside them, or the
# rendercv YAML a PDF was rendered from); documents without a "shape" take the folder's.
GOLDEN_FOLDERS = (FIXTURES / "real-world", FIXTURES / "resumes")


def _truth_file_documents(truth_path: Path) -> list[Document]:
    folder = truth_path.parent
    truth_file = json.loads(truth_path.read_text(encoding="utf-8"))
    found = []
    for name, truth in sorted(truth_file["documents"].items()):
        if (folder / name).is_file():
            shape = truth.get("shape") or f"{Path(name).suffix.lstrip('.')}-{folder.name}"
            label = f"{folder.relative_to(FIXTURES)}/{name}"
            found.append((shape, label, name, (folder / name).read_bytes(), truth))
    return found


def _generated_documents() -> list[Document]:
    found: list[Document] = []
    for label, build in WORD_SHAPES.items():
        found.append(("docx-soft-breaks", label, "cv.docx", build(), word_shapes.SOFT_BREAK_TRUTH))
    for language in languages.CVS:
        text = languages.CVS[language].encode()
        found.append(("text-languages", language, "cv.txt", text, languages.truth(language)))
    return found


def shape_documents() -> list[Document]:
    """Return (shape, label, file name, bytes, truth) for the corpus of real-world shapes."""
    return (
        _truth_file_documents(REAL_WORLD / "ground_truth.json")
        + _truth_file_documents(GENERATED / "ground_truth.json")
        + _generated_documents()
    )


def buckets(shape: str, truth: dict[str, Any]) -> list[str]:
    """Return the rows a document counts in: its shape, and for a generated CV also all
    generated ones, its language (other than English) and "student"."""
    found = [shape]
    if truth.get("generated"):
        found.append("generated (all)")
        if truth.get("language", "en") != "en":
            found.append(f"generated language {truth['language']}")
        if truth.get("student"):
            found.append("generated student")
    return found


def golden_documents() -> list[Document]:
    """Return every resume with ground truth under the golden folders, and the built ones."""
    found: list[Document] = []
    for folder in GOLDEN_FOLDERS:
        for truth_path in sorted(folder.rglob("ground_truth.json")):
            found.extend(_truth_file_documents(truth_path))
        for yaml_path in sorted(folder.rglob("*.yaml")):
            pdf = yaml_path.with_suffix(".pdf")
            if pdf.is_file() and "rendercv" in yaml_path.parts:
                label = str(pdf.relative_to(FIXTURES))
                truth = rendercv_truth(yaml_path)
                found.append(("pdf-rendercv-themes", label, pdf.name, pdf.read_bytes(), truth))
    return found + _generated_documents()


@dataclass
class ParsingReport:
    """Field counts over every golden document: per group, per field, per shape."""

    documents: int = 0
    groups: dict[str, Counts] = field(default_factory=lambda: {g: Counts() for g in GROUPS})
    fields: dict[str, Counts] = field(default_factory=dict)
    shapes: dict[str, dict[str, Counts]] = field(default_factory=dict)
    shape_documents: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def evaluate(docs: Iterable[Document], parse: ParseFn = parse_document) -> ParsingReport:
    """Parse every document with ``parse`` and count its fields against the truth."""
    report = ParsingReport()
    for shape, label, name, raw, truth in docs:
        report.documents += 1
        report.shape_documents[shape] = report.shape_documents.get(shape, 0) + 1
        try:
            profile = parse(raw, name).profile
        except Exception as exc:  # a refusal scores as nothing found
            report.refused.append(f"{label}: {exc}")
            profile = ParsedProfile()
        score = score_document(label, profile, truth)
        counts = report.shapes.setdefault(shape, {g: Counts() for g in GROUPS})
        for group in GROUPS:
            report.groups[group].add(score.groups[group])
            counts[group].add(score.groups[group])
        for name_, c in score.fields.items():
            key = "skills" if name_.startswith("skills.") else name_
            report.fields.setdefault(key, Counts()).add(c)
        report.misses.extend(f"{label}: {miss}" for miss in score.misses)
    return report


def score_shapes(
    repeat: int = 1, parse: ParseFn = parse_document
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
                result = parse(raw, name)
            except Exception as exc:  # a refusal scores as nothing found
                refused.append(f"{label}: {exc}")
                break
            finally:
                times.append((time.perf_counter() - started) * 1000)
        profile = result.profile if result is not None else ParsedProfile()
        score = score_document(label, profile, truth)
        for bucket in buckets(shape, truth):
            counts = by_shape.setdefault(bucket, {g: Counts() for g in GROUPS})
            for group in GROUPS:
                counts[group].add(score.groups[group])
        misses.extend(f"{label}: {miss}" for miss in score.misses)
    return by_shape, times, misses, refused


def measure(ctx: Context) -> list[Measure]:
    """Return the parsing figures of every golden resume: per group, per field, per shape."""
    docs = golden_documents()
    report = evaluate(docs, ctx.parse)
    shapes = ", ".join(f"{s} {n}" for s, n in sorted(report.shape_documents.items()))
    data = f"{report.documents} resumes with hand-written truth ({shapes})"
    out = [Measure("parsing.documents", report.documents, data)]
    out.append(Measure("parsing.refused", len(report.refused), data, "; ".join(report.refused)))
    for group, counts in report.groups.items():
        for name in ("precision", "recall", "f1"):
            out.append(Measure(f"parsing.{group}.{name}", rounded(getattr(counts, name)), data))
    for name_, counts in sorted(report.fields.items()):
        if name_ != "skills" and not counts.empty:
            out.append(Measure(f"parsing.field.{name_}.f1", rounded(counts.f1), data))
    for shape, groups in sorted(report.shapes.items()):
        shape_data = f"{report.shape_documents[shape]} {shape} resumes"
        for group, counts in groups.items():
            if not counts.empty:
                out.append(
                    Measure(f"parsing.shape.{shape}.{group}.f1", rounded(counts.f1), shape_data)
                )
    return out
