"""The skills taxonomy and the role catalogue, loaded once from the package's data files.

``data/taxonomy.json.gz`` and ``data/roles.json.gz`` are built by ``build_taxonomy.py`` from ESCO,
O*NET, linguist-languages and simple-icons (see NOTICE); nothing here reads the source data sets.
"""

from __future__ import annotations

import gzip
import json
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

FORMAT_VERSION = 1

CATEGORIES = (
    "language",
    "framework",
    "library",
    "database",
    "cloud",
    "devops",
    "data_ml",
    "os",
    "tool",
    "design",
    "networking",
    "security",
    "method",
    "digital",
    "knowledge",
    "soft_skill",
    "business",
)
# Categories that name a concrete technology (as opposed to methods, soft skills, business skills).
TECH_CATEGORIES = frozenset(CATEGORIES[:12])

# How an alias may be matched in text (aliases without a mode match case-insensitively).
MODE_CASE = "c"  # only with exactly this case ("Windows", "SAS")
MODE_CUE = "w"  # exact case and some context: a tech list, a skills line, "in Go", "Go developer"
MODE_STRONG = "s"  # like MODE_CUE, but "in"/"with"/"using" alone are not enough ("Spring", "Ruby")
MODE_OFF = "x"  # never extracted; kept for search ("Shell", "TS")
MODES = (MODE_CASE, MODE_CUE, MODE_STRONG, MODE_OFF)


@dataclass(frozen=True, slots=True)
class SkillSources:
    esco: tuple[str, ...] = ()  # ESCO concept UUIDs (http://data.europa.eu/esco/skill/<uuid>)
    onet: tuple[str, ...] = ()  # O*NET Technology Skills "Example" names
    linguist: str | None = None
    simple_icons: str | None = None  # icon slug
    curated: bool = False

    @property
    def esco_uris(self) -> tuple[str, ...]:
        return tuple(f"http://data.europa.eu/esco/skill/{u}" for u in self.esco)


@dataclass(frozen=True, slots=True)
class Skill:
    id: str
    name: str
    category: str
    aliases: tuple[str, ...] = ()
    hot: bool = False  # O*NET Hot Technology
    in_demand: bool = False  # O*NET In Demand
    popularity: int = 0  # O*NET + ESCO occupations that list the skill
    broader: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # ESCO skill-to-skill relations
    groups: tuple[str, ...] = ()  # ESCO skill groups, for display
    sources: SkillSources = SkillSources()
    match_modes: tuple[tuple[str, str], ...] = ()  # (alias, mode) for aliases not matched freely

    @property
    def is_technology(self) -> bool:
        return self.category in TECH_CATEGORIES

    def mode_of(self, alias: str) -> str | None:
        """Return how an alias (or the name) may be matched: None for case-insensitive."""
        return dict(self.match_modes).get(alias)


# Typo-tolerant autocomplete: only queries long enough to carry a typo, and close matches.
_FUZZY_MIN_CHARS = 4
_FUZZY_CUTOFF = 85.0

_WORD_START = re.compile(r"(?<=[ \-/(.])[^\W_]")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


class Taxonomy:
    """Skills by id, by name or alias, by family; prefix search for autocomplete."""

    def __init__(self, skills: Iterable[Skill], families: dict[str, str] | None = None) -> None:
        self._skills: dict[str, Skill] = {s.id: s for s in skills}
        self.families: dict[str, str] = dict(families or {})
        self._by_name: dict[str, str] = {}
        self._members: dict[str, list[str]] = defaultdict(list)
        self._narrower: dict[str, list[str]] = defaultdict(list)
        for skill in self._skills.values():
            # Canonical names win over aliases when the same text names two skills.
            self._by_name.setdefault(_norm(skill.name), skill.id)
        for skill in self._skills.values():
            for alias in skill.aliases:
                self._by_name.setdefault(_norm(alias), skill.id)
            for family in skill.families:
                self._members[family].append(skill.id)
            for parent in skill.broader:
                self._narrower[parent].append(skill.id)
        self._ordered = list(self._skills.values())
        self._index: list[tuple[str, int, str]] | None = None  # built on the first search
        self._index_keys: list[str] = []
        self._fuzzy_keys: list[str] | None = None  # whole names and aliases, for typos
        self._fuzzy_owner: list[int] = []

    # -- lookups --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._skills)

    def __iter__(self) -> Iterator[Skill]:
        return iter(self._skills.values())

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._skills

    def __getitem__(self, skill_id: str) -> Skill:
        return self._skills[skill_id]

    def get(self, skill_id: str) -> Skill | None:
        """Return the skill with this id, or None."""
        return self._skills.get(skill_id)

    def by_name(self, name: str) -> Skill | None:
        """Return the skill whose name or alias is this text (any case), or None."""
        sid = self._by_name.get(_norm(name))
        return self._skills[sid] if sid else None

    def family_members(self, family_id: str) -> list[Skill]:
        """Return the skills of one family, most popular first."""
        return self._ranked(self._members.get(family_id, ()))

    def narrower(self, skill_id: str) -> list[Skill]:
        """Return the skills whose broader skill this is."""
        return self._ranked(self._narrower.get(skill_id, ()))

    def related(self, skill_id: str, limit: int | None = None) -> list[Skill]:
        """Return skills close to this one: same family, then broader, narrower, ESCO-related."""
        skill = self._skills.get(skill_id)
        if skill is None:
            return []
        ordered: list[str] = []
        for family in skill.families:
            ordered += [s.id for s in self.family_members(family)]
        ordered += list(skill.broader)
        ordered += [s.id for s in self.narrower(skill_id)]
        ordered += list(skill.related)
        out: list[Skill] = []
        seen = {skill_id}
        for sid in ordered:
            if sid not in seen and sid in self._skills:
                seen.add(sid)
                out.append(self._skills[sid])
        return out[:limit] if limit is not None else out

    def _ranked(self, ids: Iterable[str]) -> list[Skill]:
        skills = [self._skills[i] for i in ids if i in self._skills]
        return sorted(skills, key=lambda s: (-s.hot, -s.popularity, s.name.lower()))

    # -- autocomplete ---------------------------------------------------------------------------

    def search(self, q: str, limit: int = 10) -> list[Skill]:
        """Return skills whose name or alias starts with q, or has a word starting with q.

        Ranked: exact name or alias first, then names starting with q, aliases starting with q,
        names and aliases with a later word starting with q; within a rank, O*NET hot or
        in-demand technologies first, then the hand-kept core, then the most popular (the
        number of occupations that list the skill).
        """
        query = _norm(q)
        if not query or limit <= 0:
            return []
        index, keys = self._search_index()
        best: dict[int, tuple[int, ...]] = {}
        skills = self._ordered
        pos = bisect_left(keys, query)
        while pos < len(keys) and keys[pos].startswith(query):
            key, idx, kind = index[pos]
            pos += 1
            whole = kind in ("n0", "a0") and len(key) == len(query)
            tier = 0 if whole else {"n0": 1, "a0": 2, "n1": 3, "a1": 4}[kind]
            skill = skills[idx]
            wanted = skill.hot or skill.in_demand
            rank = (tier, -wanted, -skill.sources.curated, -skill.popularity, len(skill.name))
            if idx not in best or rank < best[idx]:
                best[idx] = rank
        order = sorted(best, key=lambda i: (best[i], skills[i].name.lower()))
        found = [skills[i] for i in order[:limit]]
        if len(found) < limit and len(query) >= _FUZZY_MIN_CHARS:
            seen = {s.id for s in found}
            found += [s for s in self._fuzzy(query, limit) if s.id not in seen]
        return found[:limit]

    def _fuzzy(self, query: str, limit: int) -> list[Skill]:
        """Names and aliases a typo away from the query ("kubernets", "pyton"), closest first."""
        index, _ = self._search_index()
        if self._fuzzy_keys is None:
            whole = sorted({(key, idx) for key, idx, kind in index if kind.endswith("0")})
            self._fuzzy_keys = [key for key, _ in whole]
            self._fuzzy_owner = [idx for _, idx in whole]
        hits = process.extract(
            query,
            self._fuzzy_keys,
            scorer=fuzz.ratio,
            limit=limit * 4,
            score_cutoff=_FUZZY_CUTOFF,
        )
        out: list[Skill] = []
        ranked = sorted(
            hits,
            key=lambda h: (-h[1], -self._ordered[self._fuzzy_owner[h[2]]].popularity),
        )
        for _, _, position in ranked:
            skill = self._ordered[self._fuzzy_owner[position]]
            if skill not in out:
                out.append(skill)
        return out[:limit]

    def _search_index(self) -> tuple[list[tuple[str, int, str]], list[str]]:
        if self._index is None:
            entries: list[tuple[str, int, str]] = []
            for idx, skill in enumerate(self._ordered):
                for text, kind in [(skill.name, "n"), *((a, "a") for a in skill.aliases)]:
                    low = _norm(text)
                    entries.append((low, idx, kind + "0"))
                    # Later word starts: "server" finds "Microsoft SQL Server".
                    entries.extend(
                        (low[m.start() :], idx, kind + "1") for m in _WORD_START.finditer(low)
                    )
            entries.sort()
            self._index = entries
            self._index_keys = [e[0] for e in entries]
        return self._index, self._index_keys

    # -- loading --------------------------------------------------------------------------------

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Taxonomy:
        """Build a taxonomy from the decoded ``taxonomy.json.gz`` document."""
        if doc.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported taxonomy format {doc.get('format')!r}")
        return cls((_skill(item) for item in doc["skills"]), doc.get("families", {}))

    @classmethod
    def from_file(cls, path: Path) -> Taxonomy:
        """Load a taxonomy from a gzip JSON file."""
        return cls.from_document(_read_gzip_json(path.read_bytes()))


def _skill(item: dict[str, Any]) -> Skill:
    src = item.get("s", {})
    return Skill(
        id=item["id"],
        name=item["n"],
        category=item["c"],
        aliases=tuple(item.get("a", ())),
        hot=bool(item.get("h")),
        in_demand=bool(item.get("d")),
        popularity=item.get("p", 0),
        broader=tuple(item.get("b", ())),
        families=tuple(item.get("f", ())),
        related=tuple(item.get("r", ())),
        groups=tuple(item.get("g", ())),
        sources=SkillSources(
            esco=tuple(src.get("esco", ())),
            onet=tuple(src.get("onet", ())),
            linguist=src.get("linguist"),
            simple_icons=src.get("icon"),
            curated=bool(src.get("curated")),
        ),
        match_modes=tuple(item.get("m", {}).items()),
    )


def _read_gzip_json(raw: bytes) -> dict[str, Any]:
    return json.loads(gzip.decompress(raw))


def _package_file(name: str) -> bytes:
    return resources.files("careergini.skills").joinpath("data", name).read_bytes()


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """Return the taxonomy shipped with the package (loaded once per process)."""
    return Taxonomy.from_document(_read_gzip_json(_package_file("taxonomy.json.gz")))


# ----------------------------------------------------------------------------------------------
# Roles: ESCO occupations and O*NET occupations with the skills they require


@dataclass(frozen=True, slots=True)
class Role:
    id: str  # "esco:<uuid>" or "onet:<O*NET-SOC code>"
    source: str  # "esco" or "onet"
    title: str
    alt_titles: tuple[str, ...] = ()
    description: str = ""
    code: str = ""  # ISCO-08 code (ESCO) or O*NET-SOC code
    group: str = ""  # ISCO group name (ESCO)
    job_zone: int = 0  # O*NET Job Zone 1-5 (preparation needed), 0 when unknown
    essential_skill_ids: tuple[str, ...] = ()  # ESCO essential skills found in the taxonomy
    optional_skill_ids: tuple[str, ...] = ()
    essential_other: tuple[str, ...] = ()  # ESCO essential skills outside the taxonomy, by name
    optional_other: tuple[str, ...] = ()
    technology_ids: tuple[str, ...] = ()  # O*NET technologies of the occupation
    hot_technology_ids: tuple[str, ...] = ()
    in_demand_ids: tuple[str, ...] = ()
    related_role_ids: tuple[str, ...] = ()

    @property
    def skill_ids(self) -> tuple[str, ...]:
        """Every taxonomy skill of the role: essential, optional and technologies."""
        seen = dict.fromkeys(
            self.essential_skill_ids + self.optional_skill_ids + self.technology_ids
        )
        return tuple(seen)


class RoleCatalog:
    """Roles by id, and a title search over titles and alternate titles."""

    def __init__(self, roles: Iterable[Role]) -> None:
        self._roles = {r.id: r for r in roles}
        titles: list[tuple[str, str]] = []
        for role in self._roles.values():
            titles.append((_norm(role.title), role.id))
            titles.extend((_norm(t), role.id) for t in role.alt_titles)
        titles.sort()
        self._titles = titles
        self._title_keys = [t for t, _ in titles]

    def __len__(self) -> int:
        return len(self._roles)

    def __iter__(self) -> Iterator[Role]:
        return iter(self._roles.values())

    def get(self, role_id: str) -> Role | None:
        """Return the role with this id, or None."""
        return self._roles.get(role_id)

    def search(self, q: str, limit: int = 10, source: str | None = None) -> list[Role]:
        """Return roles whose title or an alternate title starts with q (exact titles first)."""
        query = _norm(q)
        out: dict[str, tuple[int, int]] = {}
        pos = bisect_left(self._title_keys, query)
        while query and pos < len(self._titles) and self._titles[pos][0].startswith(query):
            title, rid = self._titles[pos]
            pos += 1
            role = self._roles[rid]
            if source and role.source != source:
                continue
            rank = (0 if title == query else 1 if title == _norm(role.title) else 2, len(title))
            out[rid] = min(out.get(rid, rank), rank)
        return [self._roles[r] for r in sorted(out, key=lambda r: out[r])[:limit]]


def _role_from(item: dict[str, Any], source: str, other: list[str]) -> Role:
    def split(refs: list[str | int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        ids = tuple(r for r in refs if isinstance(r, str))
        names = tuple(other[r] for r in refs if isinstance(r, int))
        return ids, names

    essential, essential_other = split(item.get("e", []))
    optional, optional_other = split(item.get("o", []))
    return Role(
        id=item["id"],
        source=source,
        title=item["t"],
        alt_titles=tuple(item.get("a", ())),
        description=item.get("d", ""),
        code=item.get("code", ""),
        group=item.get("grp", ""),
        job_zone=item.get("z", 0),
        essential_skill_ids=essential,
        optional_skill_ids=optional,
        essential_other=essential_other,
        optional_other=optional_other,
        technology_ids=tuple(item.get("tech", ())),
        hot_technology_ids=tuple(item.get("hot", ())),
        in_demand_ids=tuple(item.get("dem", ())),
        related_role_ids=tuple(item.get("rel", ())),
    )


def roles_from_document(doc: dict[str, Any]) -> RoleCatalog:
    """Build the role catalogue from the decoded ``roles.json.gz`` document."""
    if doc.get("format") != FORMAT_VERSION:
        raise ValueError(f"unsupported roles format {doc.get('format')!r}")
    other = doc.get("other_skills", [])
    roles = [_role_from(item, "esco", other) for item in doc.get("esco", [])]
    roles += [_role_from(item, "onet", other) for item in doc.get("onet", [])]
    return RoleCatalog(roles)


@lru_cache(maxsize=1)
def load_roles() -> RoleCatalog:
    """Return the role catalogue shipped with the package (loaded once per process)."""
    return roles_from_document(_read_gzip_json(_package_file("roles.json.gz")))
