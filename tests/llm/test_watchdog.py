"""A slow model is waited for, a stalled one is not: the first-token deadline grows with the
prompt, a silent call makes the gateway test an idle model, and a stalled server is reported,
ends the calls waiting on it and refuses new ones until it answers again."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from careergini.gateway.health.service import check_llm
from careergini.llm.errors import LLMUnavailable
from careergini.llm.gateway import LLMProgress
from tests.doubles.realistic import Realism, RealisticOllama
from tests.llm.conftest import ALL_MODELS, FAST, REASONING, GatewayMaker, user

SCALE = 0.02  # one model second is 20 ms


@pytest.fixture
def slow_model() -> Iterator[RealisticOllama]:
    realism = Realism(prefill_tps=40, decode_tps=5, time_scale=SCALE, answer_tokens=30)
    with RealisticOllama(ALL_MODELS, realism=realism) as double:
        yield double


def test_the_first_token_deadline_grows_with_the_prompt(make_gateway: GatewayMaker) -> None:
    llm = make_gateway(llm_first_token_timeout=30.0, llm_prefill_tokens_per_second=25.0)
    assert llm.first_token_deadline(REASONING, 0) == 30.0
    assert llm.first_token_deadline(REASONING, 1500) == 90.0
    # A server that reads slower than configured gets the longer deadline it needs...
    llm.prefill.observe(REASONING, 1000, 100.0)
    assert llm.first_token_deadline(REASONING, 1500) == pytest.approx(30.0 + 150.0)
    # ...one that reads faster keeps the configured (safer) one.
    llm.prefill.observe(FAST, 1000, 1.0)
    assert llm.first_token_deadline(FAST, 1500) == 90.0


async def test_a_stalled_server_is_found_and_calls_stop_waiting(
    make_gateway: GatewayMaker, slow_model: RealisticOllama
) -> None:
    llm = make_gateway(
        url=slow_model.url,
        llm_first_token_timeout=60.0,
        llm_total_timeout=120.0,
        llm_stall_seconds=0.6,
        llm_probe_timeout=0.6,
    )
    slow_model.stall()  # every generation hangs, the probe's too; /api/tags still answers
    started = time.perf_counter()
    with pytest.raises(LLMUnavailable, match="stopped answering") as caught:
        await llm.complete("jobs", [user("Summarise this posting.")])
    waited = time.perf_counter() - started
    # Found by the watchdog (silence + a failed one-token test), not by the 60 s deadline.
    assert waited < 5.0
    assert caught.value.status_code == 503 and caught.value.headers["Retry-After"]
    assert llm.watch.stalled
    health = await check_llm(settings=llm.settings, llm=llm)
    assert health.status == "stalled" and "stalled" in health.detail
    # New calls are refused at once while it is stalled.
    started = time.perf_counter()
    with pytest.raises(LLMUnavailable, match="stopped answering"):
        await llm.complete("supervisor", [user("Hello")])
    assert time.perf_counter() - started < 0.5
    # When the server answers a test again, calls go through.
    slow_model.resume()
    for _ in range(100):
        if not llm.watch.stalled:
            break
        await asyncio.sleep(0.1)
    assert not llm.watch.stalled
    completion = await llm.complete("jobs", [user("Summarise this posting.")])
    assert completion.text
    assert (await check_llm(settings=llm.settings, llm=llm)).status == "ok"


async def test_a_slow_call_on_a_busy_model_is_not_a_stall(
    make_gateway: GatewayMaker, slow_model: RealisticOllama
) -> None:
    llm = make_gateway(
        url=slow_model.url,
        llm_first_token_timeout=60.0,
        llm_total_timeout=120.0,
        llm_stall_seconds=0.3,
        llm_probe_timeout=1.0,
    )
    # 1,250 prompt tokens at 40 tokens/s: 31 model seconds (0.6 s here) of silence before the
    # first token, longer than the stall threshold; the idle model answers the test meanwhile.
    long_prompt = "word " * 1000
    completion = await llm.complete("jobs", [user(long_prompt)])
    assert completion.text
    assert not llm.watch.stalled
    assert llm.watch.state.probes >= 1 and llm.watch.state.last_probe_ok is True


async def test_progress_is_reported_while_the_model_reads_and_writes(
    make_gateway: GatewayMaker, slow_model: RealisticOllama
) -> None:
    llm = make_gateway(url=slow_model.url)
    seen: list[LLMProgress] = []

    async def progress(update: LLMProgress) -> None:
        seen.append(update)

    await llm.complete("jobs", [user("Summarise this posting.")], progress=progress)
    stages = [p.stage for p in seen]
    assert stages[:2] == ["waiting", "reading"]
    writing = [p for p in seen if p.stage == "writing"]
    assert writing and writing[-1].tokens == len(writing) and writing[-1].max_tokens > 0
    assert 0 < (writing[-1].percent or 0) <= 99


async def test_a_seeded_role_is_cached(
    make_gateway: GatewayMaker, slow_model: RealisticOllama
) -> None:
    llm = make_gateway(
        url=slow_model.url,
        llm_model_overrides={"resume": {"model": REASONING, "temperature": 0.2, "seed": 7}},
    )
    first = await llm.complete("resume", [user("Reword: built a payments API.")])
    asked = len(slow_model.stats)
    second = await llm.complete("resume", [user("Reword: built a payments API.")])
    assert second.cached and second.text == first.text
    assert len(slow_model.stats) == asked  # no second model call
    usage = await llm.usage(hours=1)
    assert usage.total.cache_hits >= 1
