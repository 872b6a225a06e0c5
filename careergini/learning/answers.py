"""Reading an interview answer without the model: is it about the question, is it a story with
the person's own actions and a measured result, is it specific rather than generic. Pure.

The checks (each passed or with one piece of advice; advice is never given for what the answer
already has):

- **on the question**: one of the question's reviewed topic words (``topic`` in the bank:
  "disagree", "conflict" for a disagreement), else the similarity of the answer with the
  question and its model-answer outline (sentence embeddings, computed by the caller), else,
  without embeddings, the share of the question's own words the answer uses. A story told for
  another question fails here.
- **situation**: a context cue ("when", "last year", "at Acme", "on our project") together with
  a specific detail (a name, a number or a technology).
- **task**: what the person had to achieve ("I had to", "my goal was", "the deadline").
- **action**: at least two of the person's own action verbs after "I" ("I profiled", "I
  rewrote"); being, having, thinking and liking are not actions. The feedback quotes the verbs.
- **result** and **measure**: an outcome ("cut", "reduced", "so that") and a number with it.
- **specific**: generic self-descriptions ("hard worker", "team player", "passionate") cost
  points, and an answer with no specific detail at all fails.

The score (0-100) weighs the checks; an answer that is not on the question keeps at most 30.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+#.-]*|\d[\d,.]*")
_NUMBER = re.compile(
    r"(?:[$€£]\s?)?\b\d[\d,.]*\s?(?:%|percent|x\b|k\b|m\b|ms\b|s\b|million|thousand|hours?|"
    r"minutes?|days?|weeks?|months?|users?|requests?|people|engineers?|customers?|points?)?"
    r"|\b(?:half|doubled|tripled|halved|twice)\b",
    re.IGNORECASE,
)
_FIRST_PERSON_VERB = re.compile(
    r"\bI\s+(?:then\s+|also\s+|first\s+|quickly\s+|personally\s+|finally\s+)?([a-z]{2,})\b"
)
# Not actions: being, having, feeling, wanting and habits ("I always", "I am").
_NOT_ACTIONS = {
    "am", "was", "were", "be", "been", "have", "had", "has", "think", "thought", "believe",
    "believed", "feel", "felt", "like", "liked", "love", "loved", "always", "usually", "never",
    "want", "wanted", "know", "knew", "guess", "hope", "hoped", "would", "will", "can", "could",
    "should", "may", "might", "must", "do", "did", "try", "tried", "really", "just", "also",
    "consider", "see", "saw", "get", "got", "enjoy", "enjoyed", "work", "worked", "learned",
    "learnt", "realised", "realized", "remember", "need", "needed", "mean", "meant", "often",
    "tend", "prefer", "care", "bring", "brought", "thrive", "pride", "pay", "keep", "kept",
    "rarely", "sometimes", "generally", "constantly", "definitely", "truly", "personally",
}  # fmt: skip
_CONTEXT = re.compile(
    r"\b(?:when|while|during|last (?:year|month|quarter|week|summer|spring|autumn|winter)|"
    r"in (?:19|20)\d\d|in (?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december)|at my|at our|in my|in our|on our|on (?:a|the|my) project|"
    r"(?:our|my) (?:team|client|company|product|manager|lead)|a client|a customer|we had|"
    r"we were|at the time|previous (?:job|role)|there (?:was|were))\b",
    re.IGNORECASE,
)
_AT_PLACE = re.compile(r"\b[Aa]t [A-Z][A-Za-z]+")  # "at Brightline"
_TASK = re.compile(
    r"\bi (?:had|needed|was asked|was supposed|was tasked) to\b|\bi had \w+(?: \w+)? to\b|"
    r"\bi was responsible\b|\bresponsible for\b|\bmy (?:task|goal|job|role|aim) was\b|"
    r"\b(?:the|our) (?:goal|aim|challenge|problem|task) was\b|\bwe (?:had|needed) to\b|"
    r"\bdeadline\b|\bin order to\b|\bhad to be\b|\bi owned\b|\bi had \w+ (?:days|weeks|"
    r"hours)\b",
    re.IGNORECASE,
)
_RESULT = (
    "result", "resulted", "reduced", "increased", "improved", "saved", "cut", "grew", "led to",
    "so that", "outcome", "delivered", "launched", "shipped", "dropped", "fell", "rose",
    "raised", "went from", "went down", "went up", "brought down", "now ", "since then",
    "by the end", "in the end", "which meant", "fewer", "faster", "halved", "doubled", "won",
)  # fmt: skip
_GENERIC = (
    "hard worker", "hard-working", "hardworking", "team player", "passionate", "detail-oriented",
    "detail oriented", "go above and beyond", "went above and beyond", "think outside the box",
    "results-driven", "results driven", "self-starter", "fast learner", "quick learner",
    "perfectionist", "people person", "synergy", "go-getter", "strong communication skills",
    "excellent communication", "i always give", "110%", "best of my ability", "motivated",
    "dedicated", "i work well", "i am a ", "i'm a ", "wear many hats", "dynamic",
)  # fmt: skip
_COMMON_CAPS = {"I", "I'm", "I've", "I'd", "I'll", "We", "The", "My", "Our", "It", "This",
    "That", "When", "While", "So", "Then", "After", "Before", "In", "At", "On", "As", "But",
    "And", "Because", "A", "An", "First", "Finally", "Last", "Next", "Also", "If"}  # fmt: skip
# MiniLM cosine of an answer with its question: a story and a one-line question share few words,
# so on-topic stories measured 0.17-0.40 and off-topic ones 0.02-0.36 on the reviewed set; the
# topic words decide first and the similarity only lets clearly close answers through.
RELEVANT_SIMILARITY = 0.4
RELEVANT_OVERLAP = 0.2
OFF_TOPIC_CAP = 30
_STAR_WEIGHTS = {
    "on the question": 3,
    "situation": 1,
    "task": 1,
    "your actions": 2,
    "result": 1,
    "a number": 1,
    "specific": 2,
}


@dataclass
class Reading:
    """What the answer shows: the checks, the person's own verbs, the score."""

    checks: list[dict[str, Any]] = field(default_factory=list)
    verbs: list[str] = field(default_factory=list)
    generic: list[str] = field(default_factory=list)
    score: int = 0

    def check(self, name: str, passed: bool, advice: str, note: str | None = None) -> None:
        self.checks.append(
            {
                "check": name,
                "passed": passed,
                "advice": None if passed else advice,
                "note": note if passed else None,
            }
        )

    def passed(self, name: str) -> bool:
        return any(c["check"] == name and c["passed"] for c in self.checks)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def own_verbs(answer: str) -> list[str]:
    """Return the person's own action verbs ("I rewrote" -> rewrote), in order, once each."""
    found = (m.group(1) for m in _FIRST_PERSON_VERB.finditer(answer))
    return list(dict.fromkeys(v for v in found if v not in _NOT_ACTIONS))


def specifics(answer: str, known_terms: Iterable[str] = ()) -> list[str]:
    """Return the answer's specific details: numbers, names mid-sentence, named technologies."""
    out: list[str] = [m.group(0).strip() for m in _NUMBER.finditer(answer) if m.group(0).strip()]
    for sentence in sentences(answer):
        tokens = _TOKEN.findall(sentence)
        out += [t for t in tokens[1:] if t[:1].isupper() and t not in _COMMON_CAPS]
    text = answer.casefold()
    out += [t for t in known_terms if t and re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text)]
    return list(dict.fromkeys(out))


def generic_phrases(answer: str) -> list[str]:
    text = answer.casefold()
    return [p.strip() for p in _GENERIC if p in text]


def word_overlap(question: str, answer: str) -> float:
    """Return the share of the question's content words (5+ letters) the answer uses."""
    wanted = {t.casefold()[:6] for t in _TOKEN.findall(question) if len(t) >= 5}
    if not wanted:
        return 1.0
    have = {t.casefold()[:6] for t in _TOKEN.findall(answer)}
    return len(wanted & have) / len(wanted)


def on_question(
    question: str, answer: str, *, similarity: float | None, topic: Iterable[str] = ()
) -> bool:
    """Say whether an answer is about its question: one of the question's reviewed topic words
    ("disagree", "argu" for a disagreement), else a close enough meaning (embeddings), else,
    without embeddings, enough of the question's own words."""
    text = answer.casefold()
    if any(stem in text for stem in topic):
        return True
    if similarity is not None:
        return similarity >= RELEVANT_SIMILARITY
    return word_overlap(question, answer) >= RELEVANT_OVERLAP


def _has(text: str, cues: Iterable[str]) -> bool:
    return any(c in text for c in cues)


def read_story(
    question: str,
    answer: str,
    *,
    similarity: float | None,
    topic: Iterable[str] = (),
    known_terms: Iterable[str] = (),
) -> Reading:
    """Read a behavioural or role answer as a STAR story (see the module's docstring)."""
    reading = Reading()
    text = f" {answer.casefold()} "
    details = specifics(answer, known_terms)
    on_topic = on_question(question, answer, similarity=similarity, topic=topic)
    reading.check(
        "on the question",
        on_topic,
        "Answer the question asked: pick a story that is about it, and say how it is.",
    )
    reading.check(
        "situation",
        bool(_CONTEXT.search(answer) or _AT_PLACE.search(answer)) and bool(details),
        "Open with the situation: where you were, when, and what was at stake, with one "
        "specific detail (the product, the team, a number).",
    )
    reading.check(
        "task",
        bool(_TASK.search(answer)),
        "Say what you personally had to achieve, and what made it hard.",
    )
    reading.verbs = own_verbs(answer)
    reading.check(
        "your actions",
        len(reading.verbs) >= 2,
        'Say what you did yourself, step by step, with your own verbs ("I profiled...", '
        '"I rewrote...") rather than what you are like or what the team did.',
        note="Your actions: " + ", ".join(reading.verbs[:6]) + ".",
    )
    has_number = bool(_NUMBER.search(answer))
    reading.check(
        "result",
        _has(text, _RESULT),
        "End with the result: what changed because of what you did.",
    )
    reading.check(
        "a number",
        has_number,
        "Put a number on the result (time saved, a percentage, users, money, errors).",
    )
    reading.generic = generic_phrases(answer)
    reading.check(
        "specific",
        len(details) >= 2 and len(reading.generic) <= 1,
        "Replace general claims about yourself"
        + (f' ("{reading.generic[0]}")' if reading.generic else "")
        + " with one real example: what happened, what you did, what came of it.",
    )
    reading.score = _score(reading, _STAR_WEIGHTS)
    return reading


def _score(reading: Reading, weights: dict[str, int]) -> int:
    total = sum(weights.values())
    got = sum(w for name, w in weights.items() if reading.passed(name))
    score = round(100 * got / total) - 10 * max(0, len(reading.generic) - 1)
    if not reading.passed("on the question"):
        score = min(score, OFF_TOPIC_CAP)
    return max(0, min(100, score))
