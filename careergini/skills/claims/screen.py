"""The claims check on free text (the coach's answers, feedback): sentence by sentence.

Only sentences that state something about the person's record ("you led...", "your time at")
are checked; advice ("you could learn Kafka") is not a claim. A sentence with a claim the
profile does not support is withheld: when every unsupported claim is a skill it becomes a
question ("Did you work with COBOL?"), else it is left out. ``SentenceGate`` does the same on a
stream: it holds a sentence back until it is complete and has passed. Only words that cannot
begin a claim (no "you", number, name or skill so far in the sentence) stream ahead of the
sentence's end, so an answer still appears as it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from careergini.skills.claims.check import Evidence, Verdict, check
from careergini.skills.claims.text import quantities
from careergini.skills.extraction import extract_skills

_BOUNDARY = re.compile(r"(?:[.!?](?:[\"')\]]*)\s+|\n+)")
_PAST = (
    r"led|built|ran|grew|won|drove|wrote|made|cut|set|took|began|brought|sold|taught|held|kept|"
    r"met|sent|spent|rebuilt|rewrote|oversaw|were|was|worked|managed|raised|shipped|saved|"
    r"launched|owned|have|had|hold|earned|\w{3,}ed"
)
_ABOUT_USER = re.compile(
    r"\byou(?:'ve|'re|\s+are|\s+were|\s+have|\s+had)?\s+(?:\w+\s+){0,2}?(?:" + _PAST + r")\b"
    r"|\byour\s+(?:\w+\s+){0,3}?(?:experience|work|time|role|tenure|background|years|team|"
    r"stint|job|position|degree|certification)\b"
    r"|\byou(?:'re|\s+are)\s+an?\b",
    re.IGNORECASE,
)
_YOU = re.compile(r"\byou(?:r|rs|'\w+)?\b", re.IGNORECASE)
_NOT_PAST = frozenset({"need", "feed", "seed", "speed", "proceed", "succeed", "exceed", "indeed"})


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences with their trailing whitespace (joined: the text)."""
    pieces, start = [], 0
    for match in _BOUNDARY.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def about_user(sentence: str) -> bool:
    """Tell whether a sentence states something about the person's record."""
    for match in _ABOUT_USER.finditer(sentence):
        last = match.group(0).split()[-1].casefold()
        if last not in _NOT_PAST:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Withheld:
    """A sentence that was not shown as written: why, and what was shown instead."""

    sentence: str
    unsupported: tuple[Verdict, ...]
    replacement: str  # the question asked instead, or "" when left out

    @property
    def reasons(self) -> list[str]:
        return [v.why for v in self.unsupported]


@dataclass(slots=True)
class Screened:
    text: str
    withheld: list[Withheld] = field(default_factory=list)


def _question(skills: list[str]) -> str:
    names = skills[0] if len(skills) == 1 else ", ".join(skills[:-1]) + " or " + skills[-1]
    return f"Did you work with {names}?"


def screen_sentence(sentence: str, *, evidence: Evidence) -> tuple[str, Withheld | None]:
    """Return the sentence to show (itself, a question or "") and what was withheld."""
    if not sentence.strip() or not about_user(sentence):
        return sentence, None
    result = check(sentence, evidence=evidence)
    failed = tuple(v for v in result.verdicts if not v.supported)
    if not failed:
        return sentence, None
    trailing = sentence[len(sentence.rstrip()) :] or " "
    if all(v.kind == "skill" for v in failed):
        replacement = _question(list(dict.fromkeys(v.text for v in failed))) + trailing
    else:
        replacement = ""
    return replacement, Withheld(sentence.strip(), failed, replacement.strip())


def screen(text: str, *, evidence: Evidence) -> Screened:
    """Withhold the sentences of a text whose claims about the person the profile lacks."""
    out = Screened(text="")
    for sentence in split_sentences(text):
        shown, withheld = screen_sentence(sentence, evidence=evidence)
        out.text += shown
        if withheld is not None:
            out.withheld.append(withheld)
    return out


def claim_free(text: str) -> bool:
    """Tell whether a piece of a sentence holds nothing a claim is made of: no "you", number,
    name (a capitalised word after the first) or skill."""
    if _YOU.search(text) or quantities(text):
        return False
    words = text.split()
    if any(w != "I" and any(c.isupper() for c in w) for w in words[1:]):
        return False
    return not extract_skills(text)


class SentenceGate:
    """Screen a streamed text: release each sentence once it is complete and has passed."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self._buffer = ""
        self._early = ""  # the current sentence's words released before its end
        self.shown = ""
        self.withheld: list[Withheld] = []

    def feed(self, piece: str) -> list[tuple[str, Withheld | None]]:
        """Take a piece of the stream; return what may be shown now (sentences that passed,
        and the claim-free words of the sentence being written)."""
        self._buffer += piece
        released = []
        while match := _BOUNDARY.search(self._buffer):
            sentence, self._buffer = (
                self._buffer[: match.end()],
                self._buffer[match.end() :],
            )
            released.append(self._release(sentence))
        if words := self._claim_free_words():
            self._early += words
            self._buffer = self._buffer[len(words) :]
            self.shown += words
            released.append((words, None))
        return released

    def _claim_free_words(self) -> str:
        """Return the longest run of complete words, next in the buffer, that holds no claim."""
        free = 0
        for match in re.finditer(r"\S+\s+", self._buffer):
            # Once a claim begins, more words never end it: stop at the first one.
            if not claim_free(self._early + self._buffer[: match.end()]):
                break
            free = match.end()
        return self._buffer[:free]

    def flush(self) -> list[tuple[str, Withheld | None]]:
        """Release what is left at the end of the stream."""
        rest, self._buffer = self._buffer, ""
        return [self._release(rest)] if rest or self._early else []

    def _release(self, rest: str) -> tuple[str, Withheld | None]:
        early, self._early = self._early, ""
        shown, withheld = screen_sentence(early + rest, evidence=self.evidence)
        if early and shown.startswith(early):
            shown = shown[len(early) :]  # already on screen
        elif early and withheld is not None:
            # The words shown early hold no claim; what follows them is withheld.
            shown = withheld.replacement and " " + withheld.replacement + " "
        self.shown += shown
        if withheld is not None:
            self.withheld.append(withheld)
        return shown, withheld
