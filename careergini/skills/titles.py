"""Job titles as people type them, and the 50 tech and data roles with a reviewed core.

Pure and shared: the analysis (role search and role targets) and learning (roadmaps, quizzes,
interviews) domains both read roles through this module, by way of ``skills.service``.

``data/tech_roles.json`` is kept by hand: each role has the titles people use for it (spelling
variants such as "frontend", "front-end" and "front end" included), the O*NET occupation it
belongs to (``base_role``: its description, related roles and hot technologies), and its core
skills in the order a learner meets them. A core entry is one skill id, or a list of
alternatives of which one is enough ("Python, Java, Go, C# or Node.js" for a backend
developer): a person who has any of them has the entry, and a person with none learns the first.
The core lists were drawn from roadmap.sh's role roadmaps, O*NET's hot technologies of the
occupation and ESCO's essential skills (each role names its sources).

The title index answers in this order: a tech role's title or alternative title, then an ESCO or
O*NET title or alternate title, compared without case, hyphens, spaces between word parts
("front end" = "front-end" = "frontend") and seniority words ("senior", "Sr.", "II"). A title
that matches nothing gets close ones: tech titles by spelling, then catalogue titles that share
its words.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources as importlib_resources

from careergini.skills.errors import UnknownRole
from careergini.skills.taxonomy import Role, load_roles

TECH_PREFIX = "careergini:"
SOURCE = "careergini"
_SENIORITY = {
    "senior", "sr", "junior", "jr", "lead", "mid", "level", "midlevel", "entry", "graduate",
    "intern", "trainee", "associate", "i", "ii", "iii", "iv", "1", "2", "3",
}  # fmt: skip
# Words too common in tech titles to point at one role on their own.
_GENERIC = {"developer", "engineer", "analyst", "administrator", "specialist", "manager", "it"}
_WORD = re.compile(r"[a-z0-9+#]+(?:\.[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class TechRole:
    """One of the reviewed tech and data roles."""

    slug: str
    title: str
    titles: tuple[str, ...]
    base_role_id: str
    core: tuple[tuple[str, ...], ...]  # each entry: alternatives, one of which is enough
    sources: tuple[str, ...]

    @property
    def role_id(self) -> str:
        return TECH_PREFIX + self.slug

    @property
    def taught_core(self) -> tuple[str, ...]:
        """Return the skill taught for each core entry to someone who has none of it."""
        return tuple(entry[0] for entry in self.core)


@dataclass(frozen=True, slots=True)
class TitleMatch:
    role: Role
    title: str  # the title that matched, as the index holds it


def _norm(text: str) -> str:
    # The catalogue's own form of a title (taxonomy.RoleCatalog compares in it).
    return " ".join(text.lower().split())


def words(text: str) -> list[str]:
    """Return a title's words, lower case, hyphens and slashes as spaces."""
    return _WORD.findall(text.casefold().replace("-", " ").replace("/", " "))


def title_key(text: str) -> str:
    """Return the form titles are compared in: no case, seniority words or word spacing."""
    kept = [w for w in words(text) if w not in _SENIORITY]
    return "".join(kept or words(text))


@lru_cache(maxsize=1)
def load_tech_roles() -> tuple[TechRole, ...]:
    """Return the reviewed tech and data roles (loaded once per process)."""
    path = importlib_resources.files("careergini.skills") / "data" / "tech_roles.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for item in doc["roles"]:
        core = tuple(
            tuple(entry) if isinstance(entry, list) else (entry,) for entry in item["core"]
        )
        out.append(
            TechRole(
                slug=item["id"],
                title=item["title"],
                titles=tuple(item["titles"]),
                base_role_id=item["base_role"],
                core=core,
                sources=tuple(item["sources"]),
            )
        )
    return tuple(out)


def tech_role(role_id: str) -> TechRole | None:
    """Return the reviewed role with this id ("careergini:data-engineer"), or None."""
    if not role_id.startswith(TECH_PREFIX):
        return None
    slug = role_id.removeprefix(TECH_PREFIX)
    return next((t for t in load_tech_roles() if t.slug == slug), None)


def _as_role(tech: TechRole) -> Role:
    base = load_roles().get(tech.base_role_id)
    core_ids = tuple(dict.fromkeys(s for entry in tech.core for s in entry))
    related = (tech.base_role_id, *(base.related_role_ids if base else ()))
    role = Role(
        id=tech.role_id,
        source=SOURCE,
        title=tech.title,
        alt_titles=tech.titles,
        essential_skill_ids=core_ids,
        related_role_ids=related,
    )
    if base is None:
        return role
    return replace(
        role,
        description=base.description,
        code=base.code,
        job_zone=base.job_zone,
        technology_ids=base.technology_ids,
        hot_technology_ids=tuple(s for s in base.hot_technology_ids if s not in core_ids),
    )


@lru_cache(maxsize=1)
def tech_roles_as_roles() -> dict[str, Role]:
    """Return the reviewed roles as roles the skills engine can analyse, by id."""
    return {t.role_id: _as_role(t) for t in load_tech_roles()}


def catalogue_role(role_id: str) -> Role:
    """Return an ESCO or O*NET role by id, or raise UnknownRole with close matches."""
    roles = load_roles()
    role = roles.get(role_id)
    if role is None:
        words = role_id.replace("-", " ").replace("_", " ").split(":")[-1]
        suggestions = [r.id for r in roles.search(words, limit=5)] if words.strip() else []
        raise UnknownRole(role_id, suggestions)
    return role


def get_role(role_id: str) -> Role:
    """Return a role by id: a reviewed tech role or an ESCO/O*NET one (UnknownRole if none)."""
    found = tech_roles_as_roles().get(role_id)
    return found if found is not None else catalogue_role(role_id)


def base_role_id(role_id: str) -> str:
    """Return the ESCO/O*NET id standing for a role (a tech role's occupation; else itself)."""
    tech = tech_role(role_id)
    return tech.base_role_id if tech is not None else role_id


class TitleIndex:
    """Exact lookups (in title-key form) over tech titles, then ESCO and O*NET titles."""

    def __init__(self) -> None:
        roles = tech_roles_as_roles()
        self._tech: dict[str, tuple[str, str]] = {}
        for tech in load_tech_roles():
            for title in (tech.title, *tech.titles):
                self._tech.setdefault(title_key(title), (tech.role_id, title))
        self._tech_roles = roles
        self._tech_words: dict[str, list[str]] = {}
        for key, (_, title) in self._tech.items():
            for word in set(words(title)) - _SENIORITY - _GENERIC:
                self._tech_words.setdefault(word, []).append(key)
        self._catalogue: dict[str, tuple[str, str]] = {}
        for role in load_roles():
            # The role's own title before another role's alternate title.
            self._catalogue.setdefault(title_key(role.title), (role.id, role.title))
        for role in load_roles():
            for title in role.alt_titles:
                self._catalogue.setdefault(title_key(title), (role.id, title))
        self._by_word: dict[str, list[str]] = {}
        for key, (_, title) in self._catalogue.items():
            for word in set(words(title)) - _SENIORITY:
                self._by_word.setdefault(word, []).append(key)

    def _role(self, role_id: str) -> Role:
        return self._tech_roles.get(role_id) or catalogue_role(role_id)

    def find(self, text: str) -> TitleMatch | None:
        """Return the role a title names (no guessing: spelling variants only), or None."""
        key = title_key(text)
        if not key:
            return None
        # An exact title first (O*NET's plural "Data Scientists" included), then the singular
        # or plural form.
        tries = [key, key[:-1]] if key.endswith("s") else [key, f"{key}s"]
        for form in tries:
            for table in (self._tech, self._catalogue):
                hit = table.get(form)
                if hit is not None:
                    return TitleMatch(role=self._role(hit[0]), title=hit[1])
        return None

    def suggest(self, text: str, *, limit: int = 5) -> list[TitleMatch]:
        """Return roles whose titles are close to a title that matched nothing."""
        key = title_key(text)
        out: dict[str, TitleMatch] = {}
        if not key:
            return []
        for close in difflib.get_close_matches(key, list(self._tech), n=limit, cutoff=0.6):
            role_id, title = self._tech[close]
            out.setdefault(role_id, TitleMatch(role=self._role(role_id), title=title))
        query_words = [w for w in words(text) if w not in _SENIORITY]
        for word in query_words:
            for close in self._tech_words.get(word, []):
                role_id, title = self._tech[close]
                out.setdefault(role_id, TitleMatch(role=self._role(role_id), title=title))
        candidates: set[str] = set()
        for word in query_words:
            keys = self._by_word.get(word, [])
            if len(keys) <= 2000:  # "manager" alone is no clue
                candidates.update(keys)
        scored = sorted(
            candidates,
            key=lambda c: (-difflib.SequenceMatcher(None, key, c).ratio(), len(c), c),
        )
        for close in scored:
            if len(out) >= limit:
                break
            role_id, title = self._catalogue[close]
            out.setdefault(role_id, TitleMatch(role=self._role(role_id), title=title))
        return list(out.values())[:limit]

    def search(self, text: str, *, limit: int = 10) -> list[TitleMatch]:
        """Return roles for a title being typed: the role it names, tech titles that start with
        it, catalogue titles that start with it, else close titles."""
        out: dict[str, TitleMatch] = {}

        def add(match: TitleMatch) -> None:
            out.setdefault(match.role.id, match)

        named = self.find(text) or self.close_tech(text)
        if named is not None:
            add(named)
        key = title_key(text)
        if key:
            for tech_key in sorted((k for k in self._tech if k.startswith(key)), key=len):
                role_id, title = self._tech[tech_key]
                add(TitleMatch(role=self._role(role_id), title=title))
        typed = _norm(text)
        for role in load_roles().search(text, limit):
            said = (t for t in (role.title, *role.alt_titles) if _norm(t).startswith(typed))
            add(TitleMatch(role=role, title=next(said, role.title)))
        if not out:
            for match in self.suggest(text, limit=limit):
                add(match)
        return list(out.values())[:limit]

    def close_tech(self, text: str) -> TitleMatch | None:
        """Return the tech role a misspelt title surely means ("fronted developer"), or None."""
        close = difflib.get_close_matches(title_key(text), list(self._tech), n=1, cutoff=0.9)
        if not close:
            return None
        role_id, title = self._tech[close[0]]
        return TitleMatch(role=self._role(role_id), title=title)


@lru_cache(maxsize=1)
def title_index() -> TitleIndex:
    """Return the title index (built once per process)."""
    return TitleIndex()


def find_role(text: str) -> Role | None:
    """Return the role a typed title names, spelling variants and small typos included."""
    index = title_index()
    match = index.find(text) or index.close_tech(text)
    return match.role if match is not None else None


def search_titles(text: str, *, limit: int = 10) -> list[TitleMatch]:
    """Return roles for a typed title, best first (see ``TitleIndex.search``)."""
    return title_index().search(text, limit=limit)


def suggest_roles(text: str, *, limit: int = 5) -> list[dict[str, str]]:
    """Return roles close to a title, as {id, title}."""
    return [
        {"id": m.role.id, "title": m.role.title} for m in title_index().suggest(text, limit=limit)
    ]
