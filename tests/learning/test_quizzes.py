"""Quiz questions: validation, the shipped bank, presentation, scoring and confidence."""

from __future__ import annotations

import pytest

from careergini.learning.quizzes import (
    BankQuestion,
    QuizQuestion,
    load_bank,
    present,
    question_problems,
    score,
    updated_confidence,
)


def q(options: list[tuple[str, bool]], explanation: str = "Because.") -> QuizQuestion:
    return QuizQuestion.model_validate(
        {
            "question": "Which one?",
            "options": [{"text": t, "correct": c} for t, c in options],
            "explanation": explanation,
        }
    )


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        (q([("a", True), ("b", True), ("c", False)]), "2 correct options"),
        (q([("a", False), ("b", False), ("c", False)]), "0 correct options"),
        (q([("Paris", True), ("paris.", False), ("Rome", False)]), "two options say the same"),
        (q([("a", True), ("b", False)]), "2 options (3 to 6 expected)"),
        (q([("a", True), ("b", False), ("c", False)], explanation=" "), "no explanation"),
        (q([("a", True), ("  ", False), ("c", False)]), "an option is empty"),
    ],
)
def test_invalid_questions_are_caught(question: QuizQuestion, problem: str) -> None:
    assert any(problem in p for p in question_problems(question))


def test_symbols_make_options_different() -> None:
    # In code answers "#header" and ".header" are different options.
    assert question_problems(q([("#header", True), (".header", False), ("header", False)])) == []
    assert question_problems({"question": "x"})[0].startswith("not a question")


def test_the_bank_is_valid_and_picks_the_asked_level_first() -> None:
    bank = load_bank()
    assert len(bank.questions) >= 200 and len(bank.skills()) >= 50
    for item in bank.questions.values():
        assert (
            question_problems(
                {
                    "question": item.question,
                    "options": [{"text": t, "correct": c} for t, c in item.options],
                    "explanation": item.explanation,
                }
            )
            == []
        )
    picked = bank.pick("python", "advanced", 2, seed=1)
    assert picked[0].level == "advanced"
    assert len(bank.pick("python", "beginner", 50, seed=1)) == bank.count("python")
    assert bank.pick("python", "beginner", 3, seed=7) == bank.pick("python", "beginner", 3, seed=7)
    assert bank.pick("nonexistent", "beginner", 3, seed=1) == []


def test_presented_questions_keep_the_answer_server_side() -> None:
    question = BankQuestion(
        id="x-1",
        skill="x",
        level="beginner",
        question="Pick B",
        options=(("A", False), ("B", True), ("C", False), ("D", False)),
        explanation="B is right.",
    )
    orders = {tuple(present(question, seed=s)["options"]) for s in range(20)}
    assert len(orders) > 1  # shuffled
    for seed in range(20):
        item = present(question, seed=seed)
        assert item["options"][item["answer"]] == "B"


def test_scoring_and_confidence() -> None:
    items = [
        {"id": "a", "question": "?", "options": ["x", "y"], "answer": 1, "explanation": "e"},
        {"id": "b", "question": "?", "options": ["x", "y"], "answer": 0, "explanation": "e"},
    ]
    result = score(items, {"a": 1})
    assert (result["correct"], result["total"], result["score"]) == (1, 2, 0.5)
    assert result["results"][1]["choice"] is None and result["results"][1]["correct"] is False
    assert result["results"][0]["correct_option"] == "y"
    assert updated_confidence(None, score_value=1.0, level="beginner") == 0.6
    assert updated_confidence(None, score_value=1.0, level="advanced") == 1.0
    assert updated_confidence(0.6, score_value=0.5, level="intermediate") == 0.512


def test_a_retake_repeats_nothing_until_the_bank_is_exhausted() -> None:
    bank = load_bank()
    pool = bank.count("python")
    asked: dict[str, int] = {}
    seen: list[str] = []
    for round_seed in range(pool):  # one question a quiz: every question once, then again
        picked = bank.pick("python", "intermediate", 1, seed=round_seed, asked=asked)
        seen += [q.id for q in picked]
        for q in picked:
            asked[q.id] = asked.get(q.id, 0) + 1
    assert len(set(seen)) == pool  # no repeat within the round
    # Two questions a quiz: a quiz that ends a round takes the rest, then the least asked.
    asked = {q.id: 1 for q in bank.pick("python", "beginner", pool - 1, seed=1)}
    last = bank.pick("python", "beginner", 2, seed=2, asked=asked)
    assert sum(1 for q in last if q.id not in asked) == 1


@pytest.mark.parametrize(
    "skill",
    [
        "python", "sql", "git", "linux", "docker", "rest", "aws", "html", "css", "typescript",
        "java", "kubernetes", "unit-testing", "tcp-ip", "react", "go", "nodejs", "postgresql",
        "dns", "firewalls", "oop", "ci-cd", "javascript", "csharp", "terraform", "bash",
        "machine-learning", "data-structures", "algorithms", "azure", "gcp",
        "statistics", "system-design", "microservices", "deep-learning", "accessibility",
        "data-modeling", "responsive-design", "http", "design-patterns",
        "data-warehousing", "etl", "wireshark", "nosql", "data-visualization", "prometheus",
    ],
)  # fmt: skip
def test_the_most_common_core_skills_have_twenty_questions_at_every_level(skill: str) -> None:
    bank = load_bank()
    assert bank.count(skill) >= 20
    levels = {q.level for q in bank.questions.values() if q.skill == skill}
    assert levels == {"beginner", "intermediate", "advanced"}
    assert all(not question_problems_of(q) for q in bank.questions.values() if q.skill == skill)


def question_problems_of(question: BankQuestion) -> list[str]:
    return question_problems(
        {
            "question": question.question,
            "options": [{"text": t, "correct": c} for t, c in question.options],
            "explanation": question.explanation,
        }
    )
