"""Interview practice: questions from a target's skills and duties, rubric feedback without an
LLM, and STAR stories drafted from the person's profile. Pure.

Questions come from ``data/interview.json`` (written for CareerGini): technical templates per
skill category, behavioural questions with the STAR rubric, and role-specific templates filled
with the job's duties. Without an LLM, feedback is the rubric, a model-answer outline and a
checklist of what the answer shows (length, first person, a result, a number, reflection...).
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field

from careergini.learning import answers
from careergini.learning.catalogue import read_data_file
from careergini.skills.service import load_taxonomy

_WORD = re.compile(r"[A-Za-z0-9+#.%$€£-]+")
_NUMBER = re.compile(
    r"(?:[$€£]\s?)?\d[\d,.]*\s?(?:%|percent|x\b|k\b|m\b|million|hours?|days?|"
    r"weeks?|users?|requests?|people|engineers?|customers?)?",
    re.IGNORECASE,
)
_REFLECTION_WORDS = ("learned", "learnt", "next time", "would do", "differently", "lesson")
_EXAMPLE_WORDS = ("for example", "e.g.", "for instance", "in my", "once", "we had", "i built")
_TRADEOFF_WORDS = ("trade-off", "tradeoff", "however", "but", "instead", "downside", "depends")


class RubricCriterion(BaseModel):
    criterion: str
    description: str


class InterviewQuestion(BaseModel):
    id: str
    kind: str  # technical | behavioural | role
    question: str
    skill_id: str | None = None
    skill_name: str | None = None
    competency: str | None = None
    rubric: list[RubricCriterion]
    outline: list[str]
    topic: list[str] = Field(default_factory=list)  # words an on-topic answer uses


class CriterionScore(BaseModel):
    criterion: str = Field(max_length=60)
    score: int = Field(ge=1, le=5)
    comment: str = Field(max_length=400)


class LLMFeedback(BaseModel):
    """The JSON schema of the LLM's rubric-based feedback."""

    scores: list[CriterionScore] = Field(min_length=1, max_length=8)
    strengths: list[str] = Field(default_factory=list, max_length=4)
    improvements: list[str] = Field(default_factory=list, max_length=4)
    summary: str = Field(max_length=600)


@dataclass(frozen=True, slots=True)
class TargetSkill:
    skill_id: str
    name: str
    category: str


@lru_cache(maxsize=1)
def load_interview_bank() -> dict[str, Any]:
    """Return the interview question bank shipped with the package."""
    doc = read_data_file("interview.json")
    if doc.get("format") != 1:
        raise ValueError(f"unsupported interview format {doc.get('format')!r}")
    return doc


@lru_cache(maxsize=1)
def load_skill_questions() -> dict[str, list[dict[str, Any]]]:
    """Return the technical questions written per skill and seniority, by skill id."""
    doc = read_data_file("interview_skills.json")
    if doc.get("format") != 1:
        raise ValueError(f"unsupported interview_skills format {doc.get('format')!r}")
    return dict(doc["skills"])


def interview_level(seniority: str | None) -> str:
    """Return the question level for a target's seniority: junior, mid or senior."""
    if seniority in ("intern", "junior"):
        return "junior"
    if seniority in ("senior", "staff", "lead", "manager"):
        return "senior"
    return "mid"


def _technical(
    skill: TargetSkill, bank: dict[str, Any], rng: random.Random, level: str
) -> dict[str, Any]:
    written = load_skill_questions().get(skill.skill_id)
    if written:
        at_level = [q for q in written if q["level"] == level] or written
        chosen = rng.choice(at_level)
        return {
            "template": chosen["question"],
            "rubric": bank["technical"]["default"][0]["rubric"],
            "outline": chosen["outline"],
        }
    templates = bank["technical"].get(skill.category) or bank["technical"]["default"]
    return rng.choice(templates)


def build_questions(
    *,
    skills: list[TargetSkill],
    duties: list[str],
    seed: int,
    technical: int = 3,
    behavioural: int = 3,
    role: int = 2,
    seniority: str | None = None,
) -> list[InterviewQuestion]:
    """Return an interview: technical (a skill's own questions at the target's seniority when
    the bank has them, else a template for its kind), then role-specific, then behavioural."""
    bank = load_interview_bank()
    rng = random.Random(seed)
    level = interview_level(seniority)
    questions: list[InterviewQuestion] = []
    for skill in skills[:technical]:
        template = _technical(skill, bank, rng, level)
        questions.append(
            InterviewQuestion(
                id=f"tech-{skill.skill_id}",
                kind="technical",
                question=template["template"].format(skill=skill.name),
                skill_id=skill.skill_id,
                skill_name=skill.name,
                rubric=template["rubric"],
                outline=template["outline"],
            )
        )
    for number, duty in enumerate(duties[:role], start=1):
        template = bank["role"][(number - 1) % len(bank["role"])]
        questions.append(
            InterviewQuestion(
                id=f"role-{number}",
                kind="role",
                question=template["template"].format(duty=duty.rstrip(". ")),
                rubric=template["rubric"],
                outline=template["outline"],
            )
        )
    chosen = rng.sample(bank["behavioural"], k=min(behavioural, len(bank["behavioural"])))
    for item in chosen:
        questions.append(
            InterviewQuestion(
                id=item["id"],
                kind="behavioural",
                question=item["question"],
                competency=item["competency"],
                rubric=item["rubric"],
                outline=item["outline"],
                topic=item.get("topic", []),
            )
        )
    return questions


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def checklist(
    question: InterviewQuestion, answer: str, *, similarity: float | None = None
) -> list[dict[str, Any]]:
    """Return what an answer shows and what it lacks, as checks with advice."""
    return assess(question, answer, similarity=similarity)[0]


def assess(
    question: InterviewQuestion, answer: str, *, similarity: float | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Return the answer's checks (advice only for what it lacks) and its score (0-100).

    ``similarity`` is the embedding similarity of the answer with the question and its
    outline (None without embeddings: the question's words decide relevance).
    """
    if question.kind in ("behavioural", "role"):
        return _assess_story(question, answer, similarity)
    return _assess_technical(question, answer, similarity)


def _length_check(words: int, *, story: bool) -> dict[str, Any]:
    if story:
        passed = 80 <= words <= 450
        advice = (
            "Aim for 150-300 words (about two minutes spoken)."
            if words < 80
            else "Trim it: keep to the story's key steps (under 450 words)."
        )
    else:
        passed = words >= 60
        advice = "Develop the answer: explain how and why, not only what (60+ words)."
    return {"check": "length", "passed": passed, "advice": None if passed else advice}


def _assess_story(
    question: InterviewQuestion, answer: str, similarity: float | None
) -> tuple[list[dict[str, Any]], int]:
    reading = answers.read_story(
        question.question, answer, similarity=similarity, topic=question.topic
    )
    checks = [_length_check(len(_WORD.findall(answer)), story=True), *reading.checks]
    reflective = _has(answer.casefold(), _REFLECTION_WORDS)
    checks.append(
        {
            "check": "reflection",
            "passed": reflective,
            "advice": None if reflective else "Add what you learned or would do differently.",
        }
    )
    return checks, reading.score


def _skill_terms(question: InterviewQuestion) -> list[str]:
    if not question.skill_id:
        return [question.skill_name.casefold()] if question.skill_name else []
    skill = load_taxonomy().get(question.skill_id)
    names = [question.skill_name or "", *(skill.aliases if skill is not None else ())]
    if skill is not None:
        names.append(skill.name)
    return [n.casefold() for n in dict.fromkeys(names) if len(n) >= 2]


def _assess_technical(
    question: InterviewQuestion, answer: str, similarity: float | None
) -> tuple[list[dict[str, Any]], int]:
    text = answer.casefold()
    checks: list[dict[str, Any]] = [_length_check(len(_WORD.findall(answer)), story=False)]

    def check(name: str, passed: bool, advice: str, weight: int) -> None:
        checks.append({"check": name, "passed": passed, "advice": None if passed else advice})
        weights[name] = weight

    weights = {"length": 1}
    on_topic = answers.on_question(
        " ".join([question.question, *question.outline]), answer, similarity=similarity
    )
    check("on the question", on_topic, "Answer the question asked, in its own terms.", 3)
    terms = _skill_terms(question)
    if terms:
        named = any(re.search(rf"(?<![\w+#]){re.escape(t)}(?![\w+#])", text) for t in terms)
        check(
            "names the technology",
            named,
            f"Talk about {question.skill_name} by name and use its own terms precisely.",
            1,
        )
    example = _has(text, _EXAMPLE_WORDS) or len(answers.own_verbs(answer)) >= 2
    check("an example", example, "Ground it in an example from your work or a project.", 2)
    check(
        "trade-offs",
        _has(text, _TRADEOFF_WORDS),
        "Name a trade-off or a limit, and when you would choose differently.",
        1,
    )
    covered = 0
    for point in question.outline:
        keys = {w.casefold() for w in _WORD.findall(point) if len(w) > 4}
        if keys and any(k in text for k in keys):
            covered += 1
    check(
        "outline coverage",
        covered >= max(1, len(question.outline) // 2),
        f"The answer touches {covered} of the {len(question.outline)} points of a model answer: "
        "compare it with the outline.",
        2,
    )
    got = sum(weights[c["check"]] for c in checks if c["passed"])
    score = round(100 * got / sum(weights.values()))
    if not on_topic:
        score = min(score, answers.OFF_TOPIC_CAP)
    return checks, score


def feedback_problems(feedback: LLMFeedback, question: InterviewQuestion) -> list[str]:
    """Return why LLM feedback cannot be used (criteria must match the question's rubric)."""
    expected = {c.criterion for c in question.rubric}
    given = [s.criterion for s in feedback.scores]
    problems = []
    if set(given) != expected or len(given) != len(set(given)):
        problems.append(f"criteria {sorted(given)} do not match the rubric {sorted(expected)}")
    if not feedback.summary.strip():
        problems.append("no summary")
    return problems


# --- STAR story bank ------------------------------------------------------------------------------

_ACTION_START = re.compile(
    r"^\s*[A-Z][a-z]+ed\b|^\s*(Led|Built|Ran|Won|Cut|Set|Drove|Grew|Wrote|Made|"
    r"Took|Saw|Shipped|Launched|Owned|Designed|Created|Managed)\b"
)


@dataclass(frozen=True, slots=True)
class StoryDraft:
    key: str
    title: str
    situation: str
    task: str | None
    action: str
    result: str | None
    source: str


def _story_key(text: str) -> str:
    return hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()[:16]


def _result_of(bullet: str) -> str | None:
    match = _NUMBER.search(bullet)
    if not match or not re.search(r"\d", match.group(0)):
        return None
    # The clause that holds the number: from the last comma or connector before it.
    start = max(
        bullet.rfind(sep, 0, match.start()) for sep in (",", " by ", " to ", " serving ", " for ")
    )
    clause = bullet[start + 1 :].strip() if start >= 0 else bullet
    return clause[:1].upper() + clause[1:]


def _date_text(value: Any) -> str:
    if value is None:
        return ""
    if getattr(value, "present", False):
        return "present"
    year = getattr(value, "year", None)
    return str(year) if year else ""


def stories_from_profile(profile: Any, *, limit: int = 12) -> list[StoryDraft]:
    """Draft STAR stories from the profile's bullets: numbers and action verbs first."""
    drafts: list[tuple[int, int, StoryDraft]] = []
    order = 0
    for entry in profile.work:
        if getattr(entry, "hidden", False):
            continue
        span = " - ".join(p for p in (_date_text(entry.start), _date_text(entry.end)) if p)
        where = " at ".join(p for p in (entry.title, entry.company) if p) or "In a previous role"
        situation = f"As {where}" + (f" ({span})" if span else "") + "."
        for bullet in entry.bullets:
            text = bullet.strip().rstrip(".")
            if len(text.split()) < 4:
                continue
            result = _result_of(text)
            strength = (2 if result else 0) + (1 if _ACTION_START.search(text) else 0)
            title = " ".join(text.split()[:8])
            drafts.append(
                (
                    -strength,
                    order,
                    StoryDraft(
                        key=_story_key(text),
                        title=title,
                        situation=situation,
                        task=None,
                        action=text + ".",
                        result=result,
                        source=f"work:{entry.key}" if getattr(entry, "key", None) else "work",
                    ),
                )
            )
            order += 1
    for project in getattr(profile, "projects", []):
        for bullet in [*project.bullets, *([project.description] if project.description else [])]:
            text = bullet.strip().rstrip(".")
            if len(text.split()) < 4:
                continue
            result = _result_of(text)
            drafts.append(
                (
                    -(2 if result else 0),
                    order,
                    StoryDraft(
                        key=_story_key(text),
                        title=" ".join(text.split()[:8]),
                        situation=f"In the project {project.name or 'on my own'}.",
                        task=None,
                        action=text + ".",
                        result=result,
                        source="project",
                    ),
                )
            )
            order += 1
    drafts.sort(key=lambda item: (item[0], item[1]))
    seen: set[str] = set()
    stories = []
    for _, _, draft in drafts:
        if draft.key in seen:
            continue
        seen.add(draft.key)
        stories.append(draft)
    return stories[:limit]


def best_story(question: InterviewQuestion, stories: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the story whose words overlap most with the question (None when nothing fits)."""
    words = {w.casefold() for w in _WORD.findall(question.question) if len(w) > 3}
    best, best_score = None, 0
    for story in stories:
        text = " ".join(str(story.get(k) or "") for k in ("title", "action", "result", "task"))
        tokens = {w.casefold() for w in _WORD.findall(text) if len(w) > 3}
        overlap = len(words & tokens) + (1 if story.get("result") else 0)
        if overlap > best_score:
            best, best_score = story, overlap
    return best
