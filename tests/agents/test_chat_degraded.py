"""The degraded mode: the coach answers from the analysis when the model is offline, failing
(circuit breaker), busy (queue full) or cut off; and a long conversation fits the budget."""

from __future__ import annotations

import asyncio

from careergini.agents.chat.degraded import BUSY_BANNER, OFFLINE_BANNER
from careergini.llm.breaker import BreakerPolicy
from careergini.llm.budget import estimate_messages
from tests.agents.chat_support import JD, CoachMaker, answer_script
from tests.conftest import free_port
from tests.doubles.ollama import OllamaDouble, Reply
from tests.llm.conftest import ALL_MODELS, FAST


async def test_offline_the_coach_answers_from_the_analysis(make_coach: CoachMaker) -> None:
    coach = await make_coach(ollama_url=f"http://127.0.0.1:{free_port()}", llm_max_retries=0)
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, JD)
    done = turn.done
    assert done["status"] == "complete"
    assert done["degraded"] is True and done["degraded_reason"] == "offline"
    assert done["usage"]["calls"] == []
    text = turn.text
    assert text.startswith(OFFLINE_BANNER)
    # The gap and the match, rendered from the templates.
    assert "**Skill gap: Senior Backend Engineer (Acme Payments)**" in text
    assert "Amazon Web Services" in text and "Score:" in text
    assert len(turn.named("token")) > 3  # streamed like any answer
    stored = (await coach.wait_answer(user, thread))["messages"][-1]
    assert stored["content"] == text and stored["degraded"] is True

    health = (await coach.http.get("/api/health/llm")).json()
    assert health["status"] == "offline" and health["reachable"] is False
    assert "not reachable" in health["detail"]

    # Small talk and questions without a target still get a useful, honest answer.
    turn = await coach.send(user, thread, "Hello!")
    assert turn.text.startswith(OFFLINE_BANNER) and "paste a job description" in turn.text


async def test_a_failing_model_trips_its_breaker_then_a_probe_closes_it(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach(
        policy=BreakerPolicy(failure_threshold=2, cooldown=30), llm_max_retries=0
    )
    coach.ollama.reply(Reply(status=500, error="out of memory"), Reply(status=500))
    user = await coach.user()
    thread = await coach.thread(user)
    ask = "Tell me about my profile"  # the profile specialist: the fast model, no fallback
    for _ in range(2):
        turn = await coach.send(user, thread, ask)
        assert turn.done["degraded"] is True and turn.text.startswith(OFFLINE_BANNER)
        assert "**Your profile**" in turn.text
    health = (await coach.http.get("/api/health/llm")).json()
    assert health["breakers"][FAST] == "open" and health["status"] == "degraded"
    assert "Circuit breaker open" in health["detail"]

    # Open: the model is not even called; the answer is immediate and degraded.
    calls = len(coach.ollama.chats)
    turn = await coach.send(user, thread, ask)
    assert turn.done["degraded"] is True and len(coach.ollama.chats) == calls

    # After the cooldown one probe goes through; it succeeds, the breaker closes.
    coach.clock.advance(31)
    health = (await coach.http.get("/api/health/llm")).json()
    assert health["breakers"][FAST] == "half_open"
    coach.ollama.script = answer_script("Back online.")
    turn = await coach.send(user, thread, ask)
    assert turn.done["degraded"] is False and turn.text == "Back online."
    health = (await coach.http.get("/api/health/llm")).json()
    assert health["breakers"][FAST] == "closed" and health["status"] == "ok"


async def test_a_full_queue_gets_a_prompt_answer_from_the_analysis(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach(llm_concurrency=1, llm_queue_size=0)
    coach.ollama.reply(Reply("one two three four five six seven eight", tokens_per_second=4))
    user = await coach.user()
    first, second = await coach.thread(user), await coach.thread(user)
    streaming = asyncio.Event()

    def first_token(name: str, data: dict) -> None:
        if name == "token":
            streaming.set()

    slow = asyncio.create_task(
        coach.send(user, first, "Tell me about my profile", on_event=first_token)
    )
    await asyncio.wait_for(streaming.wait(), timeout=10)
    health = (await coach.http.get("/api/health/llm")).json()
    assert health["slots"] == {"active": 1, "waiting": 0, "slots": 1, "queue_size": 0}
    assert "queue is full" in health["detail"]

    started = asyncio.get_running_loop().time()
    turn = await coach.send(user, second, "Tell me about my profile")
    assert asyncio.get_running_loop().time() - started < 2.0
    assert turn.done["degraded"] is True and turn.done["degraded_reason"] == "busy"
    assert turn.text.startswith(BUSY_BANNER) and "**Your profile**" in turn.text
    assert (await slow).done["degraded"] is False


async def test_a_model_server_lost_mid_answer_keeps_the_text_and_adds_the_analysis(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    coach.ollama.reply(Reply("Your profile shows strong backend work and", drop_after=4))
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "Tell me about my profile")
    done = turn.done
    assert done["status"] == "complete" and done["degraded"] is True
    assert turn.text.startswith("Your profile shows strong")
    assert "(The answer was cut off.)" in turn.text and OFFLINE_BANNER in turn.text


async def test_a_long_conversation_is_trimmed_to_the_prompt_budget(
    make_coach: CoachMaker,
) -> None:
    with OllamaDouble(ALL_MODELS, script=answer_script("Noted. " + "details " * 120)) as double:
        coach = await make_coach(ollama=double, llm_prompt_budget=900)
        user = await coach.user()
        thread = await coach.thread(user)
        for number in range(5):
            turn = await coach.send(user, thread, f"Question {number}: tell me about my profile")
            assert turn.done["status"] == "complete"
        last = double.chats[-1]["messages"]
        assert estimate_messages(last) <= 900
        assert any("earlier message(s) were left out" in m["content"] for m in last)
        assert last[-1]["content"].endswith("Question 4: tell me about my profile")
        (call,) = turn.done["usage"]["calls"]
        assert call["trimmed"] is True
