"""Token estimates and trimming a conversation to a budget."""

from __future__ import annotations

import pytest

from careergini.llm.budget import estimate_messages, estimate_tokens, fit_messages
from careergini.llm.errors import LLMPromptTooLong
from careergini.llm.prompts import wrap_untrusted
from tests.llm.conftest import system, user

# Real tokenizers (Qwen2.5, Phi-3) average about 4 English characters a token.
PROSE = "Senior data engineer with eight years of Python, SQL and Airflow experience. " * 20


def test_the_estimate_is_conservative_for_prose_and_for_other_scripts() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens(PROSE) >= len(PROSE) / 4
    assert estimate_tokens("数据工程师") == 5  # a token per CJK character, at least


def test_messages_within_the_budget_are_untouched() -> None:
    messages = [system("Be brief."), user("Hi")]
    fitted, report = fit_messages(messages, 500)
    assert fitted == messages and report.trimmed is False


def test_old_turns_are_dropped_into_a_digest_keeping_system_and_last_turn() -> None:
    history = []
    for turn in range(30):
        history.append(user(f"Turn {turn}: what about {PROSE[:200]}"))
        history.append({"role": "assistant", "content": f"Answer {turn}. " + PROSE[:300]})
    messages = [system("You are a career coach."), *history, user("And now?")]
    fitted, report = fit_messages(messages, 1500)
    assert report.trimmed and report.dropped_messages > 0 and report.shortened_documents == 0
    assert fitted[0] == system("You are a career coach.")
    assert fitted[-1] == user("And now?")
    digest = fitted[1]["content"]
    assert f"{report.dropped_messages} earlier message(s) were left out" in digest
    assert '<data source="earlier_conversation">' in digest
    # The most recent turns survive verbatim, in order.
    assert fitted[-2] == history[-1]
    assert estimate_messages(fitted) <= 1500 == 1500
    assert report.tokens_after == estimate_messages(fitted) < report.tokens_before
    # Deterministic: the same input gives the same trimmed messages.
    assert fit_messages(messages, 1500)[0] == fitted


def test_a_long_document_in_the_last_turn_is_shortened_in_the_middle() -> None:
    resume = "BEGINNING of the resume. " + "x" * 30_000 + " END of the resume."
    instruction = "Tailor this resume to the job:\n"
    messages = [
        system("You write resumes."),
        user(instruction + wrap_untrusted(resume, source="resume")),
    ]
    fitted, report = fit_messages(messages, 3000)
    assert report.shortened_documents == 1 and report.dropped_messages == 0
    assert estimate_messages(fitted) <= 3000
    content = fitted[-1]["content"]
    assert content.startswith(instruction + '<data source="resume">\nBEGINNING of the resume.')
    assert content.endswith("END of the resume.\n</data>")
    assert "characters left out to fit the model's context" in content
    assert fitted[0] == messages[0]


def test_instructions_that_cannot_fit_are_refused() -> None:
    with pytest.raises(LLMPromptTooLong) as caught:
        fit_messages([system(PROSE * 10), user("Hi")], 300)
    assert caught.value.status_code == 422
