"""Merge the sources into skill drafts; every alias key belongs to exactly one skill.

Sources are added in order of authority (curated, linguist, O*NET, ESCO, simple-icons): a curated
alias wins every conflict, and a later source only adds aliases nobody holds yet.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from careergini.skills.extraction import alias_key, alias_tokens
from careergini.skills.taxonomy import CATEGORIES, MODE_CASE, MODE_CUE, MODE_OFF, MODE_STRONG
from careergini.skills.taxonomy_build.categories import commodity_category, esco_category
from careergini.skills.taxonomy_build.names import (
    ACRONYM,
    FUNCTION_WORDS,
    SMALL_WORDS,
    clean,
    onet_names,
    slugify,
    strip_parenthetical,
    variant_of,
)

# Long-tail O*NET products are kept when at least this many occupations list them.
ONET_MIN_OCCUPATIONS = 2
# ESCO skill-to-skill relations kept per skill (the strongest: essential before optional).
MAX_ESCO_RELATED = 12

_CURATED_KEYS = {
    "aka": None,
    "cs": MODE_CASE,
    "cue": MODE_CUE,
    "strong": MODE_STRONG,
    "off": MODE_OFF,
}


@dataclass
class Draft:
    """A skill being built, with every source entry merged into it."""

    id: str
    name: str
    category: str
    curated: bool = False
    aliases: dict[str, str | None] = field(default_factory=dict)  # alias -> mode (None = ci)
    esco_uris: list[str] = field(default_factory=list)
    onet: list[str] = field(default_factory=list)
    linguist: str | None = None
    icon: str | None = None
    hot: bool = False
    in_demand: bool = False
    onet_occupations: set[str] = field(default_factory=set)
    esco_occupations: int = 0
    broader: list[str] = field(default_factory=list)
    families: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)


@dataclass
class _OnetFacts:
    """What O*NET's Technology Skills rows say about each product ("Example")."""

    occupations: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    commodities: defaultdict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    hot: set[str] = field(default_factory=set)
    in_demand: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, rows: list[dict[str, str]]) -> _OnetFacts:
        facts = cls()
        for row in rows:
            example = clean(row["Example"])
            facts.occupations[example].add(row["O*NET-SOC Code"])
            facts.commodities[example][row["Commodity Title"]] += 1
            if row["Hot Technology"] == "Y":
                facts.hot.add(example)
            if row["In Demand"] == "Y":
                facts.in_demand.add(example)
        return facts


class Builder:
    """Merge the sources into drafts; every alias key belongs to exactly one skill."""

    def __init__(self, curated: dict[str, Any], common_words: set[str]) -> None:
        self.curated = curated
        self.common = common_words | {w.lower() for w in curated.get("ambiguous_words", [])}
        self.drafts: dict[str, Draft] = {}
        self.claims: dict[str, str] = {}  # alias key -> skill id
        self.onet_map: dict[str, str] = {}  # O*NET example -> skill id
        self.esco_label_map: dict[str, str] = {}  # ESCO preferred label (lower) -> skill id
        self.esco_uri_map: dict[str, str] = {}
        self.no_merge_esco = set(curated.get("no_merge", {}).get("esco", []))
        drop = curated.get("drop", {})
        self.drop_linguist = set(drop.get("linguist", []))
        self.drop_onet = set(drop.get("onet", []))

    # -- registration ---------------------------------------------------------------------------

    def new_draft(
        self,
        name: str,
        category: str,
        *,
        curated: bool = False,
        sid: str = "",
        onet: str = "",
        esco_uri: str = "",
    ) -> Draft:
        base = sid or slugify(name)
        sid, n = base, 2
        while sid in self.drafts:
            sid, n = f"{base}-{n}", n + 1
        draft = Draft(id=sid, name=name, category=category, curated=curated)
        draft.onet += [onet] if onet else []
        draft.esco_uris += [esco_uri] if esco_uri else []
        self.drafts[sid] = draft
        if not self.claim(draft, name, self.name_mode(draft, name)):
            draft.aliases[name] = MODE_OFF  # another skill owns this text: search only
        return draft

    def claim(self, draft: Draft, alias: str, mode: str | None) -> bool:
        """Give an alias to a skill unless another skill holds it; return whether it was added."""
        alias = clean(alias)
        key = alias_key(alias)
        if not key or len(alias) > 80:
            return False
        owner = self.claims.get(key)
        if owner is not None and owner != draft.id:
            return False
        self.claims[key] = draft.id
        draft.aliases.setdefault(alias, mode)
        return True

    def owner(self, *labels: str) -> Draft | None:
        for label in labels:
            sid = self.claims.get(alias_key(label))
            if sid is not None:
                return self.drafts[sid]
        return None

    # -- how an auto alias may be matched -------------------------------------------------------

    def name_mode(self, draft: Draft, name: str) -> str | None:
        return None if draft.curated else self.auto_mode(name, draft, product=True)

    def auto_mode(self, alias: str, draft: Draft, *, product: bool) -> str | None:
        """Decide how a source alias may be matched; ordinary words never match on their own."""
        keys, _ = alias_tokens(alias)
        words = [k for k in keys if k.isalpha()]
        content = [w for w in words if w not in FUNCTION_WORDS]
        if len(keys) == 1:
            if len(alias) <= 2 or (len(alias) <= 4 and alias.islower()):
                return MODE_OFF  # "ts", "sed", "vhs": file-type codes, not names people write
            if keys[0] in self.common:
                return MODE_OFF  # "Factor", "Canvas", "computer": search only
            if ACRONYM.match(alias) and len(alias) <= 4:
                # "GIS", "CNC"; but a three-letter name known only to linguist ("SMT", "ASL")
                # is more often something else.
                return MODE_CASE if (draft.onet or draft.esco_uris) else MODE_OFF
            return None
        if len(content) == 1 and content[0] in self.common and len(keys) == len(words):
            return MODE_OFF  # "a computer", "be responsible"
        if product and words and all(w in self.common or w in SMALL_WORDS for w in words):
            # "Time Matters", "Project Anarchy": a product named with ordinary words.
            return MODE_CASE
        return None

    # -- sources ----------------------------------------------------------------------------------

    def add_curated(self) -> None:
        for item in self.curated["skills"]:
            cat = item["cat"]
            if cat not in CATEGORIES:
                raise ValueError(f"unknown category {cat!r} for {item['id']}")
            draft = self.new_draft(item["name"], cat, curated=True, sid=item["id"])
            if draft.id != item["id"]:
                raise ValueError(f"duplicate curated id {item['id']}")
            self._claim_curated_aliases(draft, item)
            draft.broader = list(item.get("broader", []))
            draft.families = list(item.get("family", []))
            draft.linguist = item.get("linguist")
            for example in item.get("onet", []):
                self.onet_map[example] = draft.id
            for label in item.get("esco", []):
                self.esco_label_map[label.lower()] = draft.id
        unknown = {
            ref for d in self.drafts.values() for ref in d.broader if ref not in self.drafts
        } | {
            f for d in self.drafts.values() for f in d.families if f not in self.curated["families"]
        }
        if unknown:
            raise ValueError(f"curated references unknown ids: {sorted(unknown)}")

    def _claim_curated_aliases(self, draft: Draft, item: dict[str, Any]) -> None:
        """Give a curated skill its aliases, each with the mode its list names."""
        for list_key, mode in _CURATED_KEYS.items():
            for alias in item.get(list_key, []):
                if alias == item["name"]:
                    draft.aliases[alias] = mode
                    continue
                if not self.claim(draft, alias, mode):
                    owner = self.claims[alias_key(alias)]
                    raise ValueError(f"curated alias {alias!r} of {draft.id} held by {owner}")

    def add_linguist(self, languages: dict[str, Any]) -> None:
        by_curated = {d.linguist: d for d in self.drafts.values() if d.linguist}
        for name, info in sorted(languages.items()):
            if name in self.drop_linguist:
                continue
            draft = by_curated.get(name) or self.owner(name)
            if draft is None:
                if info.get("type") != "programming" or info.get("group"):
                    continue
                draft = self.new_draft(name, "language")
            draft.linguist = draft.linguist or name
            if draft.curated:
                continue
            for alias in info.get("aliases") or []:
                if len(alias) >= 3 and not alias.startswith("."):
                    self.claim(draft, alias, self.auto_mode(alias, draft, product=True))

    def add_onet(self, rows: list[dict[str, str]]) -> None:
        facts = _OnetFacts.read(rows)
        for example in sorted(facts.occupations):
            if example in self.drop_onet:
                continue
            keep = (
                example in self.onet_map
                or example in facts.hot
                or example in facts.in_demand
                or len(facts.occupations[example]) >= ONET_MIN_OCCUPATIONS
            )
            if not keep:
                continue
            name, aliases = onet_names(example)
            draft = self._onet_draft(example, name, aliases, facts)
            self.onet_map[example] = draft.id
            draft.onet_occupations |= facts.occupations[example]
            draft.hot |= example in facts.hot
            draft.in_demand |= example in facts.in_demand
            self._claim_onet_aliases(draft, [(example, None), *aliases])

    def _onet_draft(
        self, example: str, name: str, aliases: list[tuple[str, str | None]], facts: _OnetFacts
    ) -> Draft:
        """Return the skill an O*NET product merges into, a new one if nobody holds its names."""
        if example in self.onet_map:
            draft: Draft | None = self.drafts[self.onet_map[example]]
        else:
            draft = self.owner(name, example, *(a for a, _ in aliases))
        if draft is None:
            category = commodity_category(facts.commodities[example])
            return self.new_draft(name, category, onet=example)
        if example not in draft.onet:
            draft.onet.append(example)
        return draft

    def _claim_onet_aliases(self, draft: Draft, aliases: list[tuple[str, str | None]]) -> None:
        for alias, forced in aliases:
            if alias == draft.name:
                continue
            mode = self.auto_mode(alias, draft, product=True)
            if forced is not None and mode is None:
                mode = forced  # an embedded acronym keeps its case: "GIS", "CRM"
            if draft.curated and mode is not None and mode != MODE_CASE:
                continue  # curated skills decide their own ambiguous aliases
            self.claim(draft, alias, mode)

    def add_esco(self, rows: list[dict[str, str]], *, transversal: bool) -> None:
        for row in rows:
            uri, label = row["conceptUri"], clean(row["preferredLabel"])
            if row.get("status", "released") != "released" or not label:
                continue
            base = strip_parenthetical(label)
            draft = None
            if label not in self.no_merge_esco:
                sid = self.esco_label_map.get(label.lower())
                draft = self.drafts[sid] if sid else self.owner(label, base)
            if draft is None:
                category = esco_category(row, transversal=transversal)
                draft = self.new_draft(base, category, esco_uri=uri)
            elif uri not in draft.esco_uris:
                draft.esco_uris.append(uri)
            self.esco_uri_map[uri] = draft.id
            self.esco_label_map.setdefault(label.lower(), draft.id)
            product = base[:1].isupper()  # "GIMP", "IBM Informix": a product, not a concept
            alts = [clean(a) for a in re.split(r"\n| \| ", row.get("altLabels") or "") if a.strip()]
            candidates = [label, base, *(a for a in alts if product or variant_of(a, base))]
            for alias in candidates:
                if alias == draft.name or (draft.curated and alias != label and alias != base):
                    continue
                self.claim(draft, alias, self.auto_mode(alias, draft, product=product))
            groups = [g.strip() for g in (row.get("broaderConceptPT") or "").split(" | ")]
            draft.groups.extend(g for g in groups if g and g not in draft.groups)

    def add_simple_icons(self, icons: list[dict[str, Any]]) -> None:
        for icon in icons:
            draft = self.owner(icon["title"])
            if draft is None:
                continue
            draft.icon = draft.icon or icon["slug"]
            for alias in (icon.get("aliases") or {}).get("aka", []):
                if len(alias) >= 3:
                    mode = self.auto_mode(alias, draft, product=True)
                    if not (draft.curated and mode is not None):
                        self.claim(draft, alias, mode)

    # -- relations ------------------------------------------------------------------------------

    def add_esco_hierarchy(self, broader_rows: Iterable[dict[str, str]]) -> None:
        for row in broader_rows:
            child = self.esco_uri_map.get(row["conceptUri"])
            parent = self.esco_uri_map.get(row["broaderUri"])
            if child and parent and child != parent:
                draft = self.drafts[child]
                if parent not in draft.broader:
                    draft.broader.append(parent)

    def add_esco_relations(self, relation_rows: Iterable[dict[str, str]]) -> None:
        ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for row in relation_rows:
            a = self.esco_uri_map.get(row["originalSkillUri"])
            b = self.esco_uri_map.get(row["relatedSkillUri"])
            if not a or not b or a == b:
                continue
            rank = 0 if row["relationType"] == "essential" else 1
            ranked[a].append((rank, b))
            ranked[b].append((rank, a))
        for sid, pairs in ranked.items():
            draft = self.drafts[sid]
            for _, other in sorted(set(pairs)):
                if len(draft.related) >= MAX_ESCO_RELATED:
                    break
                if other not in draft.related:
                    draft.related.append(other)

    def esco_skill_id(self, label: str) -> str | None:
        """Map an ESCO skill label (as occupation profiles name them) to a taxonomy id."""
        return self.esco_label_map.get(label.lower()) or self.claims.get(alias_key(label))

    def count_esco_occupations(self, profiles: list[dict[str, Any]]) -> None:
        for profile in profiles:
            seen = {
                self.esco_skill_id(name)
                for key in ("essential_skills", "optional_skills")
                for name in profile.get(key) or []
            }
            for sid in seen:
                if sid is not None:
                    self.drafts[sid].esco_occupations += 1
