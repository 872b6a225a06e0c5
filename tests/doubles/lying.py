"""A lying model double: answers in the product's reply shapes, planting realistic lies.

It speaks the shapes the product parses (``TailorReply`` for tailoring, ``LetterReply`` for
cover letters, plain text for the coach) and mixes, in rotation, the lies issue 15 measured
(outcomes in words, a skill moved from another job, number words) with invented employers,
titles, team sizes, certifications and years of experience, and honest paraphrases that a
claims check must keep. Each planted text carries a marker, so a benchmark can tell whether it
reached an export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from careergini.resume.rewrite import LetterReply, Prepared, Rewrite, TailorReply
from careergini.resume.schemas import ResumeDocument
from careergini.skills.service import extract_skills

# kind -> (how the lie is added to a bullet, the marker that shows it leaked)
BULLET_LIES: dict[str, tuple[str, str]] = {
    "multiple": ("{text}, which doubled user engagement", "doubled user engagement"),
    "number_word": ("{text} for a dozen enterprise customers", "a dozen enterprise"),
    "moved_skill": ("{text} with {skill}", "with {skill}"),
    "employer": ("{text} at Initech", "Initech"),
    "title": ("As Director of Platform, {lower}", "Director of Platform"),
    "team_size": ("{text}, leading a team of 14 engineers", "team of 14"),
    "certification": ("{text} as an AWS Certified Solutions Architect", "Certified Solutions"),
    "percent": ("{text}, raising revenue by 73%", "73%"),
}
COACH_LIES: dict[str, tuple[str, str]] = {
    "employer": ("You led the payments team at Initech for two years.", "Initech"),
    "percent": ("You raised revenue by 73% in your last role.", "73%"),
    "multiple": ("You doubled user engagement in your last role.", "doubled user engagement"),
    "skill": ("You used COBOL every day in your last role.", "COBOL every day"),
    "team_size": ("You managed a team of 14 engineers.", "team of 14"),
    "certification": ("You are an AWS Certified Solutions Architect.", "Certified Solutions"),
    "title": ("You were the Director of Platform at your last company.", "Director of Platform"),
    "experience": ("You have 25 years of professional experience.", "25 years"),
}
_SYNONYMS = {
    "built": "developed", "developed": "built", "led": "directed", "designed": "created",
    "created": "designed", "managed": "oversaw", "improved": "enhanced", "wrote": "authored",
    "implemented": "delivered", "delivered": "shipped", "reduced": "cut", "cut": "reduced",
}  # fmt: skip


@dataclass
class Planted:
    """What the double planted: per kind, the markers that must not reach an export."""

    lies: list[tuple[str, str]] = field(default_factory=list)  # (kind, marker)
    honest: list[str] = field(default_factory=list)  # paraphrases a check must keep


def honest_paraphrase(text: str) -> str | None:
    """Return the text with its first verb swapped for a synonym, or None."""
    first, _, rest = text.strip().rstrip(".").partition(" ")
    swap = _SYNONYMS.get(first.casefold())
    if swap is None or not rest:
        return None
    return f"{swap[:1].upper()}{swap[1:]} {rest}"


def _skill_from_another_position(document: ResumeDocument, key: str) -> str | None:
    own = " ".join(
        [
            f"{p.title or ''} {p.company or ''} {p.location or ''}"
            for p in document.positions
            if p.key == key
        ]
        + [b.source for p in document.positions if p.key == key for b in p.bullets]
    )
    own_ids = {m.skill_id for m in extract_skills(own)}
    for position in document.positions:
        if position.key == key:
            continue
        for bullet in position.bullets:
            for mention in extract_skills(bullet.source):
                if (
                    mention.skill_id not in own_ids
                    and mention.name.casefold() not in own.casefold()
                ):
                    return mention.name
    return None


def lie_about(text: str, kind: str, *, skill: str | None = None) -> tuple[str, str] | None:
    """Plant one lie of ``kind`` in a sentence; return (the lying text, its marker)."""
    pattern, marker = BULLET_LIES[kind]
    if "{skill}" in pattern and not skill:
        return None
    base = text.strip().rstrip(".")
    lower = base[:1].lower() + base[1:] if base[1:2].islower() else base
    lying = pattern.format(text=base, lower=lower, skill=skill or "")
    return lying, marker.format(skill=skill or "")


class LyingModel:
    """Answers tailoring, letter and coach prompts with planted lies and honest paraphrases."""

    def __init__(self, seed: int = 0) -> None:
        self.turn = seed

    def _next_kind(self, kinds: list[str]) -> str:
        self.turn += 1
        return kinds[self.turn % len(kinds)]

    def tailor(self, document: ResumeDocument, prepared: Prepared, planted: Planted) -> TailorReply:
        """Answer a tailoring prompt: every other bullet lies, the rest are honest."""
        keys = {b.id: p.key for p in document.positions for b in p.bullets}
        sources = {b.id: b.source for p in document.positions for b in p.bullets}
        rewrites = []
        kinds = [*BULLET_LIES, "honest"]
        for short, item_id in prepared.ids.items():
            source = sources[item_id]
            kind = self._next_kind(kinds)
            answer: tuple[str, str] | None = None
            if kind != "honest":
                skill = _skill_from_another_position(document, keys[item_id])
                answer = lie_about(source, kind, skill=skill)
            if answer is not None:
                planted.lies.append((kind, answer[1]))
                rewrites.append(Rewrite(source_id=short, text=answer[0]))
            elif (honest := honest_paraphrase(source)) is not None:
                planted.honest.append(honest)
                rewrites.append(Rewrite(source_id=short, text=honest))
        summary = (document.summary.text or "Engineer.").rstrip(".")
        summary += ". 15 years of professional experience, AWS Certified."
        planted.lies.append(("experience", "15 years"))
        return TailorReply(summary=summary, bullets=rewrites)

    def letter(self, prepared: Prepared, sources: dict[str, str], planted: Planted) -> LetterReply:
        """Answer a cover letter prompt: a body paragraph carries one lie or is reordered."""
        paragraphs = []
        for short, item_id in prepared.ids.items():
            kind = self._next_kind([*(k for k in BULLET_LIES if k != "moved_skill"), "honest"])
            if kind == "honest":
                # Supported facts in another order: an honest rewording.
                sentences = re.split(r"(?<=\.)\s+", sources[item_id].strip())
                if len(sentences) > 1:
                    honest = " ".join(reversed(sentences))
                    planted.honest.append(honest)
                    paragraphs.append(Rewrite(source_id=short, text=honest))
                continue
            answer = lie_about(sources[item_id], kind)
            if answer is None:
                continue
            planted.lies.append((kind, answer[1]))
            paragraphs.append(Rewrite(source_id=short, text=answer[0]))
        return LetterReply(paragraphs=paragraphs)

    def coach(self, honest: list[str], planted: Planted) -> str:
        """Answer a coach turn: honest sentences about the user with two lies among them."""
        sentences = list(honest)
        for _ in range(2):
            kind = self._next_kind(list(COACH_LIES))
            text, marker = COACH_LIES[kind]
            planted.lies.append((kind, marker))
            sentences.insert(len(sentences) // 2, text)
        planted.honest.extend(honest)
        return " ".join(sentences)


def you_sentence(bullet: str) -> str | None:
    """Turn a past-tense bullet into an honest sentence about the user ("You built X.")."""
    first, _, rest = bullet.strip().rstrip(".").partition(" ")
    if not rest or not re.fullmatch(r"[A-Z][a-z]+ed|Built|Led|Wrote|Ran|Grew|Cut|Won", first):
        return None
    return f"You {first.lower()} {rest}."


def stream_pieces(text: str, size: int = 7) -> list[str]:
    """Split a text into the small pieces a model streams."""
    return [text[i : i + size] for i in range(0, len(text), size)]
