"""Deterministic tailoring as a pure unit: selection, order, no silent drops, grounded summary."""

from __future__ import annotations

import json
from typing import Any

import pytest

from careergini.resume import tailor
from careergini.resume.service import resolve_target
from careergini.skills import service as skills_service
from careergini.skills.candidate import candidate_from_profile
from careergini.skills.taxonomy import load_taxonomy
from tests.resume.samples import BACKEND_JD, INJECTION_JD, RESUME, profile_from_text


def draft_for(
    profile: Any,
    jd: str = BACKEND_JD,
    *,
    similarities: dict[str, float] | None = None,
    **options: Any,
) -> tailor.Draft:
    target, job = resolve_target(job_description=jd, role_id=None)
    candidate = candidate_from_profile(profile, now_year=2026)
    gap = skills_service.compute_gap(job, candidate, load_taxonomy())
    via = {t.skill_id: t.via_name for t in gap.transferable}
    return tailor.build_resume(
        profile=profile,
        job=target,
        matched={m.skill_id: m.importance for m in gap.matched},
        missing=[
            (g.skill_id, g.name, g.importance, via.get(g.skill_id))
            for g in [*gap.missing_required, *gap.missing_preferred]
        ],
        years_experience=candidate.years_experience,
        similarities=similarities or {},
        options=tailor.TailorOptions(**options),
    )


@pytest.fixture(scope="module")
def profile() -> Any:
    return profile_from_text(RESUME)


def keys(draft: tailor.Draft, *, included: bool | None = None) -> list[str]:
    return [p.key for p in draft.document.positions if included is None or p.included is included]


def test_every_position_stays_even_an_irrelevant_one(profile: Any) -> None:
    draft = draft_for(profile)
    assert sorted(keys(draft, included=True)) == sorted(w.key for w in profile.work)
    cafe = next(p for p in draft.document.positions if p.company == "Initech")
    assert cafe.included and cafe.relevance < 0.2
    # By relevance, the unrelated job comes last; chronological keeps the profile's order.
    assert keys(draft)[-1] == cafe.key
    chronological = draft_for(profile, position_order="chronological")
    assert keys(chronological) == [w.key for w in profile.work]


def test_a_position_is_left_out_only_when_asked_and_then_said(profile: Any) -> None:
    cafe = next(w.key for w in profile.work if w.company == "Initech")
    draft = draft_for(profile, exclude=frozenset({cafe}))
    position = next(p for p in draft.document.positions if p.key == cafe)
    assert not position.included
    assert "your request" in (position.excluded_reason or "")
    hidden = profile.model_copy(deep=True)
    hidden.work[0].hidden = True
    draft = draft_for(hidden)
    assert draft.document.positions[[p.key for p in draft.document.positions].index(
        hidden.work[0].key)].excluded_reason == "Hidden in your profile."  # fmt: skip


def test_bullets_are_ranked_and_limited_with_a_reason(profile: Any) -> None:
    acme = profile.work[0]
    draft = draft_for(profile, template="compact")  # three bullets a position
    position = next(p for p in draft.document.positions if p.key == acme.key)
    shown = [b for b in position.bullets if b.included]
    left_out = [b for b in position.bullets if not b.included]
    assert len(shown) == 3 and len(left_out) == 1
    assert left_out[0].source == "Organised the office book club"
    assert "less relevant" in left_out[0].reason
    # Bullets naming the job's skills rank first, with the why.
    assert shown[0].matched_skills and "required" in shown[0].why
    relevances = [b.relevance for b in position.bullets]
    assert relevances == sorted(relevances, reverse=True)
    assert draft_for(profile, max_bullets=1).document.positions[0].bullets[1].included is False


def test_similarity_orders_bullets_that_name_no_job_skill(profile: Any) -> None:
    acme = profile.work[0]
    latency, book_club = tailor.bullet_id(acme.key, 1), tailor.bullet_id(acme.key, 3)

    def order(sims: dict[str, float]) -> list[str]:
        draft = draft_for(profile, similarities=sims, position_order="chronological")
        return [b.id for b in draft.document.positions[0].bullets]

    latency_first = order({latency: 0.4, book_club: 0.1})
    assert latency_first.index(latency) < latency_first.index(book_club)
    club_first = order({latency: 0.1, book_club: 0.4})
    assert club_first.index(book_club) < club_first.index(latency)


def test_skills_lead_with_the_jobs_matched_skills(profile: Any) -> None:
    draft = draft_for(profile)
    names = [s.name for s in draft.document.skills]
    matched = [s.name for s in draft.document.skills if s.matched]
    assert names[: len(matched)] == matched
    assert matched[:4] == ["Python", "FastAPI", "PostgreSQL", "SQL"]  # the job's required order
    assert "Redis" in names[len(matched) :]  # still listed, after the job's skills
    assert "Kubernetes" not in names  # asked for, but no evidence


def test_summary_is_composed_from_profile_facts_and_grounded(profile: Any) -> None:
    draft = draft_for(profile)
    summary = draft.document.summary.text
    assert summary.startswith("Senior Backend Engineer with ")
    assert "most recently at Acme Corp" in summary and "Python" in summary
    evidence = tailor.profile_evidence(profile, years=draft.years)
    assert tailor.check_document(draft.document, evidence) == []


def test_keywords_say_what_was_surfaced_and_what_was_not_claimed(profile: Any) -> None:
    report = draft_for(profile).keywords
    surfaced = {k.skill_id: k.where for k in report.surfaced}
    assert {"skills", "bullets"} <= set(surfaced["postgresql"])
    kubernetes = next(k for k in report.not_claimed if k.skill_id == "kubernetes")
    assert kubernetes.importance == "required"
    assert "No evidence" in kubernetes.reason and "Docker" in kubernetes.reason


def test_hidden_instructions_in_the_job_change_nothing(profile: Any) -> None:
    plain = draft_for(profile).document.model_dump()
    injected = draft_for(profile, INJECTION_JD).document
    assert injected.model_dump() == plain
    text = json.dumps(injected.model_dump())
    for invented in ("Google", "Staff Engineer", "PhD", "Kubernetes"):
        assert invented not in text


def test_evidence_leaves_hidden_positions_out(profile: Any) -> None:
    hidden = profile.model_copy(deep=True)
    hidden.work[1].hidden = True
    evidence = tailor.profile_evidence(hidden)
    assert "Globex" not in evidence.text and "Acme Corp" in evidence.text
