"""The grounding check of resumes and letters: the skills floor's claims check.

Every rewrite, composed sentence and edit of a resume or cover letter goes through
``careergini.skills.claims`` (reached through ``skills.service``); this module keeps the names
the resume code reads it by.
"""

from __future__ import annotations

from careergini.skills.service import (
    Evidence as Evidence,
    Grounding as Grounding,
    Verdict as Verdict,
    build_evidence as build_evidence,
    check_claims as check,
    describe_claims as describe,
    fold as fold,
    fold_name as fold_name,
    name_spans as name_spans,
    profile_dates as profile_dates,
    quantities as quantities,
)

__all__ = [
    "Evidence",
    "Grounding",
    "Verdict",
    "build_evidence",
    "check",
    "describe",
    "fold",
    "fold_name",
    "name_spans",
    "profile_dates",
    "quantities",
]
