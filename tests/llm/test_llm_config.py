"""models.yaml and the settings, resolved into one route per role."""

from __future__ import annotations

from pathlib import Path

import pytest

from careergini.config import Settings
from careergini.gateway.health.service import configured_models as health_models
from careergini.llm.config import (
    ModelsConfigError,
    build_config,
    configured_models,
    load_config,
    read_models_file,
)
from tests.llm.conftest import CODER, FAST, REASONING

MODELS_FILE = Path(__file__).resolve().parents[2] / "models" / "models.yaml"


def test_the_shipped_models_file_routes_every_role() -> None:
    config = load_config(Settings(_env_file=None))
    assert set(config.routes) == {
        "supervisor",
        "resume",
        "profile",
        "jobs",
        "learning",
        "skills_gap",
    }
    resume = config.route("resume")
    assert (resume.model, resume.fallback) == (REASONING, FAST)
    assert resume.prompt_budget == 3000 and resume.options["num_ctx"] == 4096
    assert resume.keep_alive == "30m"
    skills = config.route("skills_gap")
    assert skills.models == [CODER, REASONING]
    assert config.route("profile").models == [FAST] and config.route("profile").temperature == 0
    assert all(r.prompt_budget == 1500 for n, r in config.routes.items() if n != "resume")


def test_configured_models_agree_with_the_health_check() -> None:
    assert configured_models(MODELS_FILE) == health_models(MODELS_FILE)


def test_num_ctx_grows_to_hold_the_budget_and_the_reply() -> None:
    spec = {"defaults": {"num_ctx": 2048}, "roles": {"a": {"model": "m", "num_predict": 1024}}}
    route = build_config(spec, prompt_budget=1500).route("a")
    assert route.options["num_ctx"] == 2560 and route.options["num_predict"] == 1024


def test_overrides_by_name_and_by_mapping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "CAREERGINI_LLM_MODEL_OVERRIDES",
        '{"jobs": "reasoning", "resume": {"model": "llama3.1:8b", "fallback": null, '
        '"temperature": 0}}',
    )
    monkeypatch.setenv("CAREERGINI_LLM_PROMPT_BUDGETS", '{"learning": 1000}')
    config = load_config(Settings(_env_file=None))
    assert config.route("jobs").model == REASONING
    resume = config.route("resume")
    assert resume.models == ["llama3.1:8b"] and resume.temperature == 0
    assert resume.prompt_budget == 1500  # the per-role budgets were replaced as a whole
    assert config.route("learning").prompt_budget == 1000


def test_an_override_of_an_unknown_role_is_refused() -> None:
    spec = read_models_file(MODELS_FILE)
    with pytest.raises(ModelsConfigError, match="unknown roles"):
        build_config(spec, overrides={"resumee": "x"})


def test_an_unknown_role_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="supervisor"):
        load_config(Settings(_env_file=None)).route("nope")


@pytest.mark.parametrize("content", ["roles: [1, 2", "models: {}\n", ""])
def test_a_broken_models_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "models.yaml"
    path.write_text(content)
    with pytest.raises(ModelsConfigError):
        read_models_file(path)
    with pytest.raises(ModelsConfigError, match="cannot read"):
        read_models_file(tmp_path / "absent.yaml")
