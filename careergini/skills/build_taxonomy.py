"""Build the skills taxonomy and the role catalogue shipped inside the package.

    python -m careergini.skills.build_taxonomy [--data ../shared/data] [--out DIR_OR_FILE]

Reads the public data sets (ESCO v1.2.0, O*NET 29.2 Technology Skills and occupations,
linguist-languages and simple-icons) plus the hand-kept ``data/curated.json``, and writes two
gzip JSON files next to each other: ``taxonomy.json.gz`` (skills) and ``roles.json.gz`` (ESCO and
O*NET occupations with their skills mapped to taxonomy ids). The app reads only these files; run
this again when a new ESCO or O*NET release comes out.

How entries are merged, in order of authority:
1. ``curated.json``: the core technologies, methods and soft skills, with their aliases, how each
   alias may be matched, families and broader skills. Curated aliases win every conflict.
2. linguist-languages: programming languages (data and markup formats only when curated).
3. O*NET Technology Skills: product names ("Microsoft Excel", "Oracle Java") with Hot Technology
   and In Demand flags; names are cleaned (vendor prefixes, "software", embedded acronyms) and
   merged by name into existing skills; the long tail keeps only products that two or more
   occupations list, or that are hot or in demand.
4. ESCO digital skills and transversal skills, with their alternative labels, hierarchy and
   skill-to-skill relations; generic concepts keep only alternative labels that are variants of
   the concept (ESCO lists unrelated products as synonyms of broad concepts).
5. simple-icons: only an icon slug and brand aliases for skills that already exist.

An alias that is an ordinary English word ("Go", "Swift", "Access") is never matched on its own:
curated ones say how much context they need, long-tail ones are kept for search only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careergini.skills.extraction import alias_key, alias_tokens
from careergini.skills.taxonomy import (
    CATEGORIES,
    FORMAT_VERSION,
    MODE_CASE,
    MODE_CUE,
    MODE_OFF,
    MODE_STRONG,
)

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"

# Long-tail O*NET products are kept when at least this many occupations list them.
ONET_MIN_OCCUPATIONS = 2
# ESCO skill-to-skill relations kept per skill (the strongest: essential before optional).
MAX_ESCO_RELATED = 12
MAX_ALT_TITLES = 60

_CURATED_KEYS = {
    "aka": None,
    "cs": MODE_CASE,
    "cue": MODE_CUE,
    "strong": MODE_STRONG,
    "off": MODE_OFF,
}

# O*NET commodity titles (UNSPSC) to a category, first match wins.
_COMMODITY_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("operating system", "os"),
    ("data base management", "database"),
    ("object oriented data base", "database"),
    ("data base user interface", "database"),
    ("data base reporting", "data_ml"),
    ("business intelligence", "data_ml"),
    ("data mining", "data_ml"),
    ("analytical or scientific", "data_ml"),
    ("object or component oriented", "framework"),
    ("web platform development", "framework"),
    ("graphical user interface development", "framework"),
    ("compiler", "devops"),
    ("program testing", "devops"),
    ("configuration management", "devops"),
    ("file versioning", "devops"),
    ("cloud-based protection", "security"),
    ("cloud-based", "cloud"),
    ("security", "security"),
    ("virus", "security"),
    ("authentication", "security"),
    ("network", "networking"),
    ("switch or router", "networking"),
    ("lan software", "networking"),
    ("wan switching", "networking"),
    ("internet protocol", "networking"),
    ("communications server", "networking"),
    ("graphics", "design"),
    ("photo", "design"),
    ("computer aided design", "design"),
    ("computer aided manufacturing", "design"),
    ("video creation", "design"),
    ("desktop publishing", "design"),
    ("music or sound", "design"),
    ("map creation", "design"),
    ("enterprise resource planning", "business"),
    ("accounting", "business"),
    ("financial", "business"),
    ("customer relationship", "business"),
    ("human resources", "business"),
    ("sales and marketing", "business"),
    ("tax", "business"),
    ("procurement", "business"),
    ("point of sale", "business"),
    ("inventory", "business"),
    ("materials requirements", "business"),
    ("project management", "tool"),
)

# ESCO broader groups (and label hints) to a category, first match wins.
_ESCO_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("computer programming", "language"),
    ("query languages", "language"),
    ("web programming", "language"),
    ("database management systems", "database"),
    ("software frameworks", "framework"),
    ("digital game creation", "framework"),
    ("software configuration management", "devops"),
    ("ict test automation", "devops"),
    ("project management methodologies", "method"),
    ("penetration testing", "security"),
    ("protecting ict", "security"),
    ("security", "security"),
    ("extraction, transformation and loading", "data_ml"),
    ("digital data", "data_ml"),
    ("quantitative data", "data_ml"),
    ("information and data", "data_ml"),
    ("graphics editor", "design"),
    ("computer aided design", "design"),
    ("audio-visual", "design"),
    ("sound and images", "design"),
    ("learning management systems", "tool"),
    ("marketing", "business"),
    ("business operations", "business"),
    ("financial, business", "business"),
    ("management and administration", "business"),
    ("communications equipment", "networking"),
    ("network", "networking"),
)

# Vendor prefixes of O*NET product names; the rest of the name becomes an alias when distinctive.
_VENDORS = sorted(
    [
        "Microsoft",
        "Oracle",
        "Apache",
        "Google",
        "Amazon",
        "Amazon Web Services",
        "IBM",
        "Adobe",
        "Autodesk",
        "Atlassian",
        "The MathWorks",
        "MathWorks",
        "SAP",
        "Apple",
        "Intuit",
        "Dassault Systemes",
        "ESRI",
        "Corel",
        "Bentley",
        "Trimble",
        "StataCorp",
        "National Instruments",
        "Qlik Tech",
        "SmugMug",
        "iParadigms",
        "Blackbaud",
        "Cisco",
        "VMware",
        "Hewlett Packard",
        "Hewlett-Packard",
        "HP",
        "Siemens",
        "PTC",
        "Unity Technologies",
        "Unreal Technology",
        "Eclipse",
        "Mozilla",
        "Citrix",
        "Symantec",
        "McAfee",
        "Infor",
        "Kronos",
        "Henry Schein",
        "Thomson Reuters",
        "Wolters Kluwer",
        "Red Hat",
        "Salesforce",
        "Ansys",
        "ANSYS",
        "Altair",
        "AspenTech",
        "Aspen Technology",
        "Schneider Electric",
        "Rockwell Automation",
        "Honeywell",
        "Emerson",
        "Cerner",
        "Allscripts",
        "Embarcadero",
        "JetBrains",
        "Borland",
        "Novell",
        "Sun Microsystems",
        "Teradata",
        "SAS Institute",
        "Wolfram Research",
        "Waterloo Maple",
        "Cadence",
        "Synopsys",
        "Mentor Graphics",
        "Xilinx",
        "Intel",
        "NVIDIA",
        "Epic",
        "Bloomberg",
        "Hootsuite",
        "Trello",
        "Dell",
        "NetApp",
        "Juniper Networks",
        "Fortinet",
        "Palo Alto Networks",
        "Check Point",
        "BMC Software",
        "Tableau",
        "Meta",
        "Zoho",
        "Sage",
        "Workday",
        "Ellucian",
        "Blackboard",
        "Bentley Systems",
        "Tyler Technologies",
    ],
    key=len,
    reverse=True,
)

_SMALL_WORDS = {"and", "of", "for", "the", "or", "to", "in", "on", "a", "an", "with", "by"}
_FUNCTION_WORDS = _SMALL_WORDS | {"be", "is", "are", "your", "their", "its", "at", "as", "from"}
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")
_WORD = re.compile(r"(?<![\w.#+-])[a-z][a-z]+(?![\w#+])")
_ESCO_URI = re.compile(r"^http://data\.europa\.eu/esco/(?:skill|occupation)/(.+)$")


# ----------------------------------------------------------------------------------------------
# Small text helpers


def clean(label: str) -> str:
    """Return a label with collapsed whitespace."""
    return " ".join(label.split())


def strip_parenthetical(label: str) -> str:
    """Return "Python" for ESCO's "Python (computer programming)"."""
    return _PAREN.sub("", label).strip() or label


def slugify(name: str) -> str:
    """Return a stable URL-safe id for a skill name."""
    s = name.lower()
    for old, new in (
        ("c++", "cpp"),
        ("c#", "csharp"),
        ("f#", "fsharp"),
        ("+", "plus"),
        ("#", "sharp"),
    ):
        s = s.replace(old, new)
    s = re.sub(r"^\.", "dot", s)
    s = s.replace("&", " and ").replace(".", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "skill"


def is_plain_word(alias: str) -> bool:
    """Say whether an alias is one plain capitalised or lowercase word ("Maya", "notes")."""
    return bool(re.fullmatch(r"[A-Z]?[a-z]+", alias))


# ----------------------------------------------------------------------------------------------
# The skills being built


@dataclass
class Draft:
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
        content = [w for w in words if w not in _FUNCTION_WORDS]
        if len(keys) == 1:
            if len(alias) <= 2 or (len(alias) <= 4 and alias.islower()):
                return MODE_OFF  # "ts", "sed", "vhs": file-type codes, not names people write
            if keys[0] in self.common:
                return MODE_OFF  # "Factor", "Canvas", "computer": search only
            if _ACRONYM.match(alias) and len(alias) <= 4:
                # "GIS", "CNC"; but a three-letter name known only to linguist ("SMT", "ASL")
                # is more often something else.
                return MODE_CASE if (draft.onet or draft.esco_uris) else MODE_OFF
            return None
        if len(content) == 1 and content[0] in self.common and len(keys) == len(words):
            return MODE_OFF  # "a computer", "be responsible"
        if product and words and all(w in self.common or w in _SMALL_WORDS for w in words):
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
            for list_key, mode in _CURATED_KEYS.items():
                for alias in item.get(list_key, []):
                    if alias == item["name"]:
                        draft.aliases[alias] = mode
                        continue
                    if not self.claim(draft, alias, mode):
                        owner = self.claims[alias_key(alias)]
                        raise ValueError(f"curated alias {alias!r} of {draft.id} held by {owner}")
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
        occupations: dict[str, set[str]] = defaultdict(set)
        commodities: dict[str, Counter[str]] = defaultdict(Counter)
        hot: set[str] = set()
        in_demand: set[str] = set()
        for row in rows:
            example = clean(row["Example"])
            occupations[example].add(row["O*NET-SOC Code"])
            commodities[example][row["Commodity Title"]] += 1
            if row["Hot Technology"] == "Y":
                hot.add(example)
            if row["In Demand"] == "Y":
                in_demand.add(example)
        for example in sorted(occupations):
            if example in self.drop_onet:
                continue
            keep = (
                example in self.onet_map
                or example in hot
                or example in in_demand
                or len(occupations[example]) >= ONET_MIN_OCCUPATIONS
            )
            if not keep:
                continue
            name, aliases = onet_names(example)
            draft = None
            if example in self.onet_map:
                draft = self.drafts[self.onet_map[example]]
            else:
                draft = self.owner(name, example, *(a for a, _ in aliases))
            if draft is None:
                category = commodity_category(commodities[example])
                draft = self.new_draft(name, category, onet=example)
            elif example not in draft.onet:
                draft.onet.append(example)
            self.onet_map[example] = draft.id
            draft.onet_occupations |= occupations[example]
            draft.hot |= example in hot
            draft.in_demand |= example in in_demand
            for alias, forced in [(example, None), *aliases]:
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
            for sid in seen - {None}:
                self.drafts[sid].esco_occupations += 1

    # -- output ---------------------------------------------------------------------------------

    def taxonomy_document(self, sources: dict[str, str]) -> dict[str, Any]:
        skills = []
        for draft in sorted(self.drafts.values(), key=lambda d: d.id):
            aliases = [a for a in draft.aliases if a != draft.name]
            modes = {a: m for a, m in draft.aliases.items() if m is not None}
            src: dict[str, Any] = {}
            if draft.esco_uris:
                src["esco"] = [_ESCO_URI.sub(r"\1", u) for u in draft.esco_uris]
            if draft.onet:
                src["onet"] = draft.onet
            if draft.linguist:
                src["linguist"] = draft.linguist
            if draft.icon:
                src["icon"] = draft.icon
            if draft.curated:
                src["curated"] = 1
            item: dict[str, Any] = {"id": draft.id, "n": draft.name, "c": draft.category}
            optional = {
                "a": aliases,
                "m": modes,
                "s": src,
                "h": int(draft.hot),
                "d": int(draft.in_demand),
                "p": len(draft.onet_occupations) + draft.esco_occupations,
                "b": [b for b in draft.broader if b in self.drafts],
                "f": draft.families,
                "r": draft.related,
                "g": draft.groups[:4],
            }
            item.update({k: v for k, v in optional.items() if v})
            skills.append(item)
        return {
            "format": FORMAT_VERSION,
            "sources": sources,
            "families": self.curated["families"],
            "skills": skills,
        }


def variant_of(alt: str, base: str) -> bool:
    """Say whether an ESCO alternative label is a variant of a generic concept, not a product."""
    alt_words = {w for w in alias_tokens(alt)[0] if w.isalpha() and w not in _SMALL_WORDS}
    base_words = {w for w in alias_tokens(base)[0] if w.isalpha() and w not in _SMALL_WORDS}
    if alt_words & base_words or any(a[:5] == b[:5] for a in alt_words for b in base_words):
        return True
    initials = "".join(w[0] for w in alias_tokens(base)[0] if w not in _SMALL_WORDS)
    return alt.isupper() and alt.lower() == initials


def onet_names(example: str) -> tuple[str, list[tuple[str, str | None]]]:
    """Return a display name and extra aliases for an O*NET product name.

    "Geographic information system GIS software" -> "Geographic information system (GIS)" with
    aliases GIS, "Geographic information system" and "GIS software"; "Salesforce software" ->
    "Salesforce"; "Autodesk AutoCAD" keeps its name and gets the alias "AutoCAD" (but "IBM Notes"
    does not get "Notes": a vendor-less ordinary word names too many other things).
    """
    aliases: list[tuple[str, str | None]] = []
    name = example
    had_software = name.endswith(" software")
    if had_software:
        rest = name[: -len(" software")]
        if any(c.isupper() for c in rest[1:]) or len(rest.split()) == 1:
            name = rest
    vendor = next(
        (v for v in _VENDORS if name.startswith(v + " ") and len(name) > len(v) + 1), None
    )
    core = name[len(vendor) + 1 :] if vendor else name
    core_words = core.split()
    if len(core_words) >= 2 and _ACRONYM.match(core_words[-1]):
        acronym = core_words[-1]
        expansion = " ".join(core_words[:-1])
        if _abbreviates(acronym, expansion):
            aliases.append((acronym, MODE_CASE if len(acronym) <= 4 else None))
            aliases.append((expansion, None))
            if had_software:
                aliases.append((f"{acronym} software", None))
            if vendor:
                aliases.append((f"{vendor} {acronym}", None))
            display = f"{expansion} ({acronym})"
            return (f"{vendor} {display}" if vendor else display), aliases
    if vendor and (len(alias_tokens(core)[0]) >= 2 or not is_plain_word(core)):
        aliases.append((core, None))
    return name, aliases


def _abbreviates(acronym: str, expansion: str) -> bool:
    """Say whether an acronym abbreviates a phrase: "GIS", "XML" (eXtensible), "EC2"."""
    letters = acronym.rstrip("0123456789").lower()
    words = [w.lower() for w in expansion.split() if w.lower() not in _SMALL_WORDS]
    if not letters or not words or letters[0] not in words[0]:
        return False
    rest = iter("".join(words))
    return all(ch in rest for ch in letters) and len(letters) <= len(words) + 1


def commodity_category(counts: Counter[str]) -> str:
    for title, _ in counts.most_common():
        low = title.lower()
        for needle, category in _COMMODITY_CATEGORIES:
            if needle in low:
                return category
    return "tool"


def esco_category(row: dict[str, str], *, transversal: bool) -> str:
    if transversal:
        return "soft_skill"
    label = row["preferredLabel"].lower()
    groups = (row.get("broaderConceptPT") or "").lower()
    if "(computer programming)" in label:
        return "language"
    for needle, category in _ESCO_CATEGORIES:
        if needle in groups:
            return category
    return "knowledge" if row.get("skillType") == "knowledge" else "digital"


# ----------------------------------------------------------------------------------------------
# Roles


def build_roles(
    builder: Builder,
    profiles: list[dict[str, Any]],
    onet_dir: Path,
    onet_rows: list[dict[str, str]],
) -> dict[str, Any]:
    """Return the role catalogue: ESCO occupations and O*NET occupations, skills as ids."""
    other_index: dict[str, int] = {}
    other: list[str] = []

    def ref(name: str) -> str | int:
        sid = builder.esco_skill_id(name)
        if sid:
            return sid
        if name not in other_index:
            other_index[name] = len(other)
            other.append(name)
        return other_index[name]

    esco_roles = []
    for p in sorted(profiles, key=lambda p: p["occupation_name"]):
        uri = p["occupation_uri"]
        esco_roles.append(
            _compact(
                {
                    "id": "esco:" + _ESCO_URI.sub(r"\1", uri),
                    "t": clean(p["occupation_name"]),
                    "a": _dedupe(p.get("alternative_names") or [], p["occupation_name"]),
                    "d": clean(p.get("occupation_description") or ""),
                    "code": p.get("isco_code") or "",
                    "grp": p.get("isco_group_name") or "",
                    "e": [ref(n) for n in p.get("essential_skills") or []],
                    "o": [ref(n) for n in p.get("optional_skills") or []],
                }
            )
        )

    titles = {r["O*NET-SOC Code"]: r for r in read_csv(onet_dir / "Occupation Data.csv")}
    alternates: dict[str, list[str]] = defaultdict(list)
    for r in read_csv(onet_dir / "Alternate Titles.csv", optional=True):
        alternates[r["O*NET-SOC Code"]].append(r["Alternate Title"])
    zones = {
        r["O*NET-SOC Code"]: int(r["Job Zone"])
        for r in read_csv(onet_dir / "Job Zones.csv", optional=True)
    }
    related: dict[str, list[str]] = defaultdict(list)
    for r in read_csv(onet_dir / "Related Occupations.csv", optional=True):
        if r["Relatedness Tier"].startswith("Primary"):
            related[r["O*NET-SOC Code"]].append("onet:" + r["Related O*NET-SOC Code"])
    tech: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in onet_rows:
        sid = builder.onet_map.get(clean(r["Example"]))
        if not sid:
            continue
        entry = tech[r["O*NET-SOC Code"]]
        for key, flag in (("tech", True), ("hot", r["Hot Technology"] == "Y")):
            if flag and sid not in entry[key]:
                entry[key].append(sid)
        if r["In Demand"] == "Y" and sid not in entry["dem"]:
            entry["dem"].append(sid)
    onet_roles = []
    for code, row in sorted(titles.items()):
        onet_roles.append(
            _compact(
                {
                    "id": "onet:" + code,
                    "t": row["Title"],
                    "a": _dedupe(alternates.get(code, []), row["Title"])[:MAX_ALT_TITLES],
                    "d": clean(row["Description"]),
                    "code": code,
                    "z": zones.get(code, 0),
                    "tech": tech[code]["tech"] if code in tech else [],
                    "hot": tech[code]["hot"] if code in tech else [],
                    "dem": tech[code]["dem"] if code in tech else [],
                    "rel": related.get(code, []),
                }
            )
        )
    return {"format": FORMAT_VERSION, "other_skills": other, "esco": esco_roles, "onet": onet_roles}


def _dedupe(names: Iterable[str], title: str) -> list[str]:
    seen = {title.lower()}
    out = []
    for name in names:
        name = clean(name)
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def _compact(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v or k in ("id", "t")}


# ----------------------------------------------------------------------------------------------
# Reading the data sets


def read_csv(path: Path, *, optional: bool = False) -> Iterator[dict[str, str]]:
    if optional and not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def common_words(data: Path) -> set[str]:
    """Return words the shared English corpora (descriptions, job ads) use as ordinary words.

    A tool name written in lowercase inside ordinary prose ("make", "access", "spring") is a
    common word; a proper name such as "Python" or "Kubernetes" almost never is.
    """
    counts: Counter[str] = Counter()
    corpora = [
        (data / "esco" / "occupations_en.csv", ("description",)),
        (data / "esco" / "digitalSkillsCollection_en.csv", ("description",)),
        (data / "esco" / "transversalSkillsCollection_en.csv", ("description",)),
        (data / "onet" / "Occupation Data.csv", ("Description",)),
        (data / "jobs" / "nyc-jobs" / "NYC_Jobs.csv", ("Job Description", "Preferred Skills")),
    ]
    for path, columns in corpora:
        if not path.exists():
            continue
        for row in read_csv(path):
            for column in columns:
                counts.update(_WORD.findall(row.get(column) or ""))
    return {w for w, n in counts.items() if n >= 2}


def build(
    data: Path,
    taxonomy_path: Path,
    roles_path: Path | None = None,
    *,
    curated_path: Path | None = None,
) -> dict[str, Any]:
    """Build both files from a data directory; return a small report."""
    started = time.perf_counter()
    curated = json.loads((curated_path or PACKAGE_DATA / "curated.json").read_text("utf-8"))
    builder = Builder(curated, common_words(data))
    builder.add_curated()
    aliases_dir = data / "aliases"
    builder.add_linguist(json.loads((aliases_dir / "linguist-languages.json").read_text("utf-8")))
    onet_rows = list(read_csv(data / "onet" / "Technology Skills.csv"))
    builder.add_onet(onet_rows)
    esco = data / "esco"
    builder.add_esco(list(read_csv(esco / "digitalSkillsCollection_en.csv")), transversal=False)
    transversal = esco / "transversalSkillsCollection_en.csv"
    builder.add_esco(list(read_csv(transversal, optional=True)), transversal=True)
    builder.add_simple_icons(json.loads((aliases_dir / "simple-icons.json").read_text("utf-8")))
    builder.add_esco_hierarchy(read_csv(esco / "broaderRelationsSkillPillar_en.csv", optional=True))
    builder.add_esco_relations(read_csv(esco / "skillSkillRelations_en.csv", optional=True))
    profiles = read_jsonl(esco / "esco_occupation_profiles_derived.jsonl")
    builder.count_esco_occupations(profiles)

    sources = {
        "esco": "ESCO v1.2.0, European Commission",
        "onet": "O*NET 29.2 Database, U.S. Department of Labor/ETA (CC BY 4.0)",
        "linguist": "linguist-languages (MIT)",
        "simple_icons": "simple-icons (CC0)",
    }
    taxonomy = builder.taxonomy_document(sources)
    roles = build_roles(builder, profiles, data / "onet", onet_rows)
    roles["sources"] = {"esco": sources["esco"], "onet": sources["onet"]}
    roles_path = roles_path or taxonomy_path.with_name("roles.json.gz")
    taxonomy_path.parent.mkdir(parents=True, exist_ok=True)
    roles_path.parent.mkdir(parents=True, exist_ok=True)
    sizes = {
        taxonomy_path.name: write_gzip_json(taxonomy_path, taxonomy),
        roles_path.name: write_gzip_json(roles_path, roles),
    }
    return {
        "skills": len(taxonomy["skills"]),
        "esco_roles": len(roles["esco"]),
        "onet_roles": len(roles["onet"]),
        "bytes": sizes,
        "seconds": round(time.perf_counter() - started, 2),
    }


def write_gzip_json(path: Path, doc: dict[str, Any]) -> int:
    """Write a document as compact, reproducible gzip JSON; return its size in bytes."""
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode()
    with (
        path.open("wb") as fh,
        gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0) as gz,
    ):
        gz.write(raw)
    return path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data directory")
    parser.add_argument(
        "--out",
        type=Path,
        default=PACKAGE_DATA / "taxonomy.json.gz",
        help="taxonomy file, or a directory (roles.json.gz is written next to the taxonomy)",
    )
    args = parser.parse_args(argv)
    out = args.out if args.out.suffix == ".gz" else args.out / "taxonomy.json.gz"
    if not (args.data / "esco").is_dir():
        print(f"no ESCO data under {args.data}: pass --data", file=sys.stderr)
        return 2
    report = build(args.data, out)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
