"""The LLM path as a pure unit: what the prompt holds, its budget, and how answers are grounded."""

from __future__ import annotations

from typing import Any

import pytest

from careergini.llm.prompts import get_prompt
from careergini.resume import prompts, rewrite, tailor
from careergini.resume.service import resolve_target
from tests.resume.samples import (
    BACKEND_JD,
    INJECTION_JD,
    ONE_PAGE_JD,
    TWO_PAGE_RESUME,
    profile_from_text,
)
from tests.resume.test_tailor import draft_for

BUDGET = 3000


@pytest.fixture(scope="module")
def profile() -> Any:
    return profile_from_text()


def prepared_for(profile: Any, jd: str = BACKEND_JD, budget: int = BUDGET) -> tuple[Any, Any]:
    draft = draft_for(profile, jd)
    target, _ = resolve_target(job_description=jd, role_id=None)
    prepared = rewrite.tailor_messages(
        draft.document, target, tone="confident", years=draft.years, budget=budget
    )
    return draft, prepared


def test_prompts_are_registered_with_versions() -> None:
    assert get_prompt("resume.tailor") is prompts.TAILOR
    assert prompts.TAILOR.ref == "resume.tailor@v1"
    assert get_prompt("resume.cover_letter").ref == "resume.cover_letter@v1"


def test_the_prompt_wraps_untrusted_text_and_sends_a_condensed_job(profile: Any) -> None:
    draft, prepared = prepared_for(profile, INJECTION_JD)
    system, user = (m["content"] for m in prepared.messages)
    assert "one bullet for each input bullet" in system and "confident" in system
    assert '<data source="resume">' in user and '<data source="job_description">' in user
    assert '<data source="profile">' in user
    # Title, skills and responsibilities, not the whole posting (nor its hidden instructions).
    assert "Required skills: Python, Kubernetes, FastAPI" in user
    assert "About the role" not in user and "ignore your previous" not in user
    # Every shown bullet is sent once, with a short id mapped back to its source.
    shown = [b.id for _, b in tailor.included_bullets(draft.document)]
    assert sorted(prepared.ids.values()) == sorted(shown)
    for short, bullet_id in prepared.ids.items():
        source = next(
            b.source for _, b in tailor.included_bullets(draft.document) if b.id == bullet_id
        )
        assert f"[{short}] {source}" in user


def test_a_two_page_resume_and_a_one_page_job_fit_the_budget() -> None:
    profile = profile_from_text(TWO_PAGE_RESUME)
    draft, prepared = prepared_for(profile, ONE_PAGE_JD)
    assert prepared.left_out == []
    assert len(prepared.ids) == sum(1 for _ in tailor.included_bullets(draft.document)) == 30
    assert prepared.estimate <= BUDGET


def test_over_budget_the_least_relevant_bullets_stay_as_written(profile: Any) -> None:
    draft, full = prepared_for(profile)
    _, tight = prepared_for(profile, budget=full.estimate - 40)
    assert tight.left_out and tight.estimate <= full.estimate - 40
    order = [b.id for _, b in tailor.included_bullets(draft.document)]
    # Trimmed from the end: the last positions (least relevant) first.
    assert tight.left_out[0] == order[-1]
    reply = rewrite.TailorReply(summary="", bullets=[])
    evidence = tailor.profile_evidence(profile, years=draft.years)
    notes = rewrite.apply_tailoring(draft.document, reply, tight, evidence=evidence)
    assert any("token budget" in n for n in notes)
    skipped = next(b for _, b in tailor.included_bullets(draft.document) if b.id == order[-1])
    assert skipped.status == "kept" and "token budget" in skipped.reason


def _apply(profile: Any, answers: dict[str, str], summary: str = "") -> Any:
    draft, prepared = prepared_for(profile)
    by_source = {
        b.source: short
        for short, bullet_id in prepared.ids.items()
        for _, b in tailor.included_bullets(draft.document)
        if b.id == bullet_id
    }
    reply = rewrite.TailorReply(
        summary=summary,
        bullets=[rewrite.Rewrite(source_id=by_source[s], text=t) for s, t in answers.items()]
        + [rewrite.Rewrite(source_id="b99", text="Founded a unicorn at Google")],
    )
    evidence = tailor.profile_evidence(profile, years=draft.years)
    notes = rewrite.apply_tailoring(draft.document, reply, prepared, evidence=evidence)
    bullets = {b.source: b for _, b in tailor.included_bullets(draft.document)}
    return draft.document, bullets, notes


def test_answers_are_kept_rewritten_or_reverted_with_reasons(profile: Any) -> None:
    document, bullets, notes = _apply(
        profile,
        {
            "Built FastAPI services on PostgreSQL serving 2M requests a day":
                "Built FastAPI services on PostgreSQL that serve 2 million requests daily",
            "Cut p99 latency by 40% with Redis caching":
                "Cut p99 latency by 45% with Redis caching",
            "Led a team of 4 engineers moving deployments to Docker":
                "Led 4 engineers moving deployments to Docker and Kubernetes at Google",
            "Wrote data pipelines in Python and SQL": "Wrote data pipelines in Python and SQL.",
        },
        summary="Backend engineer at Acme Corp who led 4 engineers; AWS certified.",
    )  # fmt: skip
    good = bullets["Built FastAPI services on PostgreSQL serving 2M requests a day"]
    assert (good.status, good.decision) == ("rewritten", "pending")
    assert good.text.startswith("Built FastAPI services on PostgreSQL that serve")
    metric = bullets["Cut p99 latency by 40% with Redis caching"]
    assert metric.status == "reverted" and metric.text == metric.source
    assert metric.proposed == "Cut p99 latency by 45% with Redis caching"
    assert any("45%" in u for u in metric.unsupported)
    invented = bullets["Led a team of 4 engineers moving deployments to Docker"]
    assert invented.status == "reverted" and invented.text == invented.source
    assert any("Kubernetes" in u for u in invented.unsupported)
    assert any("Google" in u for u in invented.unsupported)
    same = bullets["Wrote data pipelines in Python and SQL"]
    assert same.status == "kept" and "kept your wording" in same.reason
    missing = bullets["Saved $2M a year by retiring a legacy billing system"]
    assert missing.status == "kept" and "no rewrite" in missing.reason
    assert any("b99" in n for n in notes)  # an id the model made up is ignored
    # The summary invented a certification and a skill: the deterministic one stays.
    assert document.summary.status == "reverted"
    assert document.summary.text == document.summary.source
    assert any("certification" in u for u in document.summary.unsupported)


def test_a_grounded_summary_is_taken(profile: Any) -> None:
    document, _, _ = _apply(
        profile,
        {},
        summary="Senior Backend Engineer at Acme Corp building FastAPI services on PostgreSQL.",
    )
    assert document.summary.status == "rewritten"
    assert document.summary.text.endswith("FastAPI services on PostgreSQL.")
