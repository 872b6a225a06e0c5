"""The LLM path: build the tailoring prompt within its token budget, then ground the answer.

Only the bullets the resume shows are sent, with short ids ("b1"), and a condensed job (title,
company, required and preferred skills, responsibilities), never the whole description. Every
answer goes through the grounding check: a rewrite that adds a fact is reverted to its source,
with the reason; a missing rewrite keeps the source; ids the model made up are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from careergini.llm.budget import estimate_messages
from careergini.llm.prompts import wrap_untrusted
from careergini.resume import grounding, prompts
from careergini.resume.schemas import Item, LetterDocument, ResumeDocument
from careergini.resume.tailor import (
    JobTarget,
    included_bullets,
    position_dates,
    position_scope,
)

MAX_RESPONSIBILITIES = 8
MAX_SKILLS = 25
MAX_LINE_CHARS = 200


class Rewrite(BaseModel):
    source_id: str = Field(max_length=40)
    text: str = Field(max_length=1500)


class TailorReply(BaseModel):
    summary: str = Field(default="", max_length=2000)
    bullets: list[Rewrite] = Field(default_factory=list, max_length=200)


class LetterReply(BaseModel):
    paragraphs: list[Rewrite] = Field(default_factory=list, max_length=20)


@dataclass
class Prepared:
    messages: list[dict[str, str]]
    ids: dict[str, str]  # short id sent -> item id
    estimate: int
    left_out: list[str] = field(default_factory=list)  # item ids not sent (token budget)


def _clip(text: str, limit: int = MAX_LINE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def condensed_job(job: JobTarget) -> str:
    """Return the job as the model needs it: title, company, skills, responsibilities."""
    lines = []
    if job.title:
        lines.append(f"Title: {job.title}")
    if job.company:
        lines.append(f"Company: {job.company}")
    for label, levels in (
        ("Required skills", ("required", "mentioned")),
        ("Preferred", ("preferred",)),
    ):
        names = job.skills_of(*levels)[:MAX_SKILLS]
        if names:
            lines.append(f"{label}: {', '.join(names)}")
    if job.responsibilities:
        lines.append("Responsibilities:")
        lines.extend(f"- {_clip(r)}" for r in job.responsibilities[:MAX_RESPONSIBILITIES])
    return "\n".join(lines) or "(no details)"


def _dates(position: Any) -> str:
    def one(date: Any) -> str:
        if date is None:
            return "?"
        if date.present:
            return "present"
        return f"{date.year}-{date.month:02d}" if date.month else str(date.year or "?")

    if position.start is None and position.end is None:
        return ""
    end = "present" if position.current and position.end is None else one(position.end)
    return f" ({one(position.start)} to {end})"


def candidate_facts(document: ResumeDocument, *, years: int | None) -> str:
    """Return the facts the summary may use, one a line."""
    lines = []
    if document.basics.headline:
        lines.append(f"Headline: {_clip(document.basics.headline)}")
    if years:
        lines.append(f"Years of experience: {years}")
    for position in document.positions:
        if position.included:
            head = " at ".join(filter(None, [position.title, position.company]))
            lines.append(f"Position: {head}{_dates(position)}")
    for entry in document.education:
        lines.append(
            "Education: " + ", ".join(filter(None, [entry.degree, entry.field, entry.institution]))
        )
    matched = [s.name for s in document.skills if s.matched]
    others = [s.name for s in document.skills if not s.matched][:15]
    if matched:
        lines.append(f"Skills the job asks for, with evidence: {', '.join(matched)}")
    if others:
        lines.append(f"Other skills: {', '.join(others)}")
    for cert in document.certifications:
        lines.append(f"Certification: {cert.name}")
    return "\n".join(lines)


def tailor_messages(
    document: ResumeDocument,
    job: JobTarget,
    *,
    tone: str,
    years: int | None,
    budget: int,
) -> Prepared:
    """Build the tailoring messages; leave out the least relevant bullets if over ``budget``."""
    system = prompts.TAILOR.render(tone=prompts.TONES.get(tone, prompts.TONES["neutral"]))
    facts = wrap_untrusted(candidate_facts(document, years=years), source="profile")
    job_block = wrap_untrusted(condensed_job(job), source="job_description")
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    ids: dict[str, str] = {}
    for position in document.positions:
        if not position.included:
            continue
        items = []
        for bullet in position.bullets:
            if bullet.included:
                short = f"b{len(ids) + 1}"
                ids[short] = bullet.id
                items.append((short, bullet.source))
        if items:
            head = " at ".join(filter(None, [position.title, position.company])) or "Position"
            groups.append((head, items))
    # The least relevant positions come last (relevance order): trim from the end.
    sent = [short for _, items in groups for short, _ in items]
    left_out: list[str] = []
    while True:
        keep = set(sent)
        lines = []
        for head, items in groups:
            chosen = [(s, t) for s, t in items if s in keep]
            if chosen:
                lines.append(head)
                lines.extend(f"[{s}] {_clip(t, 400)}" for s, t in chosen)
        user = prompts.TAILOR_INPUT.render(
            facts=facts,
            bullets=wrap_untrusted("\n".join(lines) or "(none)", source="resume"),
            job=job_block,
        )
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        estimate = estimate_messages(messages)
        if estimate <= budget or not sent:
            break
        left_out.append(ids[sent.pop()])
    return Prepared(
        messages=messages,
        ids={s: ids[s] for s in sent},
        estimate=estimate,
        left_out=left_out,
    )


def _clean(text: str) -> str:
    text = re.sub(r"^\s*(?:[-*•]\s+|\d+[.)]\s+)", "", text or "")
    return " ".join(text.split())


def _same(a: str, b: str) -> bool:
    return grounding.fold(a).rstrip(".") == grounding.fold(b).rstrip(".")


def ground_item(
    item: Item,
    proposed: str | None,
    *,
    evidence: grounding.Evidence,
    source: str | None,
    context_dates: set[tuple[int, int | None]] | None = None,
    scope: str | None = None,
) -> None:
    """Apply the model's wording to an item if every fact in it is supported; else revert.

    ``scope`` is the text of the bullet's position: a skill or name from another position is
    not evidence for this one.
    """
    if proposed is None:
        item.reason = "The model returned no rewrite for this one; your text is kept."
        return
    text = _clean(proposed)
    if not text:
        item.reason = "The model returned an empty rewrite; your text is kept."
        return
    item.proposed = text
    if _same(text, item.source):
        item.reason = "The model kept your wording."
        return
    result = grounding.check(
        text, evidence=evidence, source=source, context_dates=context_dates or (), scope=scope
    )
    if result.ok:
        item.text, item.status, item.decision = text, "rewritten", "pending"
        item.unsupported = []
        item.reason = (
            "Reworded for the job; its numbers and dates are this bullet's, every other fact "
            "is in your profile."
            if source is not None
            else "Reworded for the job; every fact in it is in your profile."
        )
    else:
        item.text, item.status, item.decision = item.source, "reverted", "accepted"
        item.unsupported = result.reasons()
        item.reason = (
            "Reverted to your text: the model's wording added facts your profile does not "
            f"support ({grounding.describe(result)})."
        )


def apply_tailoring(
    document: ResumeDocument,
    reply: TailorReply,
    prepared: Prepared,
    *,
    evidence: grounding.Evidence,
) -> list[str]:
    """Ground the model's bullets and summary into the document; return notes for the report."""
    notes: list[str] = []
    by_id: dict[str, str] = {}
    unknown = []
    for rewrite in reply.bullets:
        item_id = prepared.ids.get(rewrite.source_id.strip().strip("[]"))
        if item_id is None:
            unknown.append(rewrite.source_id)
        elif item_id not in by_id:
            by_id[item_id] = rewrite.text
    if unknown:
        notes.append(
            f"The model answered for {len(unknown)} bullet(s) that do not exist "
            f"({', '.join(unknown[:5])}); those answers were ignored."
        )
    sent = set(prepared.ids.values())
    for position, bullet in included_bullets(document):
        if bullet.id in sent:
            ground_item(
                bullet,
                by_id.get(bullet.id),
                evidence=evidence,
                source=bullet.source,
                context_dates=position_dates(position),
                scope=position_scope(position),
            )
        elif bullet.id in prepared.left_out:
            bullet.reason = "Not sent to the model, to stay within its token budget; kept as is."
    if prepared.left_out:
        notes.append(
            f"{len(prepared.left_out)} of the least relevant bullet(s) were not sent to the model "
            "to keep the prompt within its token budget; they are kept as written."
        )
    summary = reply.summary.strip() or None
    ground_item(document.summary, summary, evidence=evidence, source=None)
    return notes


# --- cover letters ----------------------------------------------------------------------------


def letter_messages(
    letter: LetterDocument,
    job: JobTarget,
    *,
    facts: str,
    tone: str,
    budget: int,
) -> Prepared:
    """Build the cover letter messages (the body paragraphs); trim the facts to ``budget``."""
    system = prompts.COVER_LETTER.render(tone=prompts.TONES.get(tone, prompts.TONES["neutral"]))
    ids: dict[str, str] = {}
    lines = []
    for paragraph in letter.paragraphs:
        if paragraph.id in ("opening", "closing"):
            continue
        short = f"p{len(ids) + 1}"
        ids[short] = paragraph.id
        lines.append(f"[{short}] {paragraph.source}")
    fact_lines = facts.splitlines()
    while True:
        user = prompts.COVER_LETTER_INPUT.render(
            facts=wrap_untrusted("\n".join(fact_lines) or "(none)", source="profile"),
            paragraphs=wrap_untrusted("\n".join(lines), source="cover_letter"),
            job=wrap_untrusted(condensed_job(job), source="job_description"),
        )
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        estimate = estimate_messages(messages)
        if estimate <= budget or not fact_lines:
            break
        fact_lines.pop()  # the least relevant positions' bullets come last
    return Prepared(messages=messages, ids=ids, estimate=estimate)


def apply_letter(
    letter: LetterDocument,
    reply: LetterReply,
    prepared: Prepared,
    *,
    evidence: grounding.Evidence,
) -> list[str]:
    """Ground the model's paragraphs into the letter; return notes for the report."""
    by_id: dict[str, str] = {}
    unknown = []
    for rewrite in reply.paragraphs:
        item_id = prepared.ids.get(rewrite.source_id.strip().strip("[]"))
        if item_id is None:
            unknown.append(rewrite.source_id)
        elif item_id not in by_id:
            by_id[item_id] = rewrite.text
    for paragraph in letter.paragraphs:
        if paragraph.id in prepared.ids.values():
            ground_item(paragraph, by_id.get(paragraph.id), evidence=evidence, source=None)
    if unknown:
        return [f"The model answered for paragraphs that do not exist ({', '.join(unknown[:5])})."]
    return []
