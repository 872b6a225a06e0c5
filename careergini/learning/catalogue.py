"""The curated learning catalogue shipped with the product: free resources per skill, study hours,
topics, checkpoints and project ideas, plus the hand-kept prerequisite pairs.

``data/resources.json`` and ``data/prerequisites.json`` are reviewed by hand and checked by
``python -m careergini.learning.validate_resources``. Topic lists marked ``ai-expert-roadmap`` are
adapted from AMAI-GmbH/AI-Expert-Roadmap (MIT, see NOTICE).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources as package_files
from typing import Any, Literal

FORMAT_VERSION = 1
Kind = Literal["documentation", "course", "book", "practice", "video", "tutorial"]
Level = Literal["beginner", "intermediate", "advanced", "all"]
KINDS: tuple[str, ...] = ("documentation", "course", "book", "practice", "video", "tutorial")
LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced", "all")
DIFFICULTIES: tuple[str, ...] = ("beginner", "intermediate", "advanced")
# Order in which a learner meets resource kinds: learn it, read the reference, then practise.
_KIND_ORDER = {"course": 0, "tutorial": 1, "book": 2, "documentation": 3, "video": 4, "practice": 5}
_LEVEL_ORDER = {"beginner": 0, "all": 1, "intermediate": 2, "advanced": 3}


@dataclass(frozen=True, slots=True)
class Resource:
    id: str
    title: str
    url: str
    kind: str
    level: str
    hours: int
    cost: str
    skills: tuple[str, ...]
    provider: str = ""
    licence: str | None = None
    source: str = "catalogue"  # or "youtube" / "github" for live results

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "kind": self.kind,
            "level": self.level,
            "hours": self.hours,
            "cost": self.cost,
            "licence": self.licence,
            "provider": self.provider,
            "skills": list(self.skills),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class ProjectIdea:
    name: str
    description: str
    difficulty: str


@dataclass(frozen=True, slots=True)
class SkillGuide:
    """How to learn one skill: hours to working knowledge, topics, a checkpoint, a project."""

    skill_id: str
    hours: int
    topics: tuple[str, ...] = ()
    checkpoint: str | None = None
    project: ProjectIdea | None = None
    covers: tuple[str, ...] = ()  # taxonomy skills (ESCO competences) this guide teaches too
    topics_source: str | None = None


@dataclass(frozen=True, slots=True)
class Exclusion:
    skill_id: str
    reason: str
    alternative: str | None = None


@dataclass
class Catalogue:
    """Resources by skill, skill guides, exclusions and prerequisite pairs."""

    resources: dict[str, Resource]
    guides: dict[str, SkillGuide]
    exclusions: dict[str, Exclusion]
    prerequisites: dict[str, tuple[str, ...]]
    # Broader-skill relations of the taxonomy that are not real prerequisites (VBA is not
    # learned after Visual Basic .NET).
    not_prerequisites: dict[str, tuple[str, ...]] = field(default_factory=dict)
    umbrella_skills: frozenset[str] = frozenset()  # group others; never a broader prerequisite
    alternative_families: frozenset[str] = frozenset()  # families of interchangeable products
    attribution: list[dict[str, str]] = field(default_factory=list)
    _by_skill: dict[str, list[Resource]] = field(default_factory=dict, repr=False)
    _covered_by: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_skill: dict[str, list[Resource]] = defaultdict(list)
        for resource in self.resources.values():
            for skill_id in resource.skills:
                by_skill[skill_id].append(resource)
        self._by_skill = {
            skill: sorted(items, key=_resource_order) for skill, items in by_skill.items()
        }
        for guide in self.guides.values():
            for covered in guide.covers:
                self._covered_by.setdefault(covered, guide.skill_id)

    def guide(self, skill_id: str) -> SkillGuide | None:
        """Return the study guide of a skill, or None when the catalogue has none."""
        return self.guides.get(skill_id)

    def covering_skill(self, skill_id: str) -> str | None:
        """Return the catalogued skill whose guide also teaches this one (ESCO competences)."""
        if skill_id in self.guides:
            return skill_id
        return self._covered_by.get(skill_id)

    def resources_for(
        self,
        skill_id: str,
        *,
        level: str | None = None,
        kind: str | None = None,
    ) -> list[Resource]:
        """Return a skill's resources (directly, or through the guide that covers it), ordered."""
        items = self._by_skill.get(skill_id)
        if items is None:
            covering = self._covered_by.get(skill_id)
            items = self._by_skill.get(covering, []) if covering else []
        return [r for r in items if _matches(r, level=level, kind=kind)]

    def search(self, *, level: str | None = None, kind: str | None = None) -> list[Resource]:
        """Return every resource of a level and kind, ordered by title."""
        items = [r for r in self.resources.values() if _matches(r, level=level, kind=kind)]
        return sorted(items, key=lambda r: r.title.casefold())

    def without(self, resource_ids: frozenset[str]) -> Catalogue:
        """Return the catalogue without some resources (the links a check found broken)."""
        if not resource_ids & self.resources.keys():
            return self
        kept = {rid: r for rid, r in self.resources.items() if rid not in resource_ids}
        return replace(self, resources=kept, _by_skill={}, _covered_by={})

    def skills_with_resources(self) -> set[str]:
        return set(self._by_skill)


def _matches(resource: Resource, *, level: str | None, kind: str | None) -> bool:
    if kind is not None and resource.kind != kind:
        return False
    # A resource for every level ("all") suits any level asked for.
    return level is None or resource.level in (level, "all")


def _resource_order(resource: Resource) -> tuple[int, int, str]:
    return (_LEVEL_ORDER[resource.level], _KIND_ORDER[resource.kind], resource.id)


def catalogue_from_documents(
    resources_doc: dict[str, Any], prerequisites_doc: dict[str, Any]
) -> Catalogue:
    """Build the catalogue from the decoded data files (ValueError on a wrong format)."""
    for name, doc in (("resources", resources_doc), ("prerequisites", prerequisites_doc)):
        if doc.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported {name} format {doc.get('format')!r}")
    resources = {}
    for item in resources_doc.get("resources", []):
        resource = Resource(
            id=item["id"],
            title=item["title"],
            url=item["url"],
            kind=item["kind"],
            level=item["level"],
            hours=int(item["hours"]),
            cost=item["cost"],
            skills=tuple(item["skills"]),
            provider=item.get("provider", ""),
            licence=item.get("licence"),
        )
        resources[resource.id] = resource
    guides = {}
    for skill_id, item in resources_doc.get("skills", {}).items():
        project = item.get("project")
        guides[skill_id] = SkillGuide(
            skill_id=skill_id,
            hours=int(item["hours"]),
            topics=tuple(item.get("topics", ())),
            checkpoint=item.get("checkpoint"),
            project=ProjectIdea(**project) if project else None,
            covers=tuple(item.get("covers", ())),
            topics_source=item.get("topics_source"),
        )
    exclusions = {
        item["skill_id"]: Exclusion(item["skill_id"], item["reason"], item.get("alternative"))
        for item in resources_doc.get("exclusions", [])
    }
    prerequisites = {
        skill: tuple(before) for skill, before in prerequisites_doc.get("pairs", {}).items()
    }
    not_prerequisites = {
        skill: tuple(before)
        for skill, before in prerequisites_doc.get("not_prerequisites", {}).items()
    }
    return Catalogue(
        resources=resources,
        guides=guides,
        exclusions=exclusions,
        prerequisites=prerequisites,
        not_prerequisites=not_prerequisites,
        umbrella_skills=frozenset(prerequisites_doc.get("umbrella_skills", ())),
        alternative_families=frozenset(prerequisites_doc.get("alternative_families", ())),
        attribution=list(resources_doc.get("attribution", [])),
    )


def read_data_file(name: str) -> dict[str, Any]:
    """Return one decoded JSON file of ``careergini/learning/data``."""
    raw = package_files.files("careergini.learning").joinpath("data", name).read_bytes()
    return json.loads(raw)


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """Return the catalogue shipped with the package (loaded once per process)."""
    return catalogue_from_documents(
        read_data_file("resources.json"), read_data_file("prerequisites.json")
    )


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
