"""Which model serves each role, with which options: ``models/models.yaml`` plus the settings.

``models.yaml`` has ``defaults`` (options every role gets), ``models`` (aliases such as
``reasoning`` -> ``qwen2.5:7b-instruct-q4_K_M``) and ``roles`` (``model``, optional
``fallback``, and any Ollama option: ``temperature``, ``num_ctx``, ``num_predict``...).
``CAREERGINI_LLM_MODEL_OVERRIDES`` replaces a role's model (``{"resume": "llama3.1:8b"}``) or
its entry (``{"resume": {"model": "reasoning", "fallback": null, "temperature": 0.1}}``).

Each role gets a prompt budget (``CAREERGINI_LLM_PROMPT_BUDGET`` and per-role
``CAREERGINI_LLM_PROMPT_BUDGETS``) and a completion reserve (``num_predict``: the role's option,
else ``CAREERGINI_LLM_MAX_COMPLETION_TOKENS``). ``num_ctx`` is raised to hold both when the
configured one is smaller, so the server never has to cut a prompt or a reply short.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from careergini.config import Settings

# Keys of a role entry that are routing, not Ollama options.
_ROUTING_KEYS = {"model", "fallback", "keep_alive", "prompt_budget"}
_CTX_STEP = 256


class ModelsConfigError(ValueError):
    """models.yaml or the model overrides cannot be used."""


@dataclass(frozen=True)
class Route:
    """How one role is served."""

    role: str
    model: str
    fallback: str | None
    options: Mapping[str, Any]
    keep_alive: str | float | None
    prompt_budget: int
    completion_tokens: int

    @property
    def temperature(self) -> float:
        return float(self.options.get("temperature", 0.8))

    @property
    def deterministic(self) -> bool:
        """Same prompt, same answer: temperature 0, or a fixed seed (so the answer is cached)."""
        return self.temperature == 0 or self.options.get("seed") is not None

    @property
    def models(self) -> list[str]:
        """The primary model, then the fallback if there is a distinct one."""
        return [self.model] + ([self.fallback] if self.fallback not in (None, self.model) else [])


@dataclass(frozen=True)
class LLMConfig:
    routes: Mapping[str, Route]
    aliases: Mapping[str, str] = field(default_factory=dict)

    def route(self, role: str) -> Route:
        """Return the route of a role (ValueError naming the known roles if it has none)."""
        try:
            return self.routes[role]
        except KeyError:
            known = ", ".join(sorted(self.routes))
            raise ValueError(f"unknown LLM role {role!r}; known roles: {known}") from None

    def model_names(self) -> list[str]:
        """Every model a role may be served by (primaries and fallbacks), sorted."""
        return sorted({name for route in self.routes.values() for name in route.models})


def read_models_file(path: Path) -> dict[str, Any]:
    """Return the parsed models.yaml (ModelsConfigError when it is missing or malformed)."""
    try:
        spec = yaml.safe_load(path.read_text()) or {}
    except OSError as exc:
        raise ModelsConfigError(f"cannot read the models file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ModelsConfigError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("roles"), dict):
        raise ModelsConfigError(f"{path} has no `roles:` mapping")
    return spec


def configured_models(models_file: Path) -> list[str]:
    """Return the model names models.yaml routes roles to, fallbacks included."""
    spec = read_models_file(models_file)
    return build_config(spec).model_names()


def _resolve(aliases: Mapping[str, str], name: Any) -> str | None:
    if name is None or name == "":
        return None
    return aliases.get(str(name), str(name))


def _ctx_for(num_ctx: int, prompt_budget: int, completion_tokens: int) -> int:
    needed = math.ceil((prompt_budget + completion_tokens) / _CTX_STEP) * _CTX_STEP
    return max(num_ctx, needed)


def build_config(
    spec: Mapping[str, Any],
    *,
    overrides: Mapping[str, Any] | None = None,
    prompt_budget: int = 1500,
    prompt_budgets: Mapping[str, int] | None = None,
    completion_tokens: int = 512,
) -> LLMConfig:
    """Resolve aliases, defaults, overrides and budgets into one route per role."""
    defaults = dict(spec.get("defaults") or {})
    aliases = {str(k): str(v) for k, v in (spec.get("models") or {}).items()}
    roles: dict[str, dict[str, Any]] = {
        str(name): dict(entry or {}) for name, entry in (spec.get("roles") or {}).items()
    }
    unknown = sorted(set(overrides or {}) - set(roles))
    if unknown:
        raise ModelsConfigError(
            f"model overrides name unknown roles {unknown}; known roles: {sorted(roles)}"
        )
    for role, override in (overrides or {}).items():
        if isinstance(override, str):
            roles[role]["model"] = override
        elif isinstance(override, Mapping):
            roles[role].update(override)
        else:
            raise ModelsConfigError(f"the override of {role!r} must be a model name or a mapping")
    budgets = dict(prompt_budgets or {})
    routes: dict[str, Route] = {}
    for role, entry in roles.items():
        merged = {**defaults, **entry}
        model = _resolve(aliases, merged.get("model"))
        if model is None:
            raise ModelsConfigError(f"role {role!r} has no model")
        options = {k: v for k, v in merged.items() if k not in _ROUTING_KEYS}
        budget = int(entry.get("prompt_budget") or budgets.get(role) or prompt_budget)
        reserve = int(options.get("num_predict") or completion_tokens)
        options["num_predict"] = reserve
        options["num_ctx"] = _ctx_for(int(options.get("num_ctx") or 2048), budget, reserve)
        routes[role] = Route(
            role=role,
            model=model,
            fallback=_resolve(aliases, merged.get("fallback")),
            options=options,
            keep_alive=merged.get("keep_alive"),
            prompt_budget=budget,
            completion_tokens=reserve,
        )
    return LLMConfig(routes=routes, aliases=aliases)


def load_config(settings: Settings) -> LLMConfig:
    """Build the routes from the settings' models file, overrides and budgets."""
    return build_config(
        read_models_file(settings.models_file),
        overrides=settings.llm_model_overrides,
        prompt_budget=settings.llm_prompt_budget,
        prompt_budgets=settings.llm_prompt_budgets,
        completion_tokens=settings.llm_max_completion_tokens,
    )
