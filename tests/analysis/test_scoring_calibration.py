"""The match score on a scale people know: fixture resumes against fixture postings.

The person is read by the real importer and the similarity by the real embedding model; only the
database is left out (the scoring is pure).
"""

from __future__ import annotations

import pytest

from careergini.core.db import utcnow
from careergini.core.embeddings import Embedder
from careergini.profile.aggregate import ImportInput, merge_imports
from careergini.profile.parsers import parse_document
from careergini.skills.candidate import Candidate, candidate_from_profile
from careergini.skills.matching import compute_gap, compute_match, parse_job, requirements_from_job
from careergini.skills.scoring import MatchScore, band_of, calibrate, cosine
from careergini.skills.taxonomy import load_taxonomy
from tests.analysis.test_router import TEACHER_JD
from tests.profile.test_router import RESUME_A
from tests.samples import BACKEND_JD

# A plausible stretch for a backend engineer: data engineering, part of the stack in common.
DATA_ENGINEER_JD = """\
Data Engineer
Northwind Analytics - Remote

Responsibilities
- Build batch and streaming pipelines that feed our warehouse
- Model data for analysts and keep it tested

Requirements
- 3+ years of experience in data engineering
- Python and SQL
- Apache Spark and Apache Airflow
- Snowflake or BigQuery
- dbt

Nice to have
- Kafka
"""

# An unrelated job that still asks for years of experience (years alone must not score).
NURSE_JD = """\
Registered Nurse, Intensive Care
St Mary's Hospital - Boston

Responsibilities
- Provide direct patient care in a 20-bed intensive care unit
- Administer medication and monitor vital signs

Requirements
- 5+ years of experience as a registered nurse in intensive care
- Current RN licence and BLS/ACLS certification
- Patient assessment, wound care and infection control
"""


@pytest.fixture(scope="module")
def person() -> Candidate:
    result = parse_document(RESUME_A.encode(), "resume.txt")
    item = ImportInput(id="a", kind=result.document_type.value, label="resume.txt",
                       created_at=utcnow(), profile=result.profile)  # fmt: skip
    profile = merge_imports([item], now_year=utcnow().year)
    return candidate_from_profile(profile, now_year=utcnow().year)


def score(embedder: Embedder, person: Candidate, text: str) -> MatchScore:
    taxonomy = load_taxonomy()
    job = requirements_from_job(parse_job(text=text), taxonomy, text)
    gap = compute_gap(job, person, taxonomy)
    sim = cosine(
        embedder.embed_document_sync(person.experience_text), embedder.embed_document_sync(text)
    )
    return compute_match(job, person, gap, sim)


def test_a_strong_fit_scores_75_or_more(embedder: Embedder, person: Candidate) -> None:
    match = score(embedder, person, BACKEND_JD)
    assert match.score is not None and 75 <= match.score <= 95, match
    assert match.band == "strong match"
    assert match.summary.startswith("A strong match")


def test_a_plausible_stretch_scores_in_the_middle(embedder: Embedder, person: Candidate) -> None:
    match = score(embedder, person, DATA_ENGINEER_JD)
    assert match.score is not None and 40 <= match.score <= 70, match
    assert match.band == "stretch"


@pytest.mark.parametrize("text", [TEACHER_JD, NURSE_JD], ids=["teacher", "nurse"])
def test_an_unrelated_job_scores_under_20(embedder: Embedder, person: Candidate, text: str) -> None:
    match = score(embedder, person, text)
    assert match.score is not None and match.score < 20, match
    assert match.band == "unlikely"
    # Years of experience earn nothing toward a job the person is not relevant for.
    years = next((c for c in match.components if c.name == "experience_years"), None)
    assert years is None or years.points < 2


def test_the_breakdown_is_in_plain_words_and_adds_up(embedder: Embedder, person: Candidate) -> None:
    match = score(embedder, person, BACKEND_JD)
    assert match.score is not None
    assert abs(sum(c.points for c in match.components) - match.score) < 0.2
    for component in match.components:
        assert component.points <= component.max_points + 0.01, component
        assert component.label and component.label[0].isupper()
        for word in ("cosine", "_", "LLM", "0."):
            assert word not in component.evidence, component.evidence
    assert sum(c.max_points for c in match.components) >= 99.5


def test_no_score_comes_with_the_reason(embedder: Embedder, person: Candidate) -> None:
    match = score(embedder, person, "Lorem ipsum dolor sit amet, consectetur adipiscing elit.")
    assert match.score is None and match.band is None
    assert match.summary and "no score" in match.summary


def test_calibration_and_bands() -> None:
    assert calibrate(0) == 0 and calibrate(1) == 1
    points = [calibrate(x / 20) for x in range(21)]
    assert points == sorted(points)
    assert [band_of(s) for s in (95, 75, 74.9, 40, 39.9, 20, 19.9, 0)] == [
        "strong match", "strong match", "stretch", "stretch",
        "long shot", "long shot", "unlikely", "unlikely",
    ]  # fmt: skip
