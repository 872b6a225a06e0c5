"""Fabrication: does a planted lie about the user reach anything CareerGini exports?

A lying model double (tests/doubles/lying.py) answers in the product's reply shapes (tailoring,
cover letter, coach) with issue 15's lies planted next to honest paraphrases; the product's own
code takes the answers (``rewrite.apply_tailoring``, ``apply_letter``, the coach's sentence gate)
and the exports are read back. Reported per channel: planted and leaked lies per kind, and the
share of honest paraphrases kept. ``benchmarks/bench_fabrication.py`` prints it.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import docx
import pdfplumber

from careergini.profile.aggregate import (
    ImportInput,
    confirmed_only,
    finish_confidence,
    merge_imports,
)
from careergini.profile.parsers import parse_document
from careergini.resume import render, rewrite, tailor
from careergini.resume.letters import compose
from careergini.resume.service import resolve_target
from careergini.skills import service as skills_service
from careergini.skills.service import SentenceGate, candidate_from_profile
from evaluation.measures import Context, Measure
from tests.doubles.lying import LyingModel, Planted, stream_pieces, you_sentence

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
RESUMES = [
    FIXTURES / "resume" / "two_page_resume.txt",
    FIXTURES / "generated" / "resume.md",
    FIXTURES / "generated" / "one_column.pdf",
    FIXTURES / "resumes" / "resume-matcher" / "alfred_pennyworth_pm.pdf",
    FIXTURES / "resumes" / "resume-matcher" / "harvey_dent_mle.pdf",
    FIXTURES / "resumes" / "resume-matcher" / "john_doe.pdf",
    FIXTURES / "resumes" / "rendercv" / "John_Doe_ClassicTheme_CV.pdf",
]
JOBS = [
    FIXTURES / "resume" / "one_page_jd.txt",
    FIXTURES / "jds" / "backend-eng.txt",
    FIXTURES / "jds" / "frontend-eng.txt",
]
NOW = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass
class Tally:
    """Planted and leaked lies per kind, honest paraphrases offered and kept, per channel."""

    documents: int = 0
    planted: Counter[str] = field(default_factory=Counter)
    leaked: Counter[str] = field(default_factory=Counter)
    honest: int = 0
    kept: int = 0
    examples: list[str] = field(default_factory=list)

    def add(
        self, planted: Planted, exported: str, *, truth: str, questions_ok: bool = False
    ) -> None:
        """Count the lies that reached ``exported``; a "lie" the profile states is no lie."""
        self.documents += 1
        claims = exported
        if questions_ok:  # a skill the coach turned into a question is not a claim
            claims = " ".join(s for s in exported.split("?") if not s.strip().startswith("Did"))
        for kind, marker in planted.lies:
            if marker.casefold() in truth.casefold():
                continue
            self.planted[kind] += 1
            at = claims.casefold().find(marker.casefold())
            if at >= 0:
                self.leaked[kind] += 1
                if len(self.examples) < 10:
                    context = " ".join(claims[max(0, at - 120) : at + len(marker) + 20].split())
                    self.examples.append(f"{kind}: ...{context}...")
        self.honest += len(planted.honest)
        self.kept += sum(1 for h in planted.honest if h.rstrip(".") in exported)

    def summary(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "planted": dict(self.planted),
            "leaked": dict(self.leaked),
            "leaked_total": sum(self.leaked.values()),
            "honest_offered": self.honest,
            "honest_kept_share": round(self.kept / self.honest, 3) if self.honest else None,
            "examples": self.examples,
        }


def load_profile(path: Path) -> Any:
    """Import a resume file with the product's importer and merge it, as the profile does."""
    result = parse_document(path.read_bytes(), path.name)
    item = ImportInput(
        id="bench",
        kind=result.document_type.value,
        label=path.name,
        created_at=NOW,
        profile=result.profile,
    )
    # As the product builds it for resumes, letters and the coach: confirmed fields only.
    return confirmed_only(finish_confidence(merge_imports([item], now_year=NOW.year)))


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def profile_text(profile: Any) -> str:
    """Return everything the profile states, to tell a planted lie from a fact."""
    parts = [profile.summary.value or ""]
    for entry in profile.work:
        parts.extend([entry.title or "", entry.company or "", *entry.bullets])
    parts.extend(s.name for s in profile.skills)
    parts.extend(c.name for c in profile.certifications)
    return "\n".join(parts)


def _draft(profile: Any, jd: str) -> tuple[Any, Any]:
    target, job = resolve_target(job_description=jd, role_id=None)
    taxonomy = skills_service.load_taxonomy()
    candidate = candidate_from_profile(profile, now_year=NOW.year)
    gap = skills_service.compute_gap(job, candidate, taxonomy)
    years = skills_service.professional_years(profile.work, now_year=NOW.year, now_month=NOW.month)
    draft = tailor.build_resume(
        profile=profile,
        job=target,
        matched={m.skill_id: m.importance for m in gap.matched},
        missing=[],
        years_experience=years or 0.0,
        similarities={},
        options=tailor.TailorOptions(),
    )
    return draft, target


def run(*, rounds: int = 2, pdf: bool = False, seed: int = 0) -> dict[str, Any]:
    """Run every channel over every resume and posting ``rounds`` times; return the report."""
    model = LyingModel(seed)
    channels = {"resume": Tally(), "letter": Tally(), "coach": Tally()}
    profiles = [(p.name, load_profile(p)) for p in RESUMES]
    profiles = [(name, p) for name, p in profiles if sum(len(w.bullets) for w in p.work) >= 2]
    jobs = [j.read_text() for j in JOBS]
    for _ in range(rounds):
        for _name, profile in profiles:
            for jd in jobs:
                _resume_and_letter(model, profile, jd, channels, pdf=pdf)
                _coach(model, profile, channels["coach"])
    return {
        "resumes": [name for name, _ in profiles],
        **{name: tally.summary() for name, tally in channels.items()},
    }


def _resume_and_letter(
    model: LyingModel, profile: Any, jd: str, channels: dict[str, Tally], *, pdf: bool
) -> None:
    draft, target = _draft(profile, jd)
    years = skills_service.professional_years(profile.work, now_year=NOW.year, now_month=NOW.month)
    evidence = tailor.profile_evidence(profile, years=draft.years, years_experience=years)
    document = draft.document
    prepared = rewrite.tailor_messages(
        document, target, tone="neutral", years=draft.years, budget=6000
    )
    planted = Planted()
    reply = model.tailor(document, prepared, planted)
    rewrite.apply_tailoring(document, reply, prepared, evidence=evidence)
    # The user clicks "Accept all": every change that passed the check reaches the exports (a
    # change still waiting is exported as the user's own words, which would hide a leak).
    for item in [document.summary, *(b for p in document.positions for b in p.bullets)]:
        if item.decision == "pending":
            item.decision = "accepted"
    exported = json.dumps(render.to_json_resume(document))
    exported += _docx_text(render.render_docx(document, template="classic"))
    if pdf:
        exported += _pdf_text(render.render_pdf(document, template="classic"))
    truth = profile_text(profile)
    channels["resume"].add(planted, exported, truth=truth)

    letter = compose.build_letter(
        resume=document, job=target, tone="neutral", today=date(2026, 11, 1)
    )
    targets = [t for t in (target.title, target.company) if t]
    letter_evidence = tailor.profile_evidence(
        profile, years=draft.years, targets=targets, years_experience=years
    )
    facts = compose.letter_facts(document, years=draft.years)
    prepared = rewrite.letter_messages(letter, target, facts=facts, tone="neutral", budget=6000)
    sources = {p.id: p.source for p in letter.paragraphs}
    planted = Planted()
    reply_letter = model.letter(prepared, sources, planted)
    rewrite.apply_letter(letter, reply_letter, prepared, evidence=letter_evidence)
    exported = json.dumps(compose.export_json(letter))
    exported += _docx_text(render.render_letter_docx(letter, template="classic"))
    channels["letter"].add(planted, exported, truth=truth)


def _coach(model: LyingModel, profile: Any, tally: Tally) -> None:
    evidence = skills_service.evidence_now(profile, now_year=NOW.year, now_month=NOW.month)
    honest = [s for b in (b for w in profile.work for b in w.bullets) if (s := you_sentence(b))]
    planted = Planted()
    answer = model.coach(honest[:3], planted)
    gate = SentenceGate(evidence)
    for piece in stream_pieces(answer):
        gate.feed(piece)
    gate.flush()
    tally.add(planted, gate.shown, truth=profile_text(profile), questions_ok=True)


def measure(ctx: Context) -> list[Measure]:
    """Return leaked planted lies per channel and kind, and the honest paraphrases kept."""
    report = run(rounds=2)
    out = []
    for channel in ("resume", "letter", "coach"):
        row = report[channel]
        planted = sum(row["planted"].values())
        data = (
            f"{row['documents']} {channel} answers of a lying model double over "
            f"{len(report['resumes'])} resumes and {len(JOBS)} postings ({planted} lies planted)"
        )
        out.append(Measure(f"grounding.{channel}.leaked", row["leaked_total"], data))
        out.append(Measure(f"grounding.{channel}.planted", planted, data))
        kept = row["honest_kept_share"]
        out.append(
            Measure(f"grounding.{channel}.honest_kept", kept if kept is not None else 0.0, data)
        )
        for kind in sorted(row["planted"]):
            out.append(
                Measure(
                    f"grounding.{channel}.leaked.{kind}",
                    row["leaked"].get(kind, 0),
                    f"{row['planted'][kind]} {kind} lies planted in {channel} answers",
                )
            )
    return out
