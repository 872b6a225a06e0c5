"""Word lists and small text checks shared by the job-description readers."""

from __future__ import annotations

import re


def words(text: str) -> tuple[str, ...]:
    """Return the whitespace-separated words of a word list."""
    return tuple(text.split())


def phrases(text: str) -> tuple[str, ...]:
    """Return the "|"-separated phrases of a phrase list."""
    return tuple(text.split("|"))


def has_any(text: str, hints: tuple[str, ...]) -> bool:
    """Say whether text holds one of the hints (a cheap check before a regex runs)."""
    return any(hint in text for hint in hints)


# Nouns that make a line a job title ("Senior Data Engineer", "Head of Product").
ROLE_NOUNS = (
    "engineer|engineers|developer|developers|programmer|manager|managers|scientist|scientists|"
    "analyst|analysts|designer|designers|architect|architects|administrator|consultant|"
    "specialist|lead|director|head|officer|intern|teacher|tutor|facilitator|accountant|"
    "coordinator|associate|assistant|technician|executive|representative|recruiter|writer|"
    "editor|researcher|nurse|physician|strategist|owner|sre|devops|tester|vp|president|chief|"
    "cto|cio|ceo|cfo|coo|auditor|advisor|adviser|agent|operator|clerk|supervisor|marketer|"
    "trainer|instructor|professor|lecturer|mechanic|electrician|driver|counsel|lawyer|attorney|"
    "paralegal|pharmacist|therapist|economist|statistician|webmaster|artist|animator|producer|"
    "planner|buyer|controller|bookkeeper|cashier|chef|cook|hacker|evangelist|advocate|partner|"
    "expert|professional|generalist|steward|investigator|inspector|surveyor|trader|underwriter|"
    "internship|apprenticeship|fellowship|trainee"
)
ROLE_NOUN_RE = re.compile(rf"\b(?:{ROLE_NOUNS})\b", re.IGNORECASE)
