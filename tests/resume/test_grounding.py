"""The grounding check, as a pure unit: facts found, supported or not, and why."""

from __future__ import annotations

import pytest

from careergini.resume import grounding

PROFILE_TEXTS = [
    "Jane Doe",
    "Senior Backend Engineer at Acme Corp",
    "Software Engineer at Globex",
    "Built FastAPI services on PostgreSQL serving 2M requests a day",
    "Cut p99 latency by 40% with Redis caching",
    "Led a team of 4 engineers moving deployments to Docker",
    "Managed ten engineers across two time zones",
    "Saved $2M a year by retiring a legacy billing system",
    "Wrote data pipelines in Python and SQL",
    "University of California, Berkeley, B.S., Computer Science",
    "Python, FastAPI, PostgreSQL, Docker, SQL, Redis",
]
POSITION_DATES = {(2021, 1), (2021, None)}


@pytest.fixture(scope="module")
def evidence() -> grounding.Evidence:
    return grounding.build_evidence(
        PROFILE_TEXTS,
        skill_ids=["python", "fastapi", "postgresql", "docker", "sql", "redis"],
        dates={(2021, 1), (2021, None), (2017, None), (2020, None)},
        degrees=["B.S."],
        derived={7.0: "years of experience"},
    )


def check(evidence: grounding.Evidence, output: str, source: str | None) -> grounding.Grounding:
    return grounding.check(output, evidence=evidence, source=source, context_dates=POSITION_DATES)


LATENCY = "Cut p99 latency by 40% with Redis caching"
BILLING = "Saved $2M a year by retiring a legacy billing system"
TEAM = "Led a team of 4 engineers moving deployments to Docker"
TEN = "Managed ten engineers across two time zones"
PIPELINES = "Wrote data pipelines in Python and SQL"
FASTAPI = "Built FastAPI services on PostgreSQL serving 2M requests a day"


@pytest.mark.parametrize(
    ("source", "output", "kind", "needle"),
    [
        # A metric the source does not state.
        (PIPELINES, "Wrote data pipelines in Python and SQL for 10M events", "number", "10M"),
        (PIPELINES, "Wrote data pipelines in Python and SQL, cutting cost 30%", "percent", "30%"),
        (PIPELINES, "Wrote data pipelines in Python and SQL saving $500k", "money", "$500k"),
        # A changed number.
        (LATENCY, "Cut p99 latency by 45% with Redis caching", "percent", "45%"),
        (TEAM, "Led a team of 6 engineers moving deployments to Docker", "number", "6"),
        (BILLING, "Saved $3M a year by retiring a legacy billing system", "money", "$3M"),
        (BILLING, "Saved €2M a year by retiring a legacy billing system", "money", "€2M"),
        (TEN, "Managed twelve engineers across two time zones", "number", "twelve"),
        # An invented employer, institution or title.
        (FASTAPI, "Built FastAPI services on PostgreSQL at Google serving 2M requests a day",
         "name", "Google"),
        (PIPELINES, "Wrote Python and SQL data pipelines for Bank of America", "name",
         "Bank of America"),
        (PIPELINES, "Google: wrote data pipelines in Python and SQL", "name", "Google"),
        (TEAM, "As Staff Engineer, led 4 engineers moving deployments to Docker", "title",
         "Staff Engineer"),
        (PIPELINES, "Wrote data pipelines in Python and SQL as engineering director", "title",
         "director"),
        # An invented skill.
        (TEAM, "Led 4 engineers moving deployments to Docker and Kubernetes", "skill",
         "Kubernetes"),
        (PIPELINES, "Wrote data pipelines in Python, SQL and Apache Spark", "skill",
         "Apache Spark"),
        # Dates, degrees, certifications.
        (PIPELINES, "Wrote data pipelines in Python and SQL in 2019", "year", "2019"),
        (FASTAPI, "Since Mar 2021, built FastAPI services on PostgreSQL serving 2M requests a day",
         "date", "Mar 2021"),
        (PIPELINES, "Wrote data pipelines in Python and SQL during my PhD", "degree", "PhD"),
        (PIPELINES, "Certified data engineer; wrote pipelines in Python and SQL", "certification",
         "Certified"),
        (PIPELINES, "Wrote data pipelines in Python and SQL (jane@other.example)", "contact",
         "jane@other.example"),
    ],
)  # fmt: skip
def test_an_added_or_changed_fact_is_unsupported(
    evidence: grounding.Evidence, source: str, output: str, kind: str, needle: str
) -> None:
    result = check(evidence, output, source)
    assert not result.ok, output
    kinds = {u.fact.kind for u in result.unsupported}
    assert kind in kinds, result.reasons()
    assert any(needle in u.fact.text or needle in u.reason for u in result.unsupported)


@pytest.mark.parametrize(
    ("source", "output"),
    [
        (LATENCY, LATENCY),
        # Reordered and rephrased, the same facts.
        (LATENCY, "Reduced p99 latency 40% by adding Redis caching"),
        (LATENCY, "Cut p99 latency by 40 percent using Redis"),
        (TEAM, "Moved deployments to Docker, leading a team of four engineers"),
        (TEAM, "Spearheaded the Docker migration with a four-engineer team"),
        (TEN, "Managed 10 engineers across 2 time zones"),
        (BILLING, "Retired a legacy billing system, saving $2 million a year"),
        (BILLING, "Saved $2,000,000 annually by retiring the legacy billing system"),
        (FASTAPI, "Served 2 million daily requests with FastAPI services on PostgreSQL"),
        # Names the profile states elsewhere are supported (employers, skills).
        (FASTAPI, "Built FastAPI services on PostgreSQL at Acme Corp, serving 2M requests a day"),
        (PIPELINES, "Wrote Python and SQL data pipelines, with Redis for caching"),
        # Verbs and function words that open a sentence are not names.
        (PIPELINES, "Engineered data pipelines in Python and SQL"),
        (PIPELINES, "Designs and maintains data pipelines in Python and SQL"),
        (PIPELINES, "Independently wrote data pipelines in Python and SQL"),
        (PIPELINES, "Wrote data pipelines in Python and SQL; Owned their reliability"),
        # Generic words that name nothing about the person.
        (PIPELINES, "Wrote data pipelines in Python and SQL behind internal APIs"),
    ],
)
def test_supported_rewrites_pass(evidence: grounding.Evidence, source: str, output: str) -> None:
    result = check(evidence, output, source)
    assert result.ok, result.reasons()


def test_numbers_are_matched_against_the_source_bullet_not_the_whole_profile(
    evidence: grounding.Evidence,
) -> None:
    # 40% is in the profile, but not in this bullet: moving a metric is inventing one.
    result = check(evidence, "Wrote data pipelines in Python and SQL, 40% faster", PIPELINES)
    assert [u.fact.text for u in result.unsupported] == ["40%"]
    # Without a source (a summary), the whole profile is the evidence.
    assert check(evidence, "Cut latency by 40% and saved $2M a year.", None).ok


def test_derived_numbers_are_allowed_where_no_source_is_given(
    evidence: grounding.Evidence,
) -> None:
    summary = "Senior Backend Engineer with 7 years of professional experience at Acme Corp."
    assert check(evidence, summary, None).ok
    result = check(evidence, summary.replace("7", "9"), None)
    assert [u.fact.text for u in result.unsupported] == ["9"]


def test_a_bullet_may_use_its_positions_dates(evidence: grounding.Evidence) -> None:
    assert check(evidence, "Since Jan 2021, built FastAPI services serving 2M requests a day",
                 FASTAPI).ok  # fmt: skip
    assert check(evidence, "In 2021 wrote data pipelines in Python and SQL", PIPELINES).ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 engineers", [("number", 10.0)]),
        ("ten engineers", [("number", 10.0)]),
        ("twenty-five users", [("number", 25.0)]),
        ("40%", [("percent", 40.0)]),
        ("forty percent", [("percent", 40.0)]),
        ("$2M", [("money", 2_000_000.0)]),
        ("$2.5 million", [("money", 2_500_000.0)]),
        ("2,000,000 requests", [("number", 2_000_000.0)]),
        ("5k QPS", [("number", 5_000.0)]),
        ("3x faster", [("multiple", 3.0)]),
        ("a million rows", [("number", 1_000_000.0)]),
        ("2017 - 2020", [("year", 2017.0), ("year", 2020.0)]),
        ("EC2 and S3 on k8s", []),
        ("one of the first", []),
    ],
)
def test_quantities_are_read_with_value_and_kind(
    text: str, expected: list[tuple[str, float]]
) -> None:
    assert [(q.kind, q.value) for q in grounding.quantities(text)] == expected


def test_name_spans_join_multiword_names_and_split_verbs() -> None:
    spans = [s for s, _ in grounding.name_spans("Led the Bank of America migration at Google.")]
    assert spans == ["Led", "Bank of America", "Google"]


def test_job_names_are_allowed_as_the_target_but_never_as_a_past_employer() -> None:
    evidence = grounding.build_evidence(PROFILE_TEXTS, targets=["Acme Payments", "Staff Engineer"])
    assert grounding.check(
        "I am applying for the Staff Engineer role at Acme Payments.", evidence=evidence
    ).ok
    claimed = grounding.check("I worked at Acme Payments for two years.", evidence=evidence)
    assert any("job's employer" in r for r in claimed.reasons())


def test_describe_says_what_is_unsupported(evidence: grounding.Evidence) -> None:
    result = check(evidence, "Cut p99 latency by 45% at Google with Kubernetes", LATENCY)
    text = grounding.describe(result)
    assert "45%" in text and "Google" in text and "Kubernetes" in text
    assert grounding.describe(check(evidence, LATENCY, LATENCY)).startswith("Every fact")
