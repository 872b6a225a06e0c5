"""Stopping an answer: cancel, a client that disconnects, and the WebSocket."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import websockets

from careergini.agents.chat.service import ChatRuntime
from tests.agents.chat_support import Coach, CoachMaker
from tests.doubles.ollama import Reply

LONG = " ".join(f"word{i}" for i in range(60))


async def _settled(coach: Coach) -> None:
    """Wait until no answer is running and every model slot is free again."""
    runtime = coach.resources.component(ChatRuntime)
    for _ in range(200):
        if not runtime.turns and coach.resources.llm.limiter.active == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the turn did not finish")


async def test_cancel_stops_the_answer_and_keeps_what_was_streamed(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    coach.ollama.reply(Reply(LONG, tokens_per_second=20))
    user = await coach.user()
    thread = await coach.thread(user)
    cancels: list[Any] = []

    async def cancel_at_word2(name: str, data: dict) -> None:
        if name == "token" and data["text"].strip() == "word2" and not cancels:
            cancels.append(
                await coach.http.post(f"/api/chat/threads/{thread}/cancel", headers=user["headers"])
            )

    turn = await coach.send(user, thread, "Tell me about my profile", on_event=cancel_at_word2)
    (response,) = cancels
    assert response.status_code == 200 and response.json() == {
        "thread_id": thread,
        "cancelled": True,
    }
    done = turn.done
    assert done["status"] == "interrupted" and done["reason"] == "cancelled"
    assert turn.text.startswith("word0 word1 word2") and "word59" not in turn.text
    detail = await coach.wait_answer(user, thread)
    stored = detail["messages"][-1]
    assert stored["status"] == "interrupted" and stored["content"] == turn.text
    await _settled(coach)

    # The thread goes on, and the coach's state remembers the interrupted answer.
    coach.ollama.reply("Carrying on.")
    again = await coach.send(user, thread, "Tell me about my profile again")
    assert again.done["status"] == "complete" and again.text == "Carrying on."
    history = coach.ollama.chats[-1]["messages"]
    assert [m["role"] for m in history] == ["system", "user", "assistant", "user"]
    assert history[2]["content"] == turn.text
    # Cancelling when nothing runs is harmless.
    idle = await coach.http.post(f"/api/chat/threads/{thread}/cancel", headers=user["headers"])
    assert idle.status_code == 200 and idle.json()["cancelled"] is False


async def test_a_client_that_disconnects_leaves_an_interrupted_answer(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    coach.ollama.reply(Reply(LONG, tokens_per_second=20))
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "Tell me about my profile", stop_after_tokens=3)
    assert turn.text.startswith("word0 word1 word2")
    assert not turn.named("done")
    detail = await coach.wait_answer(user, thread)
    stored = detail["messages"][-1]
    assert stored["status"] == "interrupted"
    # What was streamed is kept: at least what this client saw, far from the whole answer.
    assert stored["content"].startswith(turn.text) and "word59" not in stored["content"]
    # The model call was closed with it: the slot is free, nothing keeps generating.
    await _settled(coach)
    assert coach.resources.llm.limiter.active == 0


async def _ws(coach: Coach, **kwargs: Any) -> Any:
    return await websockets.connect(coach.url.replace("http", "ws") + "/api/chat/ws", **kwargs)


async def _frames_until_done(ws: Any) -> list[dict]:
    frames = []
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=15))
        frames.append(frame)
        if frame["type"] == "done":
            return frames


async def test_the_websocket_streams_the_same_events(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    coach.ollama.reply("Your profile is solid.")
    user = await coach.user()
    thread = await coach.thread(user)
    async with await _ws(coach) as ws:
        await ws.send(json.dumps({"type": "auth", "access_token": user["token"]}))
        assert json.loads(await ws.recv()) == {"type": "ready"}
        await ws.send(
            json.dumps(
                {"type": "message", "thread_id": thread, "content": "Tell me about my profile"}
            )
        )
        frames = await _frames_until_done(ws)
    kinds = [f["type"] for f in frames]
    assert kinds[0] == "agent" and "tool" in kinds and kinds[-1] == "done"
    text = "".join(f["text"] for f in frames if f["type"] == "token")
    assert text == "Your profile is solid."
    done = frames[-1]
    assert done["status"] == "complete" and done["agents"] == ["profile"]
    assert all(f["thread_id"] == thread for f in frames)
    stored = (await coach.wait_answer(user, thread))["messages"][-1]
    assert stored["id"] == done["message_id"] and stored["content"] == text


async def test_the_websocket_cancels_and_disconnects(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    coach.ollama.reply(Reply(LONG, tokens_per_second=20), Reply(LONG, tokens_per_second=20))
    user = await coach.user()
    first, second = await coach.thread(user), await coach.thread(user)
    headers = {"Authorization": f"Bearer {user['token']}"}
    async with await _ws(coach, additional_headers=headers) as ws:
        assert json.loads(await ws.recv()) == {"type": "ready"}
        await ws.send(json.dumps({"type": "message", "thread_id": first, "content": "My profile?"}))
        frames: list[dict] = []
        while len([f for f in frames if f["type"] == "token"]) < 3:
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), timeout=15)))
        await ws.send(json.dumps({"type": "cancel", "thread_id": first}))
        frames += await _frames_until_done(ws)
        assert {"type": "cancel", "thread_id": first, "cancelled": True} in frames
        assert frames[-1]["status"] == "interrupted"

        # Another thread, then the connection drops mid-answer.
        await ws.send(
            json.dumps({"type": "message", "thread_id": second, "content": "My profile?"})
        )
        while json.loads(await asyncio.wait_for(ws.recv(), timeout=15))["type"] != "token":
            pass
    detail = await coach.wait_answer(user, second)
    assert detail["messages"][-1]["status"] == "interrupted"
    assert detail["messages"][-1]["content"].startswith("word0")
    await _settled(coach)


async def test_the_websocket_refuses_strangers_and_bad_frames(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    owner = await coach.user(resume=None)
    stranger = await coach.user(resume=None)
    thread = await coach.thread(owner)
    ws = await _ws(coach)
    await ws.send(json.dumps({"type": "auth", "access_token": "not-a-token"}))
    assert json.loads(await ws.recv())["error"] == "Unauthorized"
    await ws.wait_closed()
    assert ws.close_code == 4401
    async with await _ws(coach) as ws:
        await ws.send(json.dumps({"type": "auth", "access_token": stranger["token"]}))
        assert json.loads(await ws.recv()) == {"type": "ready"}
        await ws.send(json.dumps({"type": "message", "thread_id": thread, "content": "Hi"}))
        error = json.loads(await ws.recv())
        assert error["type"] == "error" and error["error"] == "ThreadNotFound"
        await ws.send(json.dumps({"type": "message", "thread_id": "nope", "content": "Hi"}))
        assert json.loads(await ws.recv())["error"] == "ValidationError"
        await ws.send(json.dumps({"type": "dance", "thread_id": thread}))
        assert json.loads(await ws.recv())["error"] == "ValidationError"
    # A cookie from another site is not accepted.
    cookie = {"Cookie": f"cg_access={owner['token']}", "Origin": "https://evil.example"}
    ws = await _ws(coach, additional_headers=cookie)
    assert json.loads(await ws.recv())["error"] == "Unauthorized"
    await ws.wait_closed()
    assert ws.close_code == 4401
    assert (await coach.thread_detail(owner, thread))["messages"] == []


async def test_the_websocket_takes_the_cookie_only_from_our_pages_and_not_after_logout(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    user = await coach.user()
    cookie = {"Cookie": f"cg_access={user['token']}"}
    # No Origin (not a browser page), a sandboxed page's "null", another site: refused.
    for origin in (None, "null", "https://evil.example"):
        extra = {"origin": origin} if origin else {}
        async with await _ws(coach, additional_headers=cookie, **extra) as ws:
            assert json.loads(await ws.recv())["error"] == "Unauthorized", origin
    async with await _ws(coach, additional_headers=cookie, origin=coach.url) as ws:
        assert json.loads(await ws.recv()) == {"type": "ready"}
    bearer = {"Authorization": f"Bearer {user['token']}"}
    assert (await coach.http.post("/api/auth/logout", headers=bearer)).status_code in (200, 204)
    async with await _ws(coach, additional_headers=bearer) as ws:
        assert json.loads(await ws.recv())["error"] == "Unauthorized"
