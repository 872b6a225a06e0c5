"""Reading interview answers without the model, on a reviewed set: specific STAR stories score
above generic ones, a story told for another question is off the question, and nothing the
answer already has is asked for."""

from __future__ import annotations

import pytest

from careergini.core.embeddings import Embedder
from careergini.learning import answers
from careergini.learning.interview import load_interview_bank

CONFLICT = "Tell me about a time you disagreed with a colleague. How did you handle it?"
DEADLINE = "Tell me about a time you had to deliver under a tight deadline."
LEARNING = "Tell me about a time you had to learn a new tool or skill quickly."
MISTAKE = "Tell me about a mistake you made at work and how you handled it."

# Reviewed by hand: each specific answer is a real-sounding story with the person's own steps
# and a measured result; each generic answer is the kind of answer interviewers hear often.
SPECIFIC = {
    CONFLICT: [
        "Last year at Brightline our tech lead wanted to rewrite the billing service in Go, and "
        "I disagreed because we had a compliance audit in six weeks. My goal was to keep the "
        "audit safe without dismissing her concerns. I booked an hour with her, I listed the "
        "three incidents she was worried about and I proposed fixing those in the Python code "
        "first. I wrote a one-page comparison of risk and effort. She agreed to postpone the "
        "rewrite; we passed the audit and the incidents dropped from 5 a month to 1.",
        "When I was on the mobile team at Kiwi Health, a designer and I disagreed about hiding "
        "the medication reminder behind a menu. I had to ship the release in two weeks. I "
        "pulled the analytics, I showed that 40% of users opened reminders from the home "
        "screen, and I suggested an A/B test instead of arguing. We ran it for a week; the "
        "visible reminder kept 12% more daily users, and the designer presented the result "
        "at the next review.",
    ],
    DEADLINE: [
        "In March our largest client moved their launch forward by ten days, and the payment "
        "export I owned was not finished. I had to deliver it in four working days. I cut the "
        "scope to the two file formats they used, I wrote the tests first and I paired with a "
        "colleague on the CSV edge cases. We shipped on day four; the export has run nightly "
        "for 8 months with zero failed files.",
        "During the 2023 tax season at Ledgerly the filing API slowed down and we had 48 hours "
        "before the deadline. My task was to get response times back under a second. I "
        "profiled the endpoint, found an N+1 query in PostgreSQL and I added an index and a "
        "cache. Latency went from 4.2 s to 300 ms and we processed 30,000 filings on time.",
    ],
    LEARNING: [
        "When our team moved to Kubernetes in 2022 I had two weeks to learn it before I was "
        "on call. I set up a cluster on my laptop with kind, I rebuilt our staging deployment "
        "from scratch and I wrote a runbook for the five alerts we see most. On my first on "
        "call week I resolved 3 incidents alone, and the runbook cut our average recovery "
        "time by 20 minutes.",
    ],
    MISTAKE: [
        "At Nordbank I ran a database migration on a Friday without checking the replica lag, "
        "and the reporting service served stale numbers for two hours. I had to fix it and "
        "make sure it could not happen again. I rolled the reports back, I told the finance "
        "team what they had seen and I added a lag check to our migration script. Since then "
        "we have run 40 migrations without a stale report.",
    ],
}
GENERIC = {
    CONFLICT: [
        "I am a hard worker and a team player. I always listen to everyone and I believe "
        "communication is key, so disagreements are never a problem for me.",
        "I think conflicts happen in every team. I am a people person and I always try to find "
        "a solution that works for everyone, because I am passionate about teamwork.",
    ],
    DEADLINE: [
        "I work well under pressure. I am very dedicated and I always give 110% to meet every "
        "deadline, so I have never missed one.",
        "I am a results-driven professional and a fast learner. Deadlines motivate me and I "
        "always deliver on time because I am detail-oriented.",
    ],
    LEARNING: [
        "I am a quick learner and I love learning new things. I am passionate about technology "
        "and I always keep up with the latest trends.",
    ],
    MISTAKE: [
        "I am a perfectionist, so I rarely make mistakes. When I do, I always learn from them "
        "and I think that is what matters most.",
    ],
}


@pytest.fixture(scope="module")
def embed() -> Embedder:
    return Embedder()


def _topic(question: str) -> list[str]:
    return next(
        b["topic"] for b in load_interview_bank()["behavioural"] if b["question"] == question
    )


def _read(embedder: Embedder, question: str, answer: str) -> answers.Reading:
    q, a = embedder.embed_sync([question, answer])
    similarity = sum(x * y for x, y in zip(q, a, strict=True))
    return answers.read_story(question, answer, similarity=similarity, topic=_topic(question))


def test_specific_stories_score_above_generic_ones(embed: Embedder) -> None:
    for question, good in SPECIFIC.items():
        good_scores = [_read(embed, question, a).score for a in good]
        bad_scores = [_read(embed, question, a).score for a in GENERIC[question]]
        assert min(good_scores) > max(bad_scores), (question, good_scores, bad_scores)
        assert min(good_scores) >= 80 and max(bad_scores) <= 40


def test_a_hard_worker_and_a_team_player_passes_no_star_check(embed: Embedder) -> None:
    reading = _read(embed, CONFLICT, "I am a hard worker and a team player.")
    failed = {c["check"] for c in reading.checks if not c["passed"]}
    assert {"situation", "task", "your actions", "result", "a number", "specific"} <= failed
    specific = next(c for c in reading.checks if c["check"] == "specific")
    assert '"hard worker"' in specific["advice"]


def test_the_same_story_for_an_unrelated_question_is_off_the_question(embed: Embedder) -> None:
    story = SPECIFIC[DEADLINE][1]  # a latency fix under a deadline
    on = _read(embed, DEADLINE, story)
    off = _read(embed, CONFLICT, story)
    assert on.passed("on the question") and not off.passed("on the question")
    assert off.score <= answers.OFF_TOPIC_CAP < on.score


def test_nothing_the_answer_has_is_asked_for(embed: Embedder) -> None:
    reading = _read(embed, DEADLINE, SPECIFIC[DEADLINE][1])
    assert all(c["passed"] for c in reading.checks), reading.checks
    assert all(c["advice"] is None for c in reading.checks)
    actions = next(c for c in reading.checks if c["check"] == "your actions")
    assert actions["note"] == "Your actions: profiled, added."  # the person's own verbs
    assert "found" not in reading.verbs or reading.verbs.index("profiled") == 0


def test_without_embeddings_the_questions_words_decide_relevance() -> None:
    story = SPECIFIC[LEARNING][0]
    assert answers.read_story(LEARNING, story, similarity=None).passed("on the question")
    assert not answers.read_story(CONFLICT, story, similarity=None).passed("on the question")
    # With the bank's topic words, the story is on its own question and off another one.
    assert answers.on_question(LEARNING, story, similarity=0.1, topic=_topic(LEARNING))
    assert not answers.on_question(CONFLICT, story, similarity=0.1, topic=_topic(CONFLICT))


def test_own_verbs_are_actions_not_states() -> None:
    verbs = answers.own_verbs("I am calm. I always help. I rewrote it and I then measured.")
    assert verbs == ["rewrote", "measured"]
