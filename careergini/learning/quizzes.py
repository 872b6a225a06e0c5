"""Multiple-choice quizzes: the shipped question bank, validation of generated questions, scoring
and the skill confidence a result gives. Pure.

A question is valid when it has a question, 3 to 6 options with exactly one correct, no two
options that say the same thing (case, spacing and a final full stop ignored) and an
explanation. The same check guards the shipped bank (``validate_resources``) and every question
an LLM writes.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field

from careergini.learning.catalogue import read_data_file

LEVELS = ("beginner", "intermediate", "advanced")
# A perfect score at a level is worth this much confidence: an easy quiz proves less.
LEVEL_CEILING = {"beginner": 0.6, "intermediate": 0.85, "advanced": 1.0}
# Weight of the newest quiz in the running confidence.
CONFIDENCE_WEIGHT = 0.5


class QuizOption(BaseModel):
    text: str = Field(min_length=1, max_length=300)
    correct: bool


class QuizQuestion(BaseModel):
    """A question as the bank stores it and as the LLM must write it."""

    question: str = Field(min_length=5, max_length=600)
    options: list[QuizOption] = Field(min_length=2, max_length=8)
    explanation: str = Field(default="", max_length=800)


class GeneratedQuiz(BaseModel):
    """The JSON schema the LLM answers with."""

    questions: list[QuizQuestion] = Field(min_length=1, max_length=20)


@dataclass(frozen=True, slots=True)
class BankQuestion:
    id: str
    skill: str
    level: str
    question: str
    options: tuple[tuple[str, bool], ...]
    explanation: str
    source: str = "bank"


def fold_text(text: str) -> str:
    """Return text folded for comparison: case, spacing and a final full stop ignored.

    Symbols stay: in code answers ``#header`` and ``.header`` are different options.
    """
    return " ".join(text.casefold().split()).rstrip(".").strip()


def question_problems(question: QuizQuestion | dict[str, Any]) -> list[str]:
    """Return what is wrong with a question (empty when it can be used)."""
    if isinstance(question, dict):
        try:
            question = QuizQuestion.model_validate(question)
        except ValueError as exc:
            return [f"not a question: {exc}"]
    problems = []
    if not question.question.strip():
        problems.append("the question is empty")
    if not 3 <= len(question.options) <= 6:
        problems.append(f"{len(question.options)} options (3 to 6 expected)")
    correct = sum(1 for o in question.options if o.correct)
    if correct != 1:
        problems.append(f"{correct} correct options (exactly one expected)")
    folded = [fold_text(o.text) for o in question.options]
    if any(not f for f in folded):
        problems.append("an option is empty")
    if len(set(folded)) != len(folded):
        problems.append("two options say the same thing")
    if not question.explanation.strip():
        problems.append("no explanation")
    return problems


class QuestionBank:
    """The shipped questions by skill and level."""

    def __init__(self, questions: list[BankQuestion]) -> None:
        self.questions = {q.id: q for q in questions}
        self._by_skill: dict[str, list[BankQuestion]] = defaultdict(list)
        for question in questions:
            self._by_skill[question.skill].append(question)

    def skills(self) -> set[str]:
        return set(self._by_skill)

    def count(self, skill_id: str) -> int:
        return len(self._by_skill.get(skill_id, ()))

    def pick(
        self,
        skill_id: str,
        level: str,
        n: int,
        *,
        seed: int,
        asked: Mapping[str, int] | None = None,
    ) -> list[BankQuestion]:
        """Return up to n questions: the least asked first, then the asked level and the
        nearest levels.

        ``asked`` counts how often each question was in the person's earlier quizzes on the
        skill, so a retake repeats no question until every question of the bank has been asked
        once (then a new round begins, and so on).
        """
        pool = self._by_skill.get(skill_id, [])
        target = LEVELS.index(level)
        rng = random.Random(seed)
        counts = asked or {}
        ranked = sorted(
            pool,
            key=lambda q: (
                counts.get(q.id, 0),
                abs(LEVELS.index(q.level) - target),
                rng.random(),
                q.id,
            ),
        )
        return ranked[:n]


def bank_from_document(doc: dict[str, Any]) -> QuestionBank:
    """Build the bank from the decoded questions file (ValueError on a wrong format)."""
    if doc.get("format") != 1:
        raise ValueError(f"unsupported questions format {doc.get('format')!r}")
    questions = []
    for item in doc.get("questions", []):
        questions.append(
            BankQuestion(
                id=item["id"],
                skill=item["skill"],
                level=item["level"],
                question=item["question"],
                options=tuple((o["text"], bool(o["correct"])) for o in item["options"]),
                explanation=item["explanation"],
            )
        )
    return QuestionBank(questions)


@lru_cache(maxsize=1)
def load_bank() -> QuestionBank:
    """Return the question bank shipped with the package (loaded once per process)."""
    return bank_from_document(read_data_file("questions.json"))


def present(question: BankQuestion, *, seed: int) -> dict[str, Any]:
    """Return a stored quiz item: options shuffled, the answer kept server-side."""
    options = list(question.options)
    random.Random(seed).shuffle(options)
    return {
        "id": question.id,
        "source": question.source,
        "level": question.level,
        "question": question.question,
        "options": [text for text, _ in options],
        "answer": next(i for i, (_, correct) in enumerate(options) if correct),
        "explanation": question.explanation,
    }


def from_generated(generated: QuizQuestion, *, skill: str, level: str, number: int) -> BankQuestion:
    """Turn a validated generated question into the bank's shape."""
    return BankQuestion(
        id=f"gen-{skill}-{number}",
        skill=skill,
        level=level,
        question=generated.question.strip(),
        options=tuple((o.text.strip(), o.correct) for o in generated.options),
        explanation=generated.explanation.strip(),
        source="generated",
    )


def score(items: list[dict[str, Any]], answers: dict[str, int]) -> dict[str, Any]:
    """Return the score and, per question, the choice, the right answer and the explanation."""
    results = []
    correct = 0
    for item in items:
        choice = answers.get(item["id"])
        is_right = choice == item["answer"]
        correct += is_right
        results.append(
            {
                "question_id": item["id"],
                "question": item["question"],
                "choice": choice,
                "answer": item["answer"],
                "correct_option": item["options"][item["answer"]],
                "correct": is_right,
                "explanation": item["explanation"],
            }
        )
    total = len(items)
    return {
        "correct": correct,
        "total": total,
        "score": round(correct / total, 3) if total else 0.0,
        "results": results,
    }


def updated_confidence(previous: float | None, *, score_value: float, level: str) -> float:
    """Return the skill confidence after a quiz: a weighted running value, capped by level."""
    evidence = score_value * LEVEL_CEILING[level]
    if previous is None:
        return round(evidence, 3)
    return round((1 - CONFIDENCE_WEIGHT) * previous + CONFIDENCE_WEIGHT * evidence, 3)
