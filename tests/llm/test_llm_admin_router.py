"""``GET /api/admin/llm/usage``: operators see LLM usage; everyone else gets a 404."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from careergini.config import Settings
from careergini.gateway.auth.models import User
from careergini.runtime.resources import Resources
from tests.conftest import UserMaker, make_settings
from tests.doubles.ollama import OllamaDouble
from tests.llm.conftest import ALL_MODELS, FAST, REASONING


@pytest.fixture
def ollama() -> Iterator[OllamaDouble]:
    with OllamaDouble(ALL_MODELS) as double:
        yield double


@pytest.fixture
def settings(stack: dict, tmp_path: Path, ollama: OllamaDouble) -> Settings:
    return make_settings(tmp_path, ollama_url=ollama.url, **stack)


async def make_admin(resources: Resources, user_id: str) -> None:
    async with resources.sessionmaker() as session:
        user = await session.get(User, uuid.UUID(user_id))
        assert user is not None
        user.is_admin = True
        await session.commit()


async def test_an_admin_sees_usage_per_role_model_and_user(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources, ollama: OllamaDouble
) -> None:
    admin, alice = await make_user(), await make_user()
    await make_admin(resources, admin["id"])
    ollama.models.remove(REASONING)  # the supervisor's calls go to the fallback
    messages = [{"role": "user", "content": "Hello"}]
    await resources.llm.complete("supervisor", messages, user_id=alice["id"])
    await resources.llm.complete("profile", messages, user_id=alice["id"])
    await resources.llm.complete("profile", messages, user_id=alice["id"])  # cached
    await resources.llm.complete("jobs", messages)

    response = await client.get("/api/admin/llm/usage?hours=2", headers=admin["headers"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"]["calls"] == 4 and body["total"]["cache_hits"] == 1
    assert body["total"]["fallbacks"] == 1 and body["total"]["errors"] == 0
    assert set(body["by_role"]) == {"supervisor", "profile", "jobs"}
    assert body["by_model"][FAST]["calls"] == 4
    assert body["by_user"][alice["id"]]["calls"] == 3
    assert body["by_user"]["anonymous"]["calls"] == 1
    assert body["by_role"]["supervisor"]["avg_first_token_seconds"] is not None

    exported = (await client.get("/metrics")).text
    assert f'careergini_llm_calls_total{{model="{FAST}",outcome="cached",role="profile"}} 1.0' in (
        exported
    )


async def test_a_normal_user_gets_a_404_and_a_stranger_a_401(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    await make_user()  # the first account of an install is its admin
    alice = await make_user()
    response = await client.get("/api/admin/llm/usage", headers=alice["headers"])
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"
    assert (await client.get("/api/admin/llm/usage")).status_code == 401


async def test_the_window_is_bounded(
    client: httpx.AsyncClient, make_user: UserMaker, resources: Resources
) -> None:
    admin = await make_user()
    await make_admin(resources, admin["id"])
    response = await client.get("/api/admin/llm/usage?hours=0", headers=admin["headers"])
    assert response.status_code == 422
