"""The realistic Ollama double (tests/doubles/realistic.py), driven by the real ``ollama`` client.

Every test runs the double at ``time_scale=0.05`` (a model second lasts 50 ms), so a 5 tokens/s
model writes a token every 10 ms of wall-clock time; the whole file takes a few seconds.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import resource
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from ollama import AsyncClient, ResponseError
from pydantic import BaseModel, ValidationError

from tests.doubles.ollama import Reply
from tests.doubles.realistic import (
    Realism,
    RealisticOllama,
    malformed_json,
    prompt_tokens,
    schema_instance,
)

SCALE = 0.05
MODEL = "qwen2.5:7b-instruct"
OTHER = "phi3:mini"
# Wall-clock slack for thread scheduling on a busy 2-core machine.
SLACK = 0.25


def words(count: int) -> str:
    return " ".join(f"w{i}" for i in range(count))


def user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


@pytest.fixture
def ollama() -> Iterator[RealisticOllama]:
    with RealisticOllama([MODEL, OTHER], realism=Realism(time_scale=SCALE)) as double:
        yield double


@pytest.fixture
async def client(ollama: RealisticOllama) -> AsyncIterator[AsyncClient]:
    yield AsyncClient(host=ollama.url)


async def stream(client: AsyncClient, **kwargs: Any) -> tuple[list[float], list[Any]]:
    """Run one streamed chat: (arrival time of each chunk, the chunks)."""
    kwargs.setdefault("model", MODEL)
    times, chunks = [], []
    async for chunk in await client.chat(stream=True, **kwargs):
        times.append(time.perf_counter())
        chunks.append(chunk)
    return times, chunks


def test_prompt_tokens_are_characters_over_four() -> None:
    body = {"messages": [{"role": "system", "content": "x" * 10}, *user("y" * 31)]}
    assert prompt_tokens("/api/chat", body) == 11  # ceil(41 / 4)
    assert prompt_tokens("/api/generate", {"system": "ab", "prompt": "cdefg"}) == 2
    assert prompt_tokens("/api/chat", {"messages": []}) == 1


async def test_first_token_waits_for_the_prompt_to_be_read(
    ollama: RealisticOllama, client: AsyncClient
) -> None:
    ollama.reply("hello there")
    started = time.perf_counter()
    times, chunks = await stream(client, messages=user("x" * 1600))  # 400 tokens
    # 400 tokens at 40/s = 10 model s, plus one token at 5/s = 0.2 model s.
    expected = (400 / 40 + 1 / 5) * SCALE
    assert expected <= times[0] - started < expected + SLACK
    final = chunks[-1]
    assert final.done and final.done_reason == "stop"
    assert final.prompt_eval_count == 400
    assert final.prompt_eval_duration / 1e9 == pytest.approx(400 / 40 * SCALE, abs=0.1)
    assert final.total_duration >= final.prompt_eval_duration + final.eval_duration
    assert "".join(c.message.content for c in chunks) == "hello there"


async def test_tokens_come_at_the_decode_rate_up_to_num_predict(
    ollama: RealisticOllama, client: AsyncClient
) -> None:
    ollama.reply(words(40), words(40))
    times, chunks = await stream(client, messages=user("hi"))
    tokens = [c for c in chunks if not c.done]
    assert len(tokens) == 40 and chunks[-1].eval_count == 40
    # 39 intervals of 1/5 model s between the first and the last token.
    assert times[len(tokens) - 1] - times[0] == pytest.approx(39 / 5 * SCALE, rel=0.25)
    assert chunks[-1].eval_duration / 1e9 == pytest.approx(40 / 5 * SCALE, rel=0.25)

    _, capped = await stream(client, messages=user("hi"), options={"num_predict": 10})
    assert len([c for c in capped if not c.done]) == 10
    assert capped[-1].done_reason == "length" and capped[-1].eval_count == 10


async def test_one_request_at_a_time_per_model_first_come_first_served(
    ollama: RealisticOllama, client: AsyncClient
) -> None:
    ollama.reply(words(20), words(20))
    first = asyncio.create_task(stream(client, messages=user("first")))
    await asyncio.sleep(0.02)
    second = asyncio.create_task(stream(client, messages=user("second")))
    (first_times, first_chunks), (second_times, _) = await asyncio.gather(first, second)
    assert first_chunks[-1].message.content == ""  # the streamed answer's final chunk
    assert second_times[0] > first_times[-1], "the second started before the first ended"
    assert ollama.max_queue_depth == 1 and ollama.max_queue_depths[MODEL] == 1
    done_first, done_second = ollama.stats
    assert (done_first.ahead, done_second.ahead) == (0, 1)
    assert done_first.queue_wait < 0.05
    # The second waited for the whole first answer: prompt, then 20 tokens at 5/s.
    assert done_second.queue_wait == pytest.approx(
        done_first.prefill + done_first.decode, abs=SLACK
    )
    assert done_second.prefill > 0 and done_second.decode == pytest.approx(20 / 5 * SCALE, rel=0.3)


async def test_other_models_are_not_queued_and_parallel_slots_run_together() -> None:
    realism = Realism(time_scale=SCALE, parallel=2, cpu_shared=False)
    with RealisticOllama([MODEL, OTHER], realism=realism) as double:
        client = AsyncClient(host=double.url)
        double.reply(words(20), words(20), words(20))
        started = time.perf_counter()
        await asyncio.gather(
            stream(client, messages=user("a")),
            stream(client, messages=user("b")),
            stream(client, model=OTHER, messages=user("c")),
        )
        # Each alone takes 20 / 5 * 0.05 = 0.2 s (plus a short prompt); together, the same.
        assert time.perf_counter() - started < 0.2 + 2 * SLACK
        assert double.max_queue_depth == 0
        assert all(s.queue_wait < 0.05 for s in double.stats)


async def test_models_share_the_cpu() -> None:
    with RealisticOllama([MODEL, OTHER], realism=Realism(time_scale=SCALE)) as double:
        client = AsyncClient(host=double.url)
        double.reply(words(20), words(20))
        await asyncio.gather(
            stream(client, messages=user("a")), stream(client, model=OTHER, messages=user("b"))
        )
        # Two requests computing at once: each writes at about half the rate.
        assert all(s.decode > 1.5 * 20 / 5 * SCALE for s in double.stats)


async def test_a_full_queue_is_a_503() -> None:
    with RealisticOllama([MODEL], realism=Realism(time_scale=SCALE, max_queue=1)) as double:
        client = AsyncClient(host=double.url)
        double.reply(words(10), words(10), words(10))
        results = await asyncio.gather(
            *(stream(client, messages=user(str(i))) for i in range(3)), return_exceptions=True
        )
        errors = [r for r in results if isinstance(r, ResponseError)]
        assert [e.status_code for e in errors] == [503]
        assert "server busy" in errors[0].error
        assert sorted(s.outcome for s in double.stats) == ["busy", "done", "done"]


async def test_a_client_that_leaves_the_queue_frees_its_place(
    ollama: RealisticOllama, client: AsyncClient
) -> None:
    ollama.reply(words(20), words(5), words(5))
    first = asyncio.create_task(stream(client, messages=user("first")))
    await asyncio.sleep(0.02)
    leaving = asyncio.create_task(stream(client, messages=user("leaving")))
    await asyncio.sleep(0.05)
    leaving.cancel()
    third = asyncio.create_task(stream(client, messages=user("third")))
    await asyncio.gather(first, third)
    assert [s.outcome for s in ollama.stats] == ["done", "cancelled", "done"]


async def test_generate_is_paced_too(ollama: RealisticOllama, client: AsyncClient) -> None:
    ollama.reply("a b c")
    started = time.perf_counter()
    chunks = [c async for c in await client.generate(MODEL, "x" * 160, stream=True)]
    assert time.perf_counter() - started >= (40 / 40 + 3 / 5) * SCALE
    assert "".join(c.response or "" for c in chunks) == "a b c"
    assert chunks[-1].prompt_eval_count == 40 and chunks[-1].eval_count == 3
    assert [m.model for m in (await client.ps()).models] == [MODEL]


async def test_non_streaming_answer_arrives_whole(
    ollama: RealisticOllama, client: AsyncClient
) -> None:
    ollama.reply(words(10))
    started = time.perf_counter()
    answer = await client.chat(model=MODEL, messages=user("x" * 400), stream=False)
    assert time.perf_counter() - started >= (100 / 40 + 10 / 5) * SCALE
    assert answer.message.content == words(10) and answer.eval_count == 10


@pytest.mark.parametrize("headers", [False, True])
async def test_a_stall_sends_no_bytes_until_the_double_closes(headers: bool) -> None:
    double = RealisticOllama([MODEL], realism=Realism(time_scale=SCALE)).__enter__()
    double.stall(headers=headers)
    async with httpx.AsyncClient(base_url=double.url, timeout=5) as http:
        request = http.build_request(
            "POST", "/api/chat", json={"model": MODEL, "messages": user("hi")}
        )
        waiting: asyncio.Task[Any]
        if headers:
            response = await http.send(request, stream=True)
            assert response.status_code == 200
            waiting = asyncio.create_task(response.aread())
        else:
            waiting = asyncio.create_task(http.send(request, stream=True))
        await asyncio.sleep(0.3)
        assert not waiting.done(), "bytes came from a stalled model"
        assert double.stats[0].outcome == "running"
        # /api/tags still answers while the model hangs, as Ollama's does.
        assert (await http.get("/api/tags")).status_code == 200
        double.__exit__(None, None, None)
        with pytest.raises(httpx.HTTPError):
            async with asyncio.timeout(1):
                await waiting
    assert double.stats[0].outcome == "closed"


async def test_a_stall_holds_the_slot_then_the_answer_goes_on(
    ollama: RealisticOllama, client: AsyncClient
) -> None:
    ollama.reply(words(6), "hung", "queued")
    ollama.stall(4, headers=True, after_tokens=3, count=1)  # 4 model s = 0.2 s
    times, chunks = await stream(client, messages=user("hi"))
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert max(gaps) >= 4 * SCALE and gaps.index(max(gaps)) == 2  # after the third token
    assert len(chunks) == 7 and ollama.stats[0].stalled >= 4 * SCALE

    ollama.stall()  # until resume(): the next request waits behind the stalled one
    hung = asyncio.create_task(stream(client, messages=user("hung")))
    queued = asyncio.create_task(stream(client, messages=user("queued")))
    await asyncio.sleep(0.2)
    assert ollama.queue_depth(MODEL) == 1 and not hung.done()
    ollama.resume()
    await asyncio.gather(hung, queued)
    assert [s.outcome for s in ollama.stats] == ["done", "done", "done"]


class Skills(BaseModel):
    title: str
    skills: list[str]
    years: int


async def test_format_requests_get_valid_json_unless_malformed(
    ollama: RealisticOllama, client: AsyncClient
) -> None:
    schema = Skills.model_json_schema()

    async def ask() -> str:
        _, chunks = await stream(client, messages=user("extract"), format=schema)
        return "".join(c.message.content for c in chunks)

    Skills.model_validate_json(await ask())

    ollama.malform("truncated", count=1)
    with pytest.raises(ValueError):
        json.loads(await ask())

    ollama.malform("prose", count=1)
    prose = await ask()
    assert prose.startswith("Sure!") and "```json" in prose
    Skills.model_validate_json(prose.split("```json\n")[1].split("\n```")[0])

    ollama.malform("wrong_keys", count=1)
    with pytest.raises(ValidationError):
        Skills.model_validate_json(await ask())

    # A lying answer is a scripted reply; the malformation count is spent.
    ollama.reply(json.dumps({"title": "Astronaut", "skills": ["flying"], "years": 40}))
    assert Skills.model_validate_json(await ask()).title == "Astronaut"


def test_schema_instance_and_malformed_json_helpers() -> None:
    schema = {
        "type": "object",
        "required": ["kind", "tags", "score", "when", "maybe"],
        "properties": {
            "kind": {"enum": ["a", "b"]},
            "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}, "minItems": 2},
            "score": {"type": "number", "minimum": 0.5, "maximum": 1},
            "when": {"type": "string", "format": "date"},
            "maybe": {"anyOf": [{"type": "null"}, {"type": "string", "minLength": 9}]},
        },
        "$defs": {"Tag": {"type": "string", "maxLength": 3}},
    }
    assert schema_instance(schema) == {
        "kind": "a",
        "tags": ["exa", "exa"],
        "score": 0.5,
        "when": "2025-01-01",
        "maybe": "examplexx",
    }
    assert malformed_json('{"missing_skills": [1]}', "wrong_keys") == '{"MissingSkills": [1]}'
    assert malformed_json("[1, 2]", "wrong_keys") == '{"Result": [1, 2]}'
    assert malformed_json('{"a": 1}', "truncated") == '{"a"'


async def test_scripted_errors_and_slowness_still_apply(
    ollama: RealisticOllama, client: AsyncClient
) -> None:
    ollama.reply(Reply(status=500, error="runner crashed"), Reply("x y", first_token_delay=4))
    with pytest.raises(ResponseError) as failed:
        await stream(client, messages=user("hi"))
    assert failed.value.status_code == 500
    started = time.perf_counter()
    await stream(client, messages=user("hi"))
    assert time.perf_counter() - started >= 4 * SCALE
    with pytest.raises(ResponseError) as missing:
        await stream(client, model="nope", messages=user("hi"))
    assert missing.value.status_code == 404


@pytest.fixture
def many_open_files() -> Iterator[None]:
    """Hold 1,100 descriptors, as a long test run's process does: new sockets number above 1023."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        yield
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


async def test_the_double_answers_when_the_process_holds_many_files(
    many_open_files: None, ollama: RealisticOllama, client: AsyncClient
) -> None:
    # select() refuses descriptors above 1023: the double must not take such a client for gone.
    ollama.reply(words(5))
    _, chunks = await stream(client, messages=user("hi"))
    assert "".join(c.message.content for c in chunks).split() == words(5).split()
