"""Natural-language texts of a roadmap written by the LLM (learning role, fast model).

The structure is decided by the planner; the model only rewrites the overview, the first weeks'
descriptions and the first months' checkpoints (from ``from_week`` on, for a re-planned
roadmap), from a data block that lists the chosen skills, topics, resources and projects. Each
text is checked before use: a checkpoint must start with "can", a text that names a technology
outside the plan (or the person's own skills) is dropped, and so is one with a claim the plan's
data does not state (the claims check of ``skills.service``: "raising revenue by 73%", "which
doubled user engagement", an employer or a certification), keeping the template text.
A gateway failure is raised (``LLMError``): the caller keeps every template text.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

from careergini.learning.prompts import ROADMAP_TEXTS
from careergini.llm.gateway import LLMGateway, ProgressCallback
from careergini.llm.prompts import wrap_untrusted
from careergini.skills.schemas import Taxonomy
from careergini.skills.service import Evidence, build_evidence, check_claims, extract_skills

LLM_WEEKS = 8  # weeks whose description the model writes (the rest keep the template)
LLM_MONTHS = 3


class WeekText(BaseModel):
    week: int
    description: str = Field(min_length=1, max_length=500)


class CheckpointText(BaseModel):
    month: int
    checkpoint: str = Field(min_length=1, max_length=300)


class RoadmapTextsOut(BaseModel):
    """The JSON schema of the model's answer."""

    overview: str = Field(min_length=1, max_length=900)
    weeks: list[WeekText] = Field(default_factory=list, max_length=LLM_WEEKS)
    checkpoints: list[CheckpointText] = Field(default_factory=list, max_length=LLM_MONTHS)


def _written_weeks(plan: dict[str, Any], from_week: int) -> list[dict[str, Any]]:
    return [w for w in plan["weeks"] if w["index"] >= from_week][:LLM_WEEKS]


def _written_months(plan: dict[str, Any], from_week: int) -> list[dict[str, Any]]:
    return [m for m in plan["months"] if m["start_week"] >= from_week][:LLM_MONTHS]


def _data_block(plan: dict[str, Any], title: str, from_week: int) -> str:
    resources = plan.get("resources", {})
    months = [
        {
            "month": m["index"],
            "skills": m["skills"],
            "project": m["project"]["name"],
            "draft_checkpoint": m["checkpoint"],
        }
        for m in _written_months(plan, from_week)
    ]
    weeks = []
    for week in _written_weeks(plan, from_week):
        tasks = []
        for task in week["tasks"]:
            names = [resources[r]["title"] for r in task.get("resource_ids", []) if r in resources]
            tasks.append(
                f"{task['title']} ({task['hours']} h)" + (f" using {names[0]}" if names else "")
            )
        weeks.append({"week": week["index"], "hours": week["hours"], "tasks": tasks})
    doc = {
        "target": title,
        "hours_per_week": plan["hours_per_week"],
        "months_total": plan["months_total"],
        "skills_in_order": [u["name"] for u in plan["units"]],
        "months": months,
        "weeks": weeks,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _allowed(plan: dict[str, Any], known: Iterable[str]) -> set[str]:
    allowed = set(known)
    for unit in plan["units"]:
        allowed.add(unit["skill_id"])
        allowed.update(unit.get("covers", []))
    for resource in plan.get("resources", {}).values():
        allowed.update(resource.get("skills", []))
    return allowed


def grounded(
    text: str, *, allowed: set[str], taxonomy: Taxonomy, evidence: Evidence | None = None
) -> bool:
    """Return whether every technology the text names is one the plan (or person) has, and
    every other claim in it (numbers, outcomes, names) is in the plan's data (``evidence``)."""
    for mention in extract_skills(text, taxonomy):
        skill = taxonomy.get(mention.skill_id)
        if skill is not None and skill.is_technology and mention.skill_id not in allowed:
            return False
    if evidence is None:
        return True
    # Skills were judged above (the plan teaches new ones); the rest must be in the data, but a
    # sentence's capitalised first word ("Steady weeks…", "Start with…") names nothing: a plan's
    # text makes no claim by it (numbers and outcomes are what a lying model plants here).
    return all(
        u.fact.kind == "skill" or (u.fact.kind == "name" and _opens_a_sentence(u.fact.text, text))
        for u in check_claims(text, evidence=evidence).unsupported
    )


def _opens_a_sentence(word: str, text: str) -> bool:
    if " " in word.strip():
        return False
    return re.search(rf"(?:^|[.!?:;]\s+){re.escape(word.strip())}\b", text.strip()) is not None


async def write_texts(
    plan: dict[str, Any],
    *,
    llm: LLMGateway,
    title: str,
    known: Iterable[str],
    taxonomy: Taxonomy,
    user_id: uuid.UUID | None = None,
    from_week: int = 1,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Replace the plan's template texts with the model's where they pass the checks.

    Returns what was done (``writer``, ``model``, ``prompt``, ``note``, ``used``); the plan is
    updated in place. The gateway's failures (``LLMError``) are raised.
    """
    if not _written_weeks(plan, from_week):
        return {"writer": "template", "note": "Nothing to write: the plan is empty.", "used": 0}
    data = _data_block(plan, title, from_week)
    messages = [
        {"role": "system", "content": ROADMAP_TEXTS.render()},
        {"role": "user", "content": wrap_untrusted(data, source="roadmap")},
    ]
    completion = await llm.complete(
        "learning",
        messages,
        RoadmapTextsOut,
        user_id=user_id,
        prompt=ROADMAP_TEXTS,
        progress=progress,
    )
    texts: RoadmapTextsOut = completion.parsed  # type: ignore[assignment]
    allowed = _allowed(plan, known)
    evidence = build_evidence([data, title], skill_ids=allowed)
    rejected = 0
    used = 0
    if grounded(texts.overview, allowed=allowed, taxonomy=taxonomy, evidence=evidence):
        plan["overview"] = texts.overview.strip()
        plan["overview_source"] = "llm"
        used += 1
    else:
        rejected += 1
    weeks = {w["index"]: w for w in _written_weeks(plan, from_week)}
    for item in texts.weeks:
        week = weeks.get(item.week)
        if week is None:
            rejected += 1
            continue
        if grounded(item.description, allowed=allowed, taxonomy=taxonomy, evidence=evidence):
            week["description"] = item.description.strip()
            week["description_source"] = "llm"
            used += 1
        else:
            rejected += 1
    months = {m["index"]: m for m in _written_months(plan, from_week)}
    for checkpoint in texts.checkpoints:
        month = months.get(checkpoint.month)
        text = checkpoint.checkpoint.strip()
        if month is None or not text.casefold().startswith("can "):
            rejected += 1
            continue
        if grounded(text, allowed=allowed, taxonomy=taxonomy, evidence=evidence):
            month["checkpoint"] = text[:1].upper() + text[1:]
            month["checkpoint_source"] = "llm"
            used += 1
        else:
            rejected += 1
    note = None
    if rejected:
        note = f"{rejected} text(s) from the AI model were not grounded in the plan and were kept "
        note += "as templates."
    return {
        "writer": "llm" if used else "template",
        "model": completion.model,
        "prompt": ROADMAP_TEXTS.ref,
        "note": note,
        "used": used,
    }
