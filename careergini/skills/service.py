"""The skills domain's public API: what routers and other packages call."""

from __future__ import annotations

from careergini.core.errors import InvalidInput
from careergini.skills import scoring as _scoring
from careergini.skills.ats import ats_report as ats_report, inspect_layout as inspect_layout
from careergini.skills.candidate import candidate_from_profile as candidate_from_profile
from careergini.skills.claims import check as _claims, screen as _screen
from careergini.skills.claims.check import (
    Evidence as Evidence,
    Grounding as Grounding,
    Verdict as Verdict,
    build_evidence as build_evidence,
    profile_dates as profile_dates,
)
from careergini.skills.claims.profile import (
    evidence_now as evidence_now,
    professional_years as professional_years,
    profile_evidence as profile_evidence,
)
from careergini.skills.claims.screen import (
    SentenceGate as SentenceGate,
    Withheld as Withheld,
    split_sentences as split_sentences,
)
from careergini.skills.claims.text import (
    fold as fold,
    fold_name as fold_name,
    name_spans as name_spans,
    quantities as quantities,
)
from careergini.skills.extraction import (
    SkillMention,
    extract_skill_ids as extract_skill_ids,
    extract_skills as extract_skills,
)
from careergini.skills.implication import (
    evidenced_by_studies as evidenced_by_studies,
    implied_by as implied_by,
)
from careergini.skills.matching import (
    compute_gap as compute_gap,
    compute_match as compute_match,
    get_role as get_role,
    parse_job as parse_job,
    requirements_from_job as requirements_from_job,
    requirements_from_role as requirements_from_role,
)
from careergini.skills.schemas import MAX_EXTRACT_CHARS
from careergini.skills.scoring import SCORING_VERSION as SCORING_VERSION, cosine as cosine
from careergini.skills.taxonomy import (
    Skill,
    load_roles as load_roles,
    load_taxonomy as load_taxonomy,
)
from careergini.skills.titles import (
    TechRole as TechRole,
    TitleMatch as TitleMatch,
    base_role_id as base_role_id,
    find_role as find_role,
    load_tech_roles as load_tech_roles,
    search_titles as search_titles,
    suggest_roles as suggest_roles,
    tech_role as tech_role,
    tech_roles_as_roles as tech_roles_as_roles,
    title_key as title_key,
)


def search_skills(*, q: str, limit: int = 10) -> list[Skill]:
    """Return skills whose name or alias starts with q, best first."""
    return load_taxonomy().search(q, limit=limit)


def get_skill(*, skill_id: str) -> Skill | None:
    """Return one skill of the taxonomy by id."""
    return load_taxonomy().get(skill_id)


def extract(*, text: str) -> list[SkillMention]:
    """Return the skills mentioned in a text, with their character spans."""
    if not text or not text.strip():
        raise InvalidInput(
            "The text is empty. Send the resume or job description as plain text in 'text'."
        )
    if len(text) > MAX_EXTRACT_CHARS:
        raise InvalidInput(
            f"The text has {len(text):,} characters; the limit is {MAX_EXTRACT_CHARS:,}. "
            "Send one document at a time, or split a long one into sections."
        )
    return extract_skills(text)


# The claims check (``skills.claims``), under names that say what they check.
check_claims = _claims.check
describe_claims = _claims.describe
screen_claims = _screen.screen

# The scoring model in words, for the API's documentation of the match score.
SCORING_DOC = _scoring.__doc__ or ""
