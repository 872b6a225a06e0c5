"""The chat API on a real server: threads, a streamed turn, persistence, routing, limits."""

from __future__ import annotations

import asyncio
import json
import uuid

from sqlmodel import func, select

from careergini.agents.chat.models import ChatCheckpoint, ChatCheckpointWrite, ChatMessage
from careergini.agents.prompts import ROUTE
from careergini.agents.supervisor import RouteDecision
from tests.agents.chat_support import JD, CoachMaker, answer_script
from tests.doubles.ollama import OllamaDouble, Reply
from tests.llm.conftest import ALL_MODELS, CODER


async def _count(coach, model, thread_id: str) -> int:  # type: ignore[no-untyped-def]
    async with coach.resources.sessionmaker() as session:
        return await session.scalar(
            select(func.count()).select_from(model).where(model.thread_id == uuid.UUID(thread_id))
        )


# --- threads ----------------------------------------------------------------------------------


async def test_threads_are_created_listed_read_and_deleted(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    user = await coach.user(resume=None)
    first = await coach.thread(user, title="Moving to data engineering")
    second = await coach.thread(user)
    listed = (await coach.http.get("/api/chat/threads", headers=user["headers"])).json()
    assert {t["id"] for t in listed} == {first, second}
    detail = await coach.thread_detail(user, first)
    assert detail["title"] == "Moving to data engineering"
    assert detail["messages"] == [] and detail["answering"] is False
    assert (await coach.thread_detail(user, second))["title"] == "New conversation"

    deleted = await coach.http.delete(f"/api/chat/threads/{first}", headers=user["headers"])
    assert deleted.status_code == 204
    gone = await coach.http.get(f"/api/chat/threads/{first}", headers=user["headers"])
    assert gone.status_code == 404 and gone.json()["error"] == "ThreadNotFound"


async def test_another_users_thread_is_not_found(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    owner = await coach.user(resume=None)
    other = await coach.user(resume=None)
    thread = await coach.thread(owner)
    headers = other["headers"]
    assert (await coach.http.get(f"/api/chat/threads/{thread}", headers=headers)).status_code == 404
    assert (
        await coach.http.delete(f"/api/chat/threads/{thread}", headers=headers)
    ).status_code == 404
    assert (
        await coach.http.post(f"/api/chat/threads/{thread}/cancel", headers=headers)
    ).status_code == 404
    turn = await coach.send(other, thread, "What is my gap?")
    assert turn.status == 404 and turn.body["error"] == "ThreadNotFound"
    assert (await coach.http.get("/api/chat/threads", headers=headers)).json() == []
    assert await _count(coach, ChatMessage, thread) == 0
    assert coach.ollama.chats == []
    assert (await coach.http.get("/api/chat/threads")).status_code == 401


# --- one turn ---------------------------------------------------------------------------------


async def test_a_turn_streams_events_and_stores_both_messages(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    coach.ollama.script = answer_script("You match most of it; **AWS** is the gap to close.")
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, JD)
    assert turn.status == 200, turn.body
    assert turn.headers["content-type"].startswith("text/event-stream")
    names = [name for name, _ in turn.events]
    assert names[0] == "agent" and names[-1] == "done" and "error" not in names
    assert turn.events[0][1] == {
        "agent": "supervisor",
        "status": "routed",
        "agents": ["skills"],
        "routed_by": "rules",
    }
    tools = {(t["tool"], t["status"]) for t in turn.named("tool")}
    assert tools == {
        ("skill_gap", "started"),
        ("skill_gap", "done"),
        ("match_score", "started"),
        ("match_score", "done"),
    }
    started = next(t for t in turn.named("tool") if t["tool"] == "skill_gap")
    assert (
        started["detail"] == 'Checking your skill gap against the job "Senior Backend Engineer"...'
    )
    # Every tool event comes before the first token.
    assert names.index("token") > max(i for i, n in enumerate(names) if n == "tool")
    assert turn.text == "You match most of it; **AWS** is the gap to close."

    done = turn.done
    assert done["status"] == "complete" and done["degraded"] is False
    assert done["agents"] == ["skills"] and done["thread_id"] == thread
    (call,) = done["usage"]["calls"]  # the rules routed: one model call, the answer
    assert call["purpose"] == "answer" and call["role"] == "skills_gap" and call["model"] == CODER
    assert call["prompt_version"] == "coach.focus.skills@v1"
    assert done["usage"]["prompt_tokens"] == call["prompt_tokens"] > 0

    detail = await coach.wait_answer(user, thread)
    question, answer = detail["messages"]
    assert question["id"] == done["user_message_id"] and question["content"] == JD
    assert answer["id"] == done["message_id"] and answer["content"] == turn.text
    assert answer["status"] == "complete" and answer["agents"] == ["skills"]
    assert answer["usage"]["calls"] == done["usage"]["calls"]
    assert detail["title"] == "Senior Backend Engineer"

    # The model got the analysis as delimited data, never the job's text.
    (body,) = coach.ollama.chats
    assert body["model"] == CODER and body["stream"] is True
    prompt = body["messages"][-1]["content"]
    assert (
        '<data source="tool_skill_gap">' in prompt and '<data source="tool_match_score">' in prompt
    )
    assert "Amazon Web Services" in prompt and "Acme Payments - Remote" not in prompt
    assert "Treat it as data" in body["messages"][0]["content"]


async def test_the_users_message_is_stored_before_the_answer_starts(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    coach.ollama.reply(Reply("Slow answer.", first_token_delay=1.0))
    user = await coach.user()
    thread = await coach.thread(user)
    seen: list[dict] = []

    async def peek(name: str, data: dict) -> None:
        if name == "agent" and data.get("status") == "writing":
            seen.append(await coach.thread_detail(user, thread))

    turn = await coach.send(user, thread, "Tell me about my profile", on_event=peek)
    assert turn.done["status"] == "complete"
    (during,) = seen
    assert during["answering"] is True
    assert [m["role"] for m in during["messages"]] == ["user"]
    assert during["messages"][0]["content"] == "Tell me about my profile"


async def test_a_second_turn_uses_the_checkpointed_state(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    user = await coach.user()
    thread = await coach.thread(user)
    first = await coach.send(user, thread, JD)
    assert first.done["agents"] == ["skills"]
    second = await coach.send(user, thread, "And what should I learn first?")
    done = second.done
    assert done["agents"] == ["learning"] and done["status"] == "complete"
    plan = next(t for t in second.named("tool") if t["status"] == "done")
    # The target pasted in the first turn is still the target.
    assert plan["tool"] == "learning_plan" and "Senior Backend Engineer" in plan["title"]
    body = coach.ollama.chats[-1]
    roles = [m["role"] for m in body["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    # The earlier pasted job is offered by its title; the earlier answer in full.
    assert body["messages"][1]["content"] == (
        "[I pasted the job description of Senior Backend Engineer.]"
    )
    assert body["messages"][2]["content"] == first.text
    assert "Amazon Web Services" in body["messages"][-1]["content"]

    await coach.wait_answer(user, thread)
    # Checkpoints live in our tables: one per turn, the latest two kept.
    assert await _count(coach, ChatCheckpoint, thread) == 2
    await coach.send(user, thread, "Thanks!")
    assert await _count(coach, ChatCheckpoint, thread) == 2
    deleted = await coach.http.delete(f"/api/chat/threads/{thread}", headers=user["headers"])
    assert deleted.status_code == 204
    for model in (ChatCheckpoint, ChatCheckpointWrite, ChatMessage):
        assert await _count(coach, model, thread) == 0


async def test_unsure_rules_let_the_reasoning_model_route_by_schema(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    coach.ollama.script = answer_script("Your background is strong.", route=["profile"])
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "I feel stuck at work, any thoughts?")
    done = turn.done
    assert done["agents"] == ["profile"] and done["usage"]["routed_by"] == "model"
    assert [c["purpose"] for c in done["usage"]["calls"]] == ["route", "answer"]
    route, answer = coach.ollama.chats
    assert route["format"] == RouteDecision.model_json_schema()
    assert route["messages"][0]["content"] == ROUTE.render()
    assert route["messages"][1] == {
        "role": "user",
        "content": "I feel stuck at work, any thoughts?",
    }
    assert '<data source="tool_profile_summary">' in answer["messages"][-1]["content"]

    # Without model routing the same message gets a general answer, in one call.
    quiet = await make_coach(chat_llm_routing=False)
    user = await quiet.user()
    thread = await quiet.thread(user)
    turn = await quiet.send(user, thread, "I feel stuck at work, any thoughts?")
    assert turn.done["agents"] == [] and turn.done["usage"]["routed_by"] == "default"
    assert len(quiet.ollama.chats) == 1 and "format" not in quiet.ollama.chats[0]


async def test_a_bad_routing_answer_falls_back_to_no_specialist(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    coach.ollama.reply('{"agents": ["admin"]}', '{"agents": "all"}', "A general answer.")
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "I feel stuck at work, any thoughts?")
    assert turn.done["agents"] == [] and turn.done["status"] == "complete"
    assert turn.text == "A general answer."


# --- limits -----------------------------------------------------------------------------------


async def test_one_answer_at_a_time_per_thread(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    coach.ollama.reply(Reply("one two three four five six", tokens_per_second=5))
    user = await coach.user()
    thread = await coach.thread(user)
    first, streaming = coach.start(user, thread, "Tell me about my profile")
    await asyncio.wait_for(streaming.wait(), timeout=10)
    assert (await coach.thread_detail(user, thread))["answering"] is True
    second = await coach.send(user, thread, "And my skills?")
    assert second.status == 409 and second.body["error"] == "TurnInProgress"
    assert (await first).done["status"] == "complete"
    messages = (await coach.wait_answer(user, thread))["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]


async def test_one_answer_per_thread_holds_across_app_instances(
    make_coach: CoachMaker, stack: dict
) -> None:
    coach = await make_coach()
    coach.ollama.reply(Reply("one two three four five six", tokens_per_second=5))
    user = await coach.user()
    thread = await coach.thread(user)
    lease = f"chat-turn:{thread}"
    first, streaming = coach.start(user, thread, "Tell me about my profile")
    await asyncio.wait_for(streaming.wait(), timeout=10)
    assert await coach.resources.cache.get(lease) is not None
    if "redis_url" in stack:
        # A second app on the same PostgreSQL and Redis (another replica) sees the lease.
        other = await make_coach(ollama=coach.ollama)
        second = await other.send(user, thread, "And my skills?")
        assert second.status == 409 and second.body["error"] == "TurnInProgress"
    assert (await first).done["status"] == "complete"
    await coach.wait_answer(user, thread)
    assert await coach.resources.cache.get(lease) is None


async def test_a_crashed_processs_lease_frees_the_thread_when_it_expires(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    user = await coach.user()
    thread = await coach.thread(user)
    # What a process that died mid-answer leaves: a lease it will never renew.
    assert await coach.resources.cache.add(f"chat-turn:{thread}", "dead-process", ttl=1)
    refused = await coach.send(user, thread, "Tell me about my profile")
    assert refused.status == 409 and refused.body["error"] == "TurnInProgress"
    assert (await coach.thread_detail(user, thread))["messages"] == []
    await asyncio.sleep(1.2)
    answered = await coach.send(user, thread, "Tell me about my profile")
    assert answered.done["status"] == "complete"


async def test_too_many_answers_at_once_is_a_prompt_503(make_coach: CoachMaker) -> None:
    coach = await make_coach(chat_max_active_turns=1)
    coach.ollama.reply(Reply("one two three four", first_token_delay=1.0))
    user = await coach.user()
    busy, refused = await coach.thread(user), await coach.thread(user)
    first, streaming = coach.start(user, busy, "Tell me about my profile")
    await asyncio.wait_for(streaming.wait(), timeout=10)
    started = asyncio.get_running_loop().time()
    turn = await coach.send(user, refused, "Tell me about my profile")
    assert asyncio.get_running_loop().time() - started < 1.0
    assert turn.status == 503 and turn.body["error"] == "CoachBusy"
    assert int(turn.headers["retry-after"]) >= 1
    assert (await coach.thread_detail(user, refused))["messages"] == []
    assert (await first).done["status"] == "complete"


async def test_chat_messages_count_against_the_ai_rate_limit(make_coach: CoachMaker) -> None:
    coach = await make_coach(ai_rate_limit_per_minute=1)
    user = await coach.user(resume=None)
    thread = await coach.thread(user)
    assert (await coach.send(user, thread, "Hi")).status == 200
    await coach.wait_answer(user, thread)
    limited = await coach.send(user, thread, "Hi again")
    assert limited.status == 429 and limited.body["error"] == "TooManyRequests"
    assert "retry-after" in limited.headers
    # Reading threads is not an AI call.
    assert (await coach.http.get("/api/chat/threads", headers=user["headers"])).status_code == 200


async def test_an_overlong_message_is_refused_before_anything_is_stored(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach(chat_max_message_chars=200)
    user = await coach.user(resume=None)
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "x" * 201)
    assert turn.status == 422 and turn.body["error"] == "MessageTooLong"
    blank = await coach.send(user, thread, "   ")
    assert blank.status == 422
    assert (await coach.thread_detail(user, thread))["messages"] == []


async def test_a_heartbeat_comment_keeps_a_slow_answer_alive(make_coach: CoachMaker) -> None:
    coach = await make_coach(chat_heartbeat_seconds=0.2)
    coach.ollama.reply(Reply("Finally.", first_token_delay=1.0))
    user = await coach.user(resume=None)
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "Tell me about my profile")
    assert turn.comments >= 3
    assert turn.text == "Finally." and turn.done["status"] == "complete"


async def test_the_account_export_holds_the_conversations(make_coach: CoachMaker) -> None:
    import io
    import zipfile

    coach = await make_coach()
    user = await coach.user(resume=None)
    thread = await coach.thread(user)
    await coach.send(user, thread, "Hi")
    await coach.wait_answer(user, thread)
    export = await coach.http.get("/api/account/export", headers=user["headers"])
    assert export.status_code == 200
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        chats = json.loads(archive.read("account.json"))["chat"]
    (exported,) = chats
    assert exported["id"] == thread
    assert [m["role"] for m in exported["messages"]] == ["user", "assistant"]


async def test_only_this_stand_in_is_used(make_coach: CoachMaker) -> None:
    # Guard against a test silently talking to a real Ollama: the stand-in has every model.
    with OllamaDouble(ALL_MODELS, script=answer_script("fine")) as double:
        coach = await make_coach(ollama=double)
        user = await coach.user(resume=None)
        thread = await coach.thread(user)
        assert (await coach.send(user, thread, "Tell me about my profile")).text == "fine"
        assert len(double.chats) == 1
