"""The claims check (skills.claims): the issue's planted lies fail, honest paraphrases pass."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from careergini.skills.service import (
    Evidence,
    SentenceGate,
    build_evidence,
    check_claims,
    professional_years,
    quantities,
    screen_claims,
    split_sentences,
)

ACME_BULLETS = [
    "Built FastAPI services on PostgreSQL serving 2M requests a day",
    "Cut p99 latency by 40% with Redis caching",
]
GLOBEX_BULLETS = [
    "Ran Kubernetes clusters for the data team",
    "Doubled the test coverage of the billing service",
]
ACME_SCOPE = "\n".join(["Backend Engineer", "Acme Corp", *ACME_BULLETS])
GLOBEX_SCOPE = "\n".join(["Platform Engineer", "Globex", *GLOBEX_BULLETS])


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    return build_evidence(
        [ACME_SCOPE, GLOBEX_SCOPE, "Python, FastAPI, PostgreSQL, Redis, Kubernetes"],
        skill_ids=["python", "fastapi", "postgresql", "redis", "kubernetes"],
        years_experience=3.6,
        employers=["Acme Corp", "Globex"],
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("which doubled user engagement", 2.0),
        ("tripled sign-ups", 3.0),
        ("halved the build time", 0.5),
        ("cut costs in half", 0.5),
        ("twice as fast", 2.0),
        ("a tenfold increase", 10.0),
        ("a 10-fold increase", 10.0),
        ("3x faster", 3.0),
    ],
)
def test_outcomes_in_words_are_read_as_multiples(text: str, value: float) -> None:
    [found] = [q for q in quantities(text) if q.kind == "multiple"]
    assert found.value == value


@pytest.mark.parametrize(
    ("output", "kind"),
    [
        # An outcome in words the source does not state (the "doubled user engagement").
        ("Built FastAPI services on PostgreSQL, which doubled user engagement", "multiple"),
        ("Built FastAPI services on PostgreSQL and halved infrastructure cost", "multiple"),
        ("Built FastAPI services on PostgreSQL for a dozen product teams", "number"),
        # A skill from another job moved into this one (Kubernetes is Globex's).
        ("Built FastAPI services on PostgreSQL with Kubernetes", "skill"),
        # Another employer's name moved into this position.
        ("Built FastAPI services on PostgreSQL for Globex", "name"),
        # Invented employer, title, team size, certification.
        ("Built FastAPI services at Initech serving 2M requests a day", "name"),
        ("As Director of Engineering, built FastAPI services on PostgreSQL", "title"),
        ("Led a team of 12 building FastAPI services on PostgreSQL", "number"),
        ("AWS Certified engineer who built FastAPI services on PostgreSQL", "certification"),
    ],
)
def test_planted_lies_in_a_bullet_fail_with_a_reason(
    evidence: Evidence, output: str, kind: str
) -> None:
    result = check_claims(output, evidence=evidence, source=ACME_BULLETS[0], scope=ACME_SCOPE)
    assert not result.ok
    assert kind in {u.fact.kind for u in result.unsupported}
    failed = [v for v in result.verdicts if not v.supported]
    assert failed and all(v.why for v in failed)


@pytest.mark.parametrize(
    ("output", "source", "scope"),
    [
        (
            "Served 2M requests a day from FastAPI services on PostgreSQL",
            ACME_BULLETS[0],
            ACME_SCOPE,
        ),
        ("Reduced p99 latency by 40% using Redis caching", ACME_BULLETS[1], ACME_SCOPE),
        ("Operated Kubernetes clusters for the data team", GLOBEX_BULLETS[0], GLOBEX_SCOPE),
        ("Raised the billing service's test coverage twofold", GLOBEX_BULLETS[1], GLOBEX_SCOPE),
        ("Increased billing test coverage by 100%", GLOBEX_BULLETS[1], GLOBEX_SCOPE),
    ],
)
def test_honest_paraphrases_pass(evidence: Evidence, output: str, source: str, scope: str) -> None:
    result = check_claims(output, evidence=evidence, source=source, scope=scope)
    assert result.ok, result.reasons()
    assert all(v.supported and v.why for v in result.verdicts)


def test_the_summary_may_use_the_profiles_skills_list(evidence: Evidence) -> None:
    result = check_claims("Backend engineer working with Python and Kubernetes.", evidence=evidence)
    assert result.ok, result.reasons()


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Engineer with 3 years of professional experience.", True),
        ("Engineer with 3+ years of experience.", True),
        ("Engineer with three years of experience in Python.", True),
        # 3.6 years is not 4, and never 5: no rounding up.
        ("Engineer with 4 years of experience.", False),
        ("Engineer with 5 years of professional experience.", False),
        ("Engineer with over 10 years in backend work.", False),
    ],
)
def test_years_of_experience_are_computed_never_rounded_up(
    evidence: Evidence, text: str, ok: bool
) -> None:
    result = check_claims(text, evidence=evidence)
    assert result.ok is ok, result.reasons()
    [verdict] = [v for v in result.verdicts if v.kind == "experience"]
    assert "3.6 years" in verdict.why


def test_a_text_of_only_claims_and_an_empty_profile_get_reasons() -> None:
    empty = build_evidence([])
    result = check_claims("Doubled revenue at Initech with Kubernetes, 73% growth.", evidence=empty)
    kinds = {u.fact.kind for u in result.unsupported}
    assert {"multiple", "name", "skill", "percent"} <= kinds
    assert check_claims("", evidence=empty).ok


def test_the_coachs_lie_about_the_user_is_withheld(evidence: Evidence) -> None:
    answer = (
        "You could apply to the Platform role at Stripe. "
        "You led a team at Initech, raising revenue by 73% with COBOL. "
        "You built FastAPI services on PostgreSQL at Acme Corp."
    )
    screened = screen_claims(answer, evidence=evidence)
    assert "Initech" not in screened.text and "73%" not in screened.text
    assert "You could apply to the Platform role at Stripe." in screened.text  # advice, no claim
    assert "You built FastAPI services on PostgreSQL at Acme Corp." in screened.text
    [withheld] = screened.withheld
    assert {"name", "percent"} <= {v.kind for v in withheld.unsupported}


def test_an_unsupported_skill_alone_becomes_a_question(evidence: Evidence) -> None:
    screened = screen_claims("You worked with COBOL at Acme Corp. Good luck!", evidence=evidence)
    assert screened.text.startswith("Did you work with COBOL?")
    assert screened.withheld[0].replacement == "Did you work with COBOL?"


def test_the_gate_holds_a_sentence_back_until_it_passes(evidence: Evidence) -> None:
    gate = SentenceGate(evidence)
    released = []
    for piece in ["You doubled", " revenue at Ini", "tech. You built FastAPI", " services."]:
        released.extend(gate.feed(piece))
    released.extend(gate.flush())
    shown = "".join(text for text, _ in released)
    assert "doubled" not in shown and "Initech" not in shown
    assert shown.strip() == "You built FastAPI services."
    assert [w is not None for _, w in released] == [True, False]
    assert "".join(split_sentences("One. Two!\nThree")) == "One. Two!\nThree"


def _position(title: str, start: tuple[int, int | None], end: tuple[int, int | None] | None):
    def date(value: tuple[int, int | None] | None) -> SimpleNamespace | None:
        if value is None:
            return None
        return SimpleNamespace(year=value[0], month=value[1], present=False)

    return SimpleNamespace(
        title=title, start=date(start), end=date(end), current=end is None, hidden=False
    )


def test_years_come_from_dated_positions_without_interns_or_rounding_up() -> None:
    positions = [
        _position("Software Engineer", (2021, 1), None),  # to June 2024: 3.5 years
        _position("Software Engineering Intern", (2019, 6), (2019, 8)),
        _position("Summer Analyst", (2020, 6), (2020, 8)),
        _position("Engineer", (2022, None), (2023, None)),  # overlaps: counted once
    ]
    assert professional_years(positions, now_year=2024, now_month=6) == 3.5
    # A year without a month counts from its last month and to its first: never more.
    assert professional_years(
        [_position("Engineer", (2019, None), (2020, None))], now_year=2024, now_month=6
    ) == pytest.approx(0.1)
    assert professional_years([], now_year=2024, now_month=6) is None


def test_claim_free_words_stream_ahead_and_a_claim_waits(evidence: Evidence) -> None:
    gate = SentenceGate(evidence)
    assert gate.feed("Here is what ") == [("Here is what ", None)]
    assert gate.feed("I see so far: you doubled") == [("I see so far: ", None)]
    released = gate.feed(" revenue at Initech. Keep going")
    assert [w is not None for _, w in released] == [True, False]
    assert released[1] == ("Keep ", None)
    released += gate.feed(" with practice.")
    released += gate.flush()
    assert "doubled" not in gate.shown and "Initech" not in gate.shown
    assert gate.shown.startswith("Here is what I see so far: ")
    assert gate.shown.endswith("Keep going with practice.")


def test_the_years_of_experience_support_no_other_number() -> None:
    evidence = build_evidence(["Engineer at Acme"], derived={14.0: "years of experience"})
    assert check_claims("Engineer with 14 years at Acme.", evidence=evidence).ok
    result = check_claims("Engineer at Acme, leading a team of 14 engineers.", evidence=evidence)
    assert [u.fact.text for u in result.unsupported] == ["14"]
