"""Skill implication: the skills a person evidences through the skills they have.

Having TypeScript evidences JavaScript, React evidences JavaScript, pandas evidences Python,
Kubernetes evidences containers, and a computer science degree evidences computer science. The
relations come from two places, both reviewed:

- the taxonomy's ``broader`` relations: the hand-kept ones in ``data/curated.json`` (TypeScript ->
  JavaScript, Spring Boot -> Spring -> Java) and ESCO's skill hierarchy, used only where the
  narrower skill is a concrete technology (or a field of knowledge under another field), since ESCO
  also files a task under the work it belongs to, which it does not prove;
- ``data/implications.json``: pairs checked by hand with their source noted (Kubernetes ->
  containers, PostgreSQL -> SQL), the ESCO parents that are never evidenced by their children, and
  the fields of study a degree evidences. O*NET's technology classes (UNSPSC commodities such as
  "application server software" for both Docker and Kubernetes) are too coarse to imply anything.

Implication is transitive (Next.js -> React -> JavaScript), and every implied skill names the skill
the person actually has that evidences it, so a gap can say "JavaScript: evidenced via Next.js".
Pure: the taxonomy in, dictionaries out.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from careergini.skills.taxonomy import Taxonomy, load_taxonomy

# Narrower skills whose ESCO parents they evidence: named technologies, not tasks.
_CHILD_CATEGORIES = frozenset(
    {"language", "framework", "library", "database", "cloud", "devops", "os", "tool"}
)
_PARENT_CATEGORIES = _CHILD_CATEGORIES | {"knowledge", "method", "data_ml", "networking"}


@dataclass(frozen=True, slots=True)
class Implications:
    """Which skills each skill evidences directly, and what fields of study evidence."""

    direct: Mapping[str, tuple[str, ...]]
    studies: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]
    substitutes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def transferable_from(self, skill_id: str) -> tuple[str, ...]:
        """Return the skills whose knowledge carries over to this one, closest first."""
        return self.substitutes.get(skill_id, ())

    def implied_by(self, skill_ids: Iterable[str]) -> dict[str, str]:
        """Return the skills implied by these, each with the held skill that evidences it."""
        held = list(dict.fromkeys(skill_ids))
        have = set(held)
        out: dict[str, str] = {}
        # Breadth first from every held skill at once, so each implied skill names the held
        # skill nearest to it (ties: the one listed first).
        queue = deque((sid, sid) for sid in held)
        seen = set(have)
        while queue:
            current, because = queue.popleft()
            for implied in self.direct.get(current, ()):
                if implied in seen:
                    continue
                seen.add(implied)
                out[implied] = because
                queue.append((implied, because))
        return out

    def evidenced_by_studies(self, fields: Iterable[str]) -> dict[str, str]:
        """Return the skills that degrees in these fields evidence, each with its field."""
        out: dict[str, str] = {}
        for text in fields:
            if not text:
                continue
            for pattern, skill_ids in self.studies:
                if pattern.search(text):
                    for sid in skill_ids:
                        out.setdefault(sid, text)
        return out


def _read_reviewed() -> dict[str, Any]:
    path = resources.files("careergini.skills") / "data" / "implications.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def build_implications(taxonomy: Taxonomy, reviewed: Mapping[str, Any]) -> Implications:
    """Combine the taxonomy's broader relations with the reviewed list."""
    denied = set(reviewed.get("not_implied", ()))
    direct: dict[str, list[str]] = {}

    def add(child: str, parent: str) -> None:
        if child in taxonomy and parent in taxonomy and child != parent:
            targets = direct.setdefault(child, [])
            if parent not in targets:
                targets.append(parent)

    for skill in taxonomy:
        for parent_id in skill.broader:
            parent = taxonomy.get(parent_id)
            if parent is None or parent_id in denied:
                continue
            technology = (
                skill.category in _CHILD_CATEGORIES and parent.category in _PARENT_CATEGORIES
            )
            field = skill.category == parent.category == "knowledge"
            if skill.sources.curated or technology or field:
                add(skill.id, parent_id)
    for child, parent, _source in reviewed.get("implies", ()):
        add(child, parent)
    studies = tuple(
        (
            re.compile(r"\b" + r"\s+".join(map(re.escape, words.split())) + r"\b", re.IGNORECASE),
            tuple(sid for sid in skill_ids if sid in taxonomy),
        )
        for words, skill_ids in reviewed.get("studies", ())
    )
    return Implications(
        direct={k: tuple(v) for k, v in direct.items()},
        studies=studies,
        substitutes=_substitutes(taxonomy, set(reviewed.get("no_transfer_families", ()))),
    )


def _substitutes(taxonomy: Taxonomy, denied_families: set[str]) -> dict[str, tuple[str, ...]]:
    """Siblings of one kind in a family (MySQL for PostgreSQL), then the broader skill."""
    out: dict[str, tuple[str, ...]] = {}
    for skill in taxonomy:
        ordered: list[str] = []
        for family in skill.families:
            if family in denied_families:
                continue
            ordered += [
                s.id
                for s in taxonomy.family_members(family)
                if s.id != skill.id and s.category == skill.category
            ]
        # A job asking for TypeScript finds much of it in JavaScript.
        ordered += [
            b for b in skill.broader if b in taxonomy and taxonomy[b].category in _CHILD_CATEGORIES
        ]
        if ordered:
            out[skill.id] = tuple(dict.fromkeys(ordered))
    return out


@lru_cache(maxsize=1)
def default_implications() -> Implications:
    """Return the implications of the packaged taxonomy and reviewed list (built once)."""
    return build_implications(load_taxonomy(), _read_reviewed())


def implied_by(skill_ids: Iterable[str]) -> dict[str, str]:
    """Return {implied skill id: held skill id that evidences it} for skills not already held.

    ``implied_by(["typescript", "react"])`` -> ``{"javascript": "typescript", ...}``.
    """
    return default_implications().implied_by(skill_ids)


def evidenced_by_studies(fields: Iterable[str]) -> dict[str, str]:
    """Return {skill id: field of study} for the skills degrees in these fields evidence.

    ``evidenced_by_studies(["BSc Computer Science"])`` -> ``{"computer-science": "BSc ...", ...}``.
    """
    return default_implications().evidenced_by_studies(fields)
