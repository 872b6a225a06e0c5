"""Interview questions, the answer checklist and STAR stories drafted from a profile."""

from __future__ import annotations

from careergini.core.db import utcnow
from careergini.learning.interview import (
    LLMFeedback,
    TargetSkill,
    best_story,
    build_questions,
    checklist,
    feedback_problems,
    load_skill_questions,
    stories_from_profile,
)
from careergini.profile.aggregate import ImportInput, merge_imports
from careergini.profile.parsers import parse_document
from careergini.skills.service import load_taxonomy
from tests.learning.test_practice_router import GOOD_STAR
from tests.profile.test_router import RESUME_A

SKILLS = [
    TargetSkill("python", "Python", "language"),
    TargetSkill("postgresql", "PostgreSQL", "database"),
    TargetSkill("docker", "Docker", "devops"),
    TargetSkill("excel", "Microsoft Excel", "tool"),
]


def test_questions_cover_skills_duties_and_behaviour() -> None:
    questions = build_questions(
        skills=SKILLS, duties=["Design and build REST APIs."], seed=3, technical=3, role=2
    )
    kinds = [q.kind for q in questions]
    assert kinds == ["technical"] * 3 + ["role"] + ["behavioural"] * 3
    assert questions[0].skill_id == "python"
    assert questions[0].question in {q["question"] for q in load_skill_questions()["python"]}
    assert '"Design and build REST APIs"' in questions[3].question
    assert [c.criterion for c in questions[-1].rubric] == ["situation", "task", "action", "result"]
    assert len({q.id for q in questions}) == len(questions)
    assert build_questions(skills=SKILLS, duties=[], seed=3) == build_questions(
        skills=SKILLS, duties=[], seed=3
    )
    unknown = build_questions(
        skills=[TargetSkill("x", "Foo", "soft_skill")], duties=[], seed=1, behavioural=0
    )
    assert "Foo" in unknown[0].question  # the default template


def test_the_checklist_rewards_a_star_answer() -> None:
    asked = build_questions(skills=[], duties=[], seed=1, behavioural=12)
    behavioural = next(q for q in asked if q.id == "beh-deadline")  # GOOD_STAR is about one
    good = {c["check"]: c["passed"] for c in checklist(behavioural, GOOD_STAR)}
    assert all(good.values()), good
    weak = checklist(behavioural, "We fixed it together and it was fine.")
    failed = {c["check"] for c in weak if not c["passed"]}
    assert {"length", "your actions", "a number", "reflection"} <= failed
    assert all(c["advice"] for c in weak if not c["passed"])
    layout = next(q for q in load_skill_questions()["python"] if "structure" in q["question"])
    technical = build_questions(skills=SKILLS[:1], duties=[], seed=1, behavioural=0)[0]
    technical = technical.model_copy(
        update={"question": layout["question"], "outline": layout["outline"]}
    )
    answer = (
        "In Python I structure projects as packages with a src layout. For example, in my last "
        "project I pinned dependencies with a lock file and ran pytest in CI on every push; "
        "however, for tiny scripts that is overkill, so it depends on the size of the team. "
        "Formatting and linting run automatically and the README explains how to run and test. "
        "Modules are split by responsibility so reviews stay small."
    )
    checks = {c["check"]: c["passed"] for c in checklist(technical, answer)}
    assert checks == {
        "length": True,
        "on the question": True,
        "names the technology": True,
        "an example": True,
        "trade-offs": True,
        "outline coverage": True,
    }


def test_feedback_must_follow_the_rubric() -> None:
    question = build_questions(skills=[], duties=[], seed=1, behavioural=1)[0]
    scores = [{"criterion": c, "score": 3, "comment": "ok"} for c in ("situation", "task")]
    partial = LLMFeedback.model_validate({"scores": scores, "summary": "ok"})
    assert feedback_problems(partial, question)
    full = [
        {"criterion": c, "score": 3, "comment": "ok"}
        for c in ("situation", "task", "action", "result")
    ]
    assert (
        feedback_problems(LLMFeedback.model_validate({"scores": full, "summary": "ok"}), question)
        == []
    )


def test_stories_are_drafted_from_the_profile_bullets() -> None:
    result = parse_document(RESUME_A.encode(), "resume.txt")
    item = ImportInput(id="1", kind="text", label="r", created_at=utcnow(), profile=result.profile)
    profile = merge_imports([item], now_year=2026)
    stories = stories_from_profile(profile)
    assert len(stories) == 3
    first = stories[0]
    assert first.action == "Built FastAPI services on PostgreSQL serving 2M requests a day."
    assert first.result == "Serving 2M requests a day"
    assert first.situation == "As Senior Backend Engineer at Acme Corp (2021 - present)."
    assert first.task is None
    assert len({s.key for s in stories}) == 3
    question = build_questions(
        skills=[], duties=["Scale services to millions of requests"], seed=1, behavioural=0
    )[0]
    as_dicts = [{"title": s.title, "action": s.action, "result": s.result} for s in stories]
    assert best_story(question, as_dicts)["action"] == first.action


def test_written_technical_questions_fit_the_skill_and_the_seniority() -> None:
    written = load_skill_questions()
    taxonomy = load_taxonomy()
    for skill_id, items in written.items():
        assert skill_id in taxonomy and len(items) >= 10, skill_id
        assert {q["level"] for q in items} == {"junior", "mid", "senior"}, skill_id
        assert all(len(q["outline"]) >= 3 for q in items), skill_id
    senior = build_questions(
        skills=[SKILLS[0], TargetSkill("sql", "SQL", "language")],
        duties=[],
        seed=5,
        behavioural=0,
        role=0,
        seniority="staff",
    )
    for question in senior:
        options = {q["question"]: q for q in written[question.skill_id]}
        assert options[question.question]["level"] == "senior"
        assert question.outline == options[question.question]["outline"]
    junior = build_questions(skills=SKILLS[:1], duties=[], seed=5, behavioural=0, role=0,
                             seniority="junior")[0]  # fmt: skip
    assert {q["question"]: q["level"] for q in written["python"]}[junior.question] == "junior"
    # A skill without written questions keeps the template of its kind.
    excel = build_questions(skills=SKILLS[3:], duties=[], seed=5, behavioural=0, role=0)[0]
    assert "Microsoft Excel" in excel.question


def test_a_concrete_technical_answer_is_not_asked_for_what_it_has() -> None:
    question = build_questions(
        skills=[TargetSkill("typescript", "TypeScript", "language")], duties=[], seed=2,
        behavioural=0, role=0,
    )[0]  # fmt: skip
    answer = (
        "In TS I lean on strict mode and discriminated unions. Last year I migrated our "
        "checkout from JavaScript: I enabled strict null checks module by module and I typed "
        "the API client from its OpenAPI schema, which caught 14 bugs before release. The "
        "trade-off is slower builds, however the type errors paid for it within a month."
    )
    checks = {c["check"]: c for c in checklist(question, answer, similarity=0.5)}
    assert checks["names the technology"]["passed"]  # by its alias
    assert checks["an example"]["passed"]  # the person's own steps count as one
    assert checks["names the technology"]["advice"] is None
