"""Measure the LLM gateway's own overhead and its behaviour under load, against the Ollama
stand-in (tests/doubles/ollama.py) over real HTTP on 127.0.0.1.

    python benchmarks/bench_llm_gateway.py [--calls 200] [--delay 0.05] [--streams 50]

Overhead: time from ``llm.stream(...)`` to its first token, minus the stand-in's own delay before
that token, p50/p95 over ``--calls`` sequential calls (target: p95 <= 30 ms). The same figure for
the bare ``ollama`` client shows what is HTTP and what is the gateway (routing, budget, data
rule, slot, breaker, accounting). A second row sends a 12 kB resume to the ``resume`` role, so
token estimation and trimming are part of the cost.

Load: ``--streams`` concurrent streams against a stand-in generating 20 tokens/s with 2 slots,
the gateway at concurrency 2 and queue 8: how many stream, how many are refused at once with a
503 (LLMBusy), and that none hangs.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ollama import AsyncClient  # noqa: E402

from careergini.config import Settings  # noqa: E402
from careergini.core.cache import MemoryCache  # noqa: E402
from careergini.core.logging import configure_logging  # noqa: E402
from careergini.core.metrics import Metrics  # noqa: E402
from careergini.llm import LLMBusy, LLMError, LLMGateway, wrap_untrusted  # noqa: E402
from tests.doubles.ollama import OllamaDouble, Reply  # noqa: E402

MODELS = [
    "qwen2.5:7b-instruct-q4_K_M",
    "phi3:3.8b-mini-4k-instruct-q4_K_M",
    "qwen2.5-coder:7b-instruct-q4_K_M",
]
FAST = MODELS[1]
HANG_LIMIT = 60.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def gateway(url: str, data_dir: Path, **overrides: object) -> LLMGateway:
    settings = Settings(_env_file=None, ollama_url=url, data_dir=data_dir, **overrides)
    return LLMGateway(settings=settings, cache=MemoryCache(), metrics=Metrics())


async def first_token_gateway(llm: LLMGateway, role: str, messages: list[dict]) -> float:
    started = time.perf_counter()
    first = None
    async for event in llm.stream(role, messages):
        if first is None and event.kind == "token":
            first = time.perf_counter() - started
    assert first is not None
    return first


async def first_token_raw(client: AsyncClient, messages: list[dict]) -> float:
    started = time.perf_counter()
    first = None
    async for chunk in await client.chat(model=FAST, messages=messages, stream=True):
        if first is None and chunk.message.content:
            first = time.perf_counter() - started
    assert first is not None
    return first


async def overhead(calls: int, delay: float, data_dir: Path) -> list[tuple[str, list[float]]]:
    short = [{"role": "user", "content": "Which skill should I learn next?"}]
    resume = "Senior data engineer. Python, SQL, Airflow, Spark, dbt. " * 220  # ~12 kB
    long = [
        {"role": "system", "content": "You tailor resumes."},
        {"role": "user", "content": "Tailor:\n" + wrap_untrusted(resume, source="resume")},
    ]
    rows = []
    with OllamaDouble(MODELS, default=Reply("One two three.", first_token_delay=delay)) as double:
        client = AsyncClient(host=double.url)
        llm = gateway(double.url, data_dir)
        for _ in range(5):  # warm up connections and imports
            await first_token_raw(client, short)
            await first_token_gateway(llm, "learning", short)
        for label, run in (
            ("bare ollama client", lambda: first_token_raw(client, short)),
            ("gateway, short chat", lambda: first_token_gateway(llm, "learning", short)),
            ("gateway, 12 kB resume", lambda: first_token_gateway(llm, "resume", long)),
        ):
            samples = [(await run()) - delay for _ in range(calls)]
            rows.append((label, samples))
        await client.close()
        await llm.aclose()
    return rows


async def load(streams: int, data_dir: Path) -> dict[str, object]:
    reply = Reply(" ".join(["token"] * 20), tokens_per_second=20)
    with OllamaDouble(MODELS, default=reply, slots=2) as double:
        llm = gateway(double.url, data_dir, llm_concurrency=2, llm_queue_size=8)
        outcomes: list[tuple[str, float, float | None, int | None]] = []

        async def one() -> None:
            started = time.perf_counter()
            first = None
            try:
                async with asyncio.timeout(HANG_LIMIT):
                    async for _event in llm.stream("learning", [{"role": "user", "content": "Go"}]):
                        if first is None:
                            first = time.perf_counter() - started
                outcomes.append(("streamed", time.perf_counter() - started, first, None))
            except LLMBusy as exc:
                outcomes.append(("busy", time.perf_counter() - started, None, exc.retry_after))
            except TimeoutError:
                outcomes.append(("hung", time.perf_counter() - started, None, None))
            except LLMError:
                outcomes.append(("error", time.perf_counter() - started, None, None))

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(streams)))
        wall = time.perf_counter() - started
        await llm.aclose()
    done = [o for o in outcomes if o[0] == "streamed"]
    busy = [o for o in outcomes if o[0] == "busy"]
    return {
        "streamed": len(done),
        "busy": len(busy),
        "hung": sum(o[0] == "hung" for o in outcomes),
        "errors": sum(o[0] == "error" for o in outcomes),
        "wall": wall,
        "busy_max_latency": max((o[1] for o in busy), default=0.0),
        "retry_after": sorted({o[3] for o in busy if o[3] is not None}),
        "first_token_p50": percentile([o[2] for o in done if o[2] is not None], 0.5),
        "first_token_max": max(o[2] for o in done if o[2] is not None),
        "stream_max": max(o[1] for o in done),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.05, help="stand-in's first-token delay")
    parser.add_argument("--streams", type=int, default=50)
    args = parser.parse_args()
    configure_logging(level="WARNING", json_logs=True)
    logging.getLogger().setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory() as tmp:
        rows = await overhead(args.calls, args.delay, Path(tmp))
        print(f"\nTime to first token minus the stand-in's {args.delay * 1000:.0f} ms delay")
        print(f"({args.calls} sequential streamed calls; target p95 <= 30 ms)\n")
        print(f"{'path':<24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        print("-" * 51)
        for label, samples in rows:
            print(
                f"{label:<24} {statistics.median(samples) * 1000:8.2f} "
                f"{percentile(samples, 0.95) * 1000:8.2f} {max(samples) * 1000:8.2f}"
            )
        gateway_p95 = percentile(rows[1][1], 0.95) * 1000

        result = await load(args.streams, Path(tmp))
        print(
            f"\n{args.streams} concurrent streams, stand-in at 20 tokens/s with 2 slots, "
            "gateway concurrency 2 + queue 8\n"
        )
        print(f"{'outcome':<36} {'value':>12}")
        print("-" * 49)
        for label, value in (
            ("streamed to the end", result["streamed"]),
            ("refused at once (503 LLMBusy)", result["busy"]),
            ("other errors", result["errors"]),
            (f"hung (> {HANG_LIMIT:.0f} s)", result["hung"]),
            ("slowest refusal (ms)", f"{result['busy_max_latency'] * 1000:.1f}"),
            ("Retry-After given (s)", ",".join(map(str, result["retry_after"])) or "-"),
            (
                "first token p50 / max (s)",
                f"{result['first_token_p50']:.2f} / {result['first_token_max']:.2f}",
            ),
            ("longest stream (s)", f"{result['stream_max']:.2f}"),
            ("wall time (s)", f"{result['wall']:.2f}"),
        ):
            print(f"{label:<36} {value!s:>12}")
        verdict = "PASS" if gateway_p95 <= 30 and result["hung"] == 0 else "FAIL"
        print(f"\n{verdict}: gateway overhead p95 {gateway_p95:.2f} ms, {result['hung']} hung")


if __name__ == "__main__":
    asyncio.run(main())
