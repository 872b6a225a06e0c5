"""The model's rewrites go through the claims check with position scope (issue 15's lies)."""

from __future__ import annotations

import re

from careergini.core.db import utcnow
from careergini.core.embeddings import Embedder
from careergini.resume import drafting, grounding, tailor
from careergini.resume.rewrite import ground_item
from careergini.resume.schemas import Item
from careergini.skills.service import professional_years
from tests.resume.samples import BACKEND_JD, profile_from_text

SOURCE = "Built FastAPI services on PostgreSQL serving 2M requests a day"
ACME = "\n".join(["Backend Engineer", "Acme Corp", SOURCE])
GLOBEX = "\n".join(["Platform Engineer", "Globex", "Ran Kubernetes clusters for the data team"])


def _evidence() -> grounding.Evidence:
    return grounding.build_evidence(
        [ACME, GLOBEX, "Python, FastAPI, PostgreSQL, Kubernetes"],
        skill_ids=["python", "fastapi", "postgresql", "kubernetes"],
        employers=["Acme Corp", "Globex"],
    )


def _ground(proposed: str) -> Item:
    item = Item(id="b1", source=SOURCE, text=SOURCE)
    ground_item(item, proposed, evidence=_evidence(), source=SOURCE, scope=ACME)
    return item


def test_an_outcome_in_words_is_reverted_and_named() -> None:
    item = _ground(f"{SOURCE}, which doubled user engagement")
    assert item.status == "reverted" and item.text == SOURCE
    assert any("doubled" in reason for reason in item.unsupported)


def test_a_skill_from_another_job_is_reverted() -> None:
    item = _ground(f"{SOURCE} with Kubernetes")
    assert item.status == "reverted" and item.text == SOURCE
    assert any("not in this position" in reason for reason in item.unsupported)


def test_an_honest_paraphrase_is_kept() -> None:
    item = _ground("Served 2M requests a day from FastAPI services on PostgreSQL")
    assert item.status == "rewritten", item.unsupported


INFLATING = """\
Sam Lee
Software Engineer
sam.lee@example.com

Summary
Software engineer with 10+ years of experience building web services.

Experience
Acme Corp, Software Engineer, Jun 2023 - Present
- Built FastAPI services on PostgreSQL serving 2M requests a day

Globex, Junior Developer, Jan 2021 - Dec 2022
- Wrote data pipelines in Python and SQL

Initech, Software Engineering Intern, Jun 2020 - Aug 2020
- Wrote unit tests for the billing service

Hooli, Summer Intern, Jun 2019 - Aug 2019
- Fixed bugs in the web app

Skills
Python, FastAPI, PostgreSQL, SQL
"""


async def test_the_composed_summary_never_overstates_experience(embedder: Embedder) -> None:
    """Issue 15: "5 years of professional experience" for about 3.5 years plus two summers,
    and "10+ years" (the user's own old summary) next to it."""
    profile = profile_from_text(INFLATING)
    prep = await drafting.prepare(
        profile=profile,
        embedder=embedder,
        job_description=BACKEND_JD,
        role_id=None,
        options=tailor.TailorOptions(),
    )
    summary = prep.draft.document.summary.text
    now = utcnow()
    years = professional_years(profile.work, now_year=now.year, now_month=now.month)
    assert years is not None and years < 7  # no internships, no rounding up
    assert f"{int(years)}" in summary and "10+" not in summary
    for claimed in re.findall(r"(\d+)\+? years", summary):
        assert int(claimed) <= years
