"""Build the role catalogue: ESCO and O*NET occupations with their skills as taxonomy ids."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from careergini.skills.taxonomy import FORMAT_VERSION
from careergini.skills.taxonomy_build.builder import Builder
from careergini.skills.taxonomy_build.names import clean, esco_id
from careergini.skills.taxonomy_build.sources import read_csv

MAX_ALT_TITLES = 60


class _SkillRefs:
    """ESCO profiles' skill names as taxonomy ids, or as indexes into a list of other skills."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.other: list[str] = []
        self._index: dict[str, int] = {}

    def ref(self, name: str) -> str | int:
        sid = self.builder.esco_skill_id(name)
        if sid:
            return sid
        if name not in self._index:
            self._index[name] = len(self.other)
            self.other.append(name)
        return self._index[name]


def build_roles(
    builder: Builder,
    profiles: list[dict[str, Any]],
    onet_dir: Path,
    onet_rows: list[dict[str, str]],
) -> dict[str, Any]:
    """Return the role catalogue: ESCO occupations and O*NET occupations, skills as ids."""
    refs = _SkillRefs(builder)
    esco_roles = [_esco_role(p, refs) for p in sorted(profiles, key=lambda p: p["occupation_name"])]
    onet_roles = _onet_roles(builder, onet_dir, onet_rows)
    return {
        "format": FORMAT_VERSION,
        "other_skills": refs.other,
        "esco": esco_roles,
        "onet": onet_roles,
    }


def _esco_role(profile: dict[str, Any], refs: _SkillRefs) -> dict[str, Any]:
    return _compact(
        {
            "id": "esco:" + esco_id(profile["occupation_uri"]),
            "t": clean(profile["occupation_name"]),
            "a": _dedupe(profile.get("alternative_names") or [], profile["occupation_name"]),
            "d": clean(profile.get("occupation_description") or ""),
            "code": profile.get("isco_code") or "",
            "grp": profile.get("isco_group_name") or "",
            "e": [refs.ref(n) for n in profile.get("essential_skills") or []],
            "o": [refs.ref(n) for n in profile.get("optional_skills") or []],
        }
    )


def _onet_roles(
    builder: Builder, onet_dir: Path, onet_rows: list[dict[str, str]]
) -> list[dict[str, Any]]:
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
    tech = _technologies(builder, onet_rows)
    return [
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
        for code, row in sorted(titles.items())
    ]


def _technologies(
    builder: Builder, onet_rows: list[dict[str, str]]
) -> dict[str, dict[str, list[str]]]:
    """Return each occupation's technologies as skill ids: all, hot, and in demand."""
    tech: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in onet_rows:
        sid = builder.onet_map.get(clean(r["Example"]))
        if not sid:
            continue
        entry = tech[r["O*NET-SOC Code"]]
        for key, flag in (
            ("tech", True),
            ("hot", r["Hot Technology"] == "Y"),
            ("dem", r["In Demand"] == "Y"),
        ):
            if flag and sid not in entry[key]:
                entry[key].append(sid)
    return tech


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
