"""Roadmap planning: the skills a person lacks go in, a week-by-week plan comes out. Pure.

The algorithm (``build_plan``):

1. **Units.** Each missing skill becomes a unit to learn. ESCO competences that a catalogued skill
   teaches (``covers`` in the catalogue: "design database scheme" under database management
   systems) are learned together in that skill's unit. Skills the catalogue excludes (products
   learned on the job) are listed, not scheduled; a reviewed alternative is taught instead.
2. **Prerequisites.** A unit's prerequisites (the hand-kept pairs in ``prerequisites.json`` and
   the taxonomy's broader skill when the catalogue can teach it) are added when the person lacks
   them, recursively. Skills they already have, or scored at least 80% confidence on in quizzes,
   are never taught again.
3. **Hours.** A unit takes its catalogue hours to working knowledge, else a default per category
   scaled by the skill's size (its narrower skills). A skill the person can transfer from a
   related one they have (the gap's "transferable") takes 40% of that; an alternative product
   in the same family as one already in the plan (Power BI after Tableau) takes 50% and comes
   right after it. Quiz confidence below 80% shortens a unit in proportion and skips that share
   of its first topics (the basics); a unit starts at intermediate level (intermediate and
   advanced resources before beginner ones) from 50% quiz confidence or when it bridges from a
   related skill the person has.
4. **Order.** A topological sort: prerequisites first; among units that are free to start,
   required before preferred, then the one that unlocks most of the rest of the plan, then the
   most widely used (the number of occupations that list it); a unit whose prerequisite was
   just finished comes next, so Python is followed by NumPy and pandas rather than by an
   unrelated language.
5. **Budget.** A month is four weeks of ``hours_per_week``; 80% of it is study and practice, 20%
   the month's project. With ``months`` the plan takes every required unit and then preferred
   ones (each with its missing prerequisites, or not at all) while they fit; when the required
   ones alone do not fit it says so and returns the shortest plan that covers them
   (``fits: false``, the months needed, the weekly hours that would fit). Without ``months`` it
   takes the required units (preferred ones only when nothing is required). Nothing is planned
   past ``max_months``: the unit that straddles the limit is cut there.
6. **Weeks.** Units are cut into weekly pieces that never exceed the weekly budget; each piece
   is a study task (its share of the unit's topics, the resource to use) and a practice task;
   each month ends with a project and a checkpoint ("can build responsive layouts from
   scratch").

Laying units out in weeks is ``schedule.py``; progress and re-planning (the weeks already past
stay, their unfinished tasks are rescheduled from the current week on) are ``progress.py``.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from careergini.learning.catalogue import Catalogue, Resource, SkillGuide
from careergini.learning.schedule import (
    Cursor,
    join_names,
    learning_capacity,
    plan_weeks,
    week_dates,
)
from careergini.skills.schemas import Skill, Taxonomy

PLAN_VERSION = 1
TRANSFER_FACTOR = 0.4
ALTERNATIVE_FACTOR = 0.5
KNOWN_CONFIDENCE = 0.8
# Quiz confidence from which a skill's unit starts past the basics (intermediate resources).
INTERMEDIATE_CONFIDENCE = 0.5
_LEVEL_REASON = {
    "quiz": "Starts at intermediate level: your quizzes show you know the basics.",
    "bridge": "Starts at intermediate level: the basics carry over from what you know.",
}
MIN_UNIT_HOURS = 2
MAX_HOURS_PER_WEEK = 80
# Hours to working knowledge when the catalogue has no estimate for a skill.
CATEGORY_HOURS = {
    "language": 40,
    "framework": 24,
    "library": 16,
    "database": 20,
    "cloud": 24,
    "devops": 16,
    "data_ml": 24,
    "os": 16,
    "tool": 8,
    "design": 16,
    "networking": 12,
    "security": 16,
    "method": 12,
    "digital": 8,
    "knowledge": 12,
    "soft_skill": 6,
    "business": 10,
}
# Families whose members are interchangeable products: learn one well, bridge to the others.
_NO_BRIDGE_CATEGORIES = {"language", "method", "knowledge", "soft_skill", "digital"}
# A broader skill is a prerequisite only when it is a concrete technology the catalogue teaches
# (Python before Django); generic ESCO skills ("computer programming") are not.
_PREREQUISITE_CATEGORIES = {
    "language",
    "framework",
    "library",
    "database",
    "cloud",
    "devops",
    "data_ml",
    "os",
}
_IMPORTANCE_TIER = {"required": 0, "mentioned": 0, "preferred": 1}

Importance = Literal["required", "mentioned", "preferred"]
Scope = Literal["core", "full"]


@dataclass(frozen=True, slots=True)
class Need:
    """One skill the target asks for and the person lacks, from the gap analysis."""

    skill_id: str
    name: str
    importance: str
    rank: int
    core: bool = True
    hot: bool = False
    in_demand: bool = False
    transfer_from: str | None = None  # the name of a related skill the person has
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PlanOptions:
    hours_per_week: int
    start_date: date
    months: int | None = None
    max_months: int = 24
    scope: Scope = "core"


@dataclass
class Unit:
    """A skill to learn (with the competences it covers), its hours and its place in the plan."""

    key: str
    name: str
    category: str
    importance: str
    rank: int
    popularity: int
    hours: int = 0
    members: list[str] = field(default_factory=list)  # the gap's skill ids this unit teaches
    reasons: list[str] = field(default_factory=list)
    prerequisite_of: list[str] = field(default_factory=list)
    bridge: dict[str, Any] | None = None
    topics: list[str] = field(default_factory=list)
    resource_ids: list[str] = field(default_factory=list)
    added: bool = False  # added as a prerequisite or alternative, not asked for by the target
    level: str = "beginner"  # where the unit starts: "beginner" or "intermediate"

    def to_dict(self) -> dict[str, Any]:
        return {
            "skill_id": self.key,
            "name": self.name,
            "category": self.category,
            "importance": self.importance,
            "hours": self.hours,
            "covers": [m for m in self.members if m != self.key],
            "reason": " ".join(self.reasons),
            "prerequisite_of": self.prerequisite_of,
            "bridge": self.bridge,
            "topics": self.topics,
            "resource_ids": self.resource_ids,
            "level": self.level,
        }


# --- helpers ------------------------------------------------------------------------------------


def _skill(taxonomy: Taxonomy, skill_id: str) -> Skill | None:
    return taxonomy.get(skill_id)


def _name(taxonomy: Taxonomy, skill_id: str) -> str:
    skill = taxonomy.get(skill_id)
    return skill.name if skill else skill_id


def _category(taxonomy: Taxonomy, skill_id: str) -> str:
    skill = taxonomy.get(skill_id)
    return skill.category if skill else "knowledge"


def base_hours(
    skill_id: str, *, catalogue: Catalogue, taxonomy: Taxonomy, guide: SkillGuide | None = None
) -> int:
    """Return the hours to working knowledge of a skill (catalogue, else category and size)."""
    guide = guide or catalogue.guide(skill_id)
    if guide is not None:
        return guide.hours
    category = _category(taxonomy, skill_id)
    size = 1 + 0.1 * min(5, len(taxonomy.narrower(skill_id)))
    return max(MIN_UNIT_HOURS, round(CATEGORY_HOURS.get(category, 12) * size))


def prerequisites_of(skill_id: str, *, catalogue: Catalogue, taxonomy: Taxonomy) -> list[str]:
    """Return a skill's direct prerequisites: hand-kept pairs, then teachable broader skills."""
    found = list(catalogue.prerequisites.get(skill_id, ()))
    skill = taxonomy.get(skill_id)
    if skill is not None:
        ignored = catalogue.not_prerequisites.get(skill_id, ())
        for broader in skill.broader:
            known = taxonomy.get(broader)
            if (
                known is not None
                and known.category in _PREREQUISITE_CATEGORIES
                and catalogue.guide(broader) is not None
                and broader not in ignored
                and broader not in catalogue.umbrella_skills
            ):
                found.append(broader)
    return [s for s in dict.fromkeys(found) if s != skill_id and s in taxonomy]


def starting_level(confidence: float, *, bridged: bool) -> str:
    """Return where a unit starts: intermediate once quizzes show half of the skill or a
    related skill the person has carries the basics over; else beginner."""
    return "intermediate" if confidence >= INTERMEDIATE_CONFIDENCE or bridged else "beginner"


def pick_resources(
    units_key: str, catalogue: Catalogue, *, limit: int = 4, level: str = "beginner"
) -> list[Resource]:
    """Return up to ``limit`` resources of different kinds for a unit, beginner-first; from
    ``intermediate`` on, beginner resources only where there is nothing else of their kind."""
    items = catalogue.resources_for(units_key)
    if level != "beginner":
        past_basics = [r for r in items if r.level != "beginner"]
        # A beginner resource stays, after the others, for a kind nothing else covers.
        covered = {r.kind for r in past_basics}
        items = past_basics + [r for r in items if r.level == "beginner" and r.kind not in covered]
    chosen: list[Resource] = []
    kinds: set[str] = set()
    for resource in items:  # one of each kind first, then fill up
        if resource.kind not in kinds:
            chosen.append(resource)
            kinds.add(resource.kind)
    for resource in items:
        if resource not in chosen:
            chosen.append(resource)
    return chosen[:limit]


# --- units --------------------------------------------------------------------------------------


@dataclass
class _Selection:
    units: dict[str, Unit]
    edges: dict[str, set[str]]  # unit -> units that must come after it
    excluded: list[dict[str, Any]]
    known: list[dict[str, Any]]
    prerequisites_added: list[str]


@dataclass
class _UnitPicker:
    """Turns needs into units: skipping what the person has, teaching an alternative for an
    excluded skill, grouping skills a covering skill teaches, then adding missing prerequisites."""

    have: set[str]
    catalogue: Catalogue
    taxonomy: Taxonomy
    units: dict[str, Unit] = field(default_factory=dict)
    excluded: list[dict[str, Any]] = field(default_factory=list)
    known: list[dict[str, Any]] = field(default_factory=list)

    def ensure(self, key: str, *, importance: str, rank: int, added: bool) -> Unit:
        unit = self.units.get(key)
        if unit is None:
            skill = _skill(self.taxonomy, key)
            unit = Unit(
                key=key,
                name=skill.name if skill else key,
                category=skill.category if skill else "knowledge",
                importance=importance,
                rank=rank,
                popularity=skill.popularity if skill else 0,
                added=added,
            )
            self.units[key] = unit
        elif _IMPORTANCE_TIER[importance] < _IMPORTANCE_TIER[unit.importance]:
            unit.importance = importance
        unit.rank = min(unit.rank, rank)
        unit.added = unit.added and added
        return unit

    def place(self, need: Need) -> None:
        if need.skill_id in self.have:
            self.known.append(
                {
                    "skill_id": need.skill_id,
                    "name": need.name,
                    "why": "You scored well on its quiz, so it is not taught again.",
                }
            )
            return
        exclusion = self.catalogue.exclusions.get(need.skill_id)
        if exclusion is not None:
            self._exclude(need, reason=exclusion.reason, alternative=exclusion.alternative)
            return
        covering = self.catalogue.covering_skill(need.skill_id)
        key = covering if covering and covering not in self.have else need.skill_id
        unit = self.ensure(key, importance=need.importance, rank=need.rank, added=False)
        unit.members.append(need.skill_id)
        if need.reason and need.reason not in unit.reasons:
            unit.reasons.append(need.reason)
        if need.transfer_from and unit.bridge is None:
            unit.bridge = {
                "from": need.transfer_from,
                "factor": TRANSFER_FACTOR,
                "why": f"You have {need.transfer_from}; much of it carries over.",
            }

    def _exclude(self, need: Need, *, reason: str, alternative: str | None) -> None:
        self.excluded.append(
            {
                "skill_id": need.skill_id,
                "name": need.name,
                "importance": need.importance,
                "reason": reason,
                "alternative": alternative,
            }
        )
        if alternative and alternative not in self.have and alternative in self.taxonomy:
            unit = self.ensure(alternative, importance=need.importance, rank=need.rank, added=True)
            unit.reasons.append(f"Taught instead of {need.name}.")

    def add_prerequisites(self) -> tuple[dict[str, set[str]], list[str]]:
        """Add the prerequisites the person lacks, recursively, inheriting the strongest
        importance; return the ordering edges and the units added."""
        edges: dict[str, set[str]] = defaultdict(set)
        added: list[str] = []
        stack = list(self.units)
        while stack:
            key = stack.pop()
            unit = self.units[key]
            for before in prerequisites_of(key, catalogue=self.catalogue, taxonomy=self.taxonomy):
                if before in self.have or before in self.catalogue.exclusions:
                    continue
                is_new = before not in self.units
                prereq = self.ensure(before, importance=unit.importance, rank=unit.rank, added=True)
                if unit.name not in prereq.prerequisite_of:
                    prereq.prerequisite_of.append(unit.name)
                edges[before].add(key)
                if is_new:
                    added.append(before)
                    stack.append(before)
        for key in added:
            unit = self.units[key]
            unit.reasons.append(f"Prerequisite of {join_names(unit.prerequisite_of)}.")
        return edges, added


def _build_units(
    needs: list[Need],
    *,
    known: set[str],
    confidence: Mapping[str, float],
    catalogue: Catalogue,
    taxonomy: Taxonomy,
) -> _Selection:
    have = set(known) | {s for s, c in confidence.items() if c >= KNOWN_CONFIDENCE}
    picker = _UnitPicker(have=have, catalogue=catalogue, taxonomy=taxonomy)
    for need in needs:
        picker.place(need)
    edges, added = picker.add_prerequisites()
    return _Selection(picker.units, edges, picker.excluded, picker.known, added)


def _bridge_alternatives(selection: _Selection, catalogue: Catalogue, taxonomy: Taxonomy) -> None:
    """Make interchangeable products of one family short bridges from the family's main one."""
    by_family: dict[str, list[Unit]] = defaultdict(list)
    for unit in selection.units.values():
        skill = taxonomy.get(unit.key)
        if skill is None:
            continue
        family = next((f for f in skill.families if f in catalogue.alternative_families), None)
        if family is not None:
            by_family[family].append(unit)
    for family, members in by_family.items():
        if len(members) < 2:
            continue
        members.sort(key=lambda u: (-u.hours, -u.popularity, u.rank, u.key))
        primary = members[0]
        for other in members[1:]:
            if other.category in _NO_BRIDGE_CATEGORIES:
                continue  # two languages of one family are still two languages to learn
            if other.bridge is not None or primary.key in _ancestors(other.key, selection.edges):
                continue
            if other.key in _ancestors(primary.key, selection.edges):
                continue  # the "alternative" is a prerequisite of the main one: keep it whole
            other.bridge = {
                "from": primary.name,
                "factor": ALTERNATIVE_FACTOR,
                "why": f"An alternative to {primary.name} ({family.replace('-', ' ')}): "
                "learn the differences.",
            }
            selection.edges[primary.key].add(other.key)


def _descendants(key: str, edges: Mapping[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = [key]
    while stack:
        for after in edges.get(stack.pop(), ()):
            if after not in seen:
                seen.add(after)
                stack.append(after)
    return seen


def _ancestors(key: str, edges: Mapping[str, set[str]]) -> set[str]:
    reverse: dict[str, set[str]] = defaultdict(set)
    for before, afters in edges.items():
        for after in afters:
            reverse[after].add(before)
    seen: set[str] = set()
    stack = [key]
    while stack:
        for before in reverse.get(stack.pop(), ()):
            if before not in seen:
                seen.add(before)
                stack.append(before)
    return seen


def _assign_hours(
    selection: _Selection,
    *,
    confidence: Mapping[str, float],
    catalogue: Catalogue,
    taxonomy: Taxonomy,
) -> None:
    for unit in selection.units.values():
        guide = catalogue.guide(unit.key)
        hours = base_hours(unit.key, catalogue=catalogue, taxonomy=taxonomy, guide=guide)
        hours += 2 * max(0, len([m for m in unit.members if m != unit.key]))
        unit.hours = hours
        unit.topics = list(guide.topics) if guide else []
    _bridge_alternatives(selection, catalogue, taxonomy)
    for unit in selection.units.values():
        factor = unit.bridge["factor"] if unit.bridge else 1.0
        score = confidence.get(unit.key, 0.0)
        if 0 < score < KNOWN_CONFIDENCE:
            factor *= 1 - 0.5 * score
            unit.reasons.append(f"Shortened: your quiz confidence is {round(score * 100)}%.")
        unit.hours = max(MIN_UNIT_HOURS, round(unit.hours * factor))
        unit.level = starting_level(score, bridged=unit.bridge is not None)
        if unit.level != "beginner":
            unit.reasons.append(
                _LEVEL_REASON["quiz" if score >= INTERMEDIATE_CONFIDENCE else "bridge"]
            )
        if score > 0 and len(unit.topics) > 1:
            # What the quizzes showed is known: the first topics (the basics) are skipped.
            skip = min(len(unit.topics) - 1, math.floor(len(unit.topics) * score))
            unit.topics = unit.topics[skip:]
        elif unit.bridge and unit.topics:
            keep = max(1, math.ceil(len(unit.topics) * factor))
            unit.topics = unit.topics[:keep]
        unit.resource_ids = [r.id for r in pick_resources(unit.key, catalogue, level=unit.level)]


def _order(selection: _Selection) -> list[Unit]:
    """Topologically sort the units; prefer dependents of what was just scheduled."""
    units = selection.units
    indegree = {key: 0 for key in units}
    for before, afters in selection.edges.items():
        for after in afters:
            if before in units and after in units:
                indegree[after] += 1

    unlocks = {key: len(_descendants(key, selection.edges) & set(units)) for key in units}

    def base_key(unit: Unit) -> tuple[int, int, int, int, str]:
        # Required first; then what unlocks most of the plan; then the most widely used.
        return (
            _IMPORTANCE_TIER[unit.importance],
            -unlocks[unit.key],
            -unit.popularity,
            unit.rank,
            unit.key,
        )

    ready: list[tuple[Any, ...]] = [
        (1, *base_key(units[k]), k) for k, degree in indegree.items() if degree == 0
    ]
    heapq.heapify(ready)
    ordered: list[Unit] = []
    done: set[str] = set()
    while len(ordered) < len(units):
        if not ready:  # a cycle in the relations: break it at the best remaining unit
            rest = sorted((base_key(units[k]), k) for k in units if k not in done)
            key = rest[0][1]
            indegree[key] = 0
            heapq.heappush(ready, (1, *base_key(units[key]), key))
        entry = heapq.heappop(ready)
        key = entry[-1]
        if key in done:
            continue
        done.add(key)
        ordered.append(units[key])
        for after in sorted(selection.edges.get(key, ())):
            if after not in units or after in done:
                continue
            indegree[after] -= 1
            if indegree[after] == 0:
                # Boost: a unit whose prerequisite was just learned comes next.
                heapq.heappush(ready, (0, *base_key(units[after]), after))
    return ordered


# --- budget ------------------------------------------------------------------------------------


@dataclass
class Budget:
    chosen: list[Unit]
    dropped: list[dict[str, Any]]
    fits: bool
    required_hours: int


def _choose(ordered: list[Unit], options: PlanOptions, selection: _Selection) -> Budget:
    required = [u for u in ordered if u.importance != "preferred"]
    preferred = [u for u in ordered if u.importance == "preferred"]
    required_hours = sum(u.hours for u in required)
    dropped: list[dict[str, Any]] = []
    cap = learning_capacity(options.hours_per_week, options.max_months)
    if options.months is None:
        chosen = required if required else preferred
        if required:
            dropped += [
                dropped_entry(u, "Preferred: give `months` to make room for it.") for u in preferred
            ]
        fits = True
    else:
        budget = learning_capacity(options.hours_per_week, options.months)
        fits = required_hours <= budget
        chosen = list(required)
        used = required_hours
        taken = {u.key for u in chosen}
        asked = {u.key for u in preferred if not u.added}
        for unit in preferred:
            if unit.key in taken:
                continue
            if unit.added and _descendants(unit.key, selection.edges) & asked:
                continue  # a prerequisite comes in with what needs it, or not at all
            package = [unit] + [
                selection.units[key]
                for key in sorted(_ancestors(unit.key, selection.edges))
                if key in selection.units and key not in taken
            ]
            hours = sum(u.hours for u in package)
            if used + hours <= budget:
                chosen += package
                taken.update(u.key for u in package)
                used += hours
            else:
                dropped.append(
                    dropped_entry(unit, "Preferred, and it does not fit the time budget.")
                )
        for unit in preferred:
            if unit.key not in taken and unit.added and unit.prerequisite_of:
                needed_by = join_names(unit.prerequisite_of)
                dropped.append(dropped_entry(unit, f"Only needed for {needed_by}, left out."))
        keep = {u.key for u in chosen}
        chosen = [u for u in ordered if u.key in keep]
    within, beyond = cap_units(chosen, cap, options.max_months)
    return Budget(within, dropped + beyond, fits and not beyond, required_hours)


def cap_units(
    units: list[Unit], cap: int, max_months: int
) -> tuple[list[Unit], list[dict[str, Any]]]:
    """Keep the units that fit before the planning limit; the one that straddles it is cut."""
    within: list[Unit] = []
    beyond: list[dict[str, Any]] = []
    total = 0
    for unit in units:
        room = cap - total
        if unit.hours <= room:
            within.append(unit)
            total += unit.hours
            continue
        if room >= MIN_UNIT_HOURS and not beyond:
            keep = max(1, len(unit.topics) * room // max(1, unit.hours)) if unit.topics else 0
            cut = replace(unit, hours=room, topics=unit.topics[:keep], reasons=[*unit.reasons])
            cut.reasons.append(
                f"Only its first {room} of {unit.hours} h fit within the {max_months}-month "
                "planning limit."
            )
            within.append(cut)
            total += room
        beyond.append(dropped_entry(unit, f"Beyond the {max_months}-month planning limit."))
    return within, beyond


def dropped_entry(unit: Unit, reason: str) -> dict[str, Any]:
    return {
        "skill_id": unit.key,
        "name": unit.name,
        "importance": unit.importance,
        "hours": unit.hours,
        "reason": reason,
    }


# --- plans -------------------------------------------------------------------------------------


def build_plan(
    needs: Iterable[Need],
    *,
    known: Iterable[str],
    confidence: Mapping[str, float],
    catalogue: Catalogue,
    taxonomy: Taxonomy,
    options: PlanOptions,
    quiz_skills: Iterable[str] = (),
) -> dict[str, Any]:
    """Return a roadmap plan (JSON-ready) teaching the needed skills within the time budget."""
    needs = [n for n in needs if options.scope == "full" or n.core]
    selection = _build_units(
        needs, known=set(known), confidence=confidence, catalogue=catalogue, taxonomy=taxonomy
    )
    _assign_hours(selection, confidence=confidence, catalogue=catalogue, taxonomy=taxonomy)
    ordered = _order(selection)
    budget = _choose(ordered, options, selection)
    total_study = sum(u.hours for u in budget.chosen)
    month_study = learning_capacity(options.hours_per_week, 1)
    months_needed = max(1, math.ceil(total_study / month_study)) if total_study else 0
    cursor = Cursor(week=1, month=1, revision=1)
    weeks, months = plan_weeks(
        budget.chosen,
        hours_per_week=options.hours_per_week,
        start_date=options.start_date,
        cursor=cursor,
        catalogue=catalogue,
        quiz_skills=set(quiz_skills),
        month_count_hint=months_needed,
    )
    plan = _assemble(
        units=budget.chosen,
        weeks=weeks,
        months=months,
        options=options,
        catalogue=catalogue,
        revision=1,
    )
    required_study = sum(u.hours for u in budget.chosen if u.importance != "preferred")
    plan.update(
        {
            "requested_months": options.months,
            "scope": options.scope,
            "fits": budget.fits,
            "dropped": selection.excluded + budget.dropped,
            "known": selection.known,
            "prerequisites_added": [
                u.key for u in budget.chosen if u.key in set(selection.prerequisites_added)
            ],
            "completed_ahead": [],
            "history_weeks": 0,
        }
    )
    plan["hours_per_week_needed"] = hours_per_week_needed(required_study, options)
    plan["message"] = _message(plan, options, budget)
    return plan


def hours_per_week_needed(required_study: int, options: PlanOptions) -> int | None:
    if options.months is None:
        return None
    for hours in range(1, MAX_HOURS_PER_WEEK + 1):
        if learning_capacity(hours, options.months) >= required_study:
            return hours
    return MAX_HOURS_PER_WEEK + 1


def _assemble(
    *,
    units: list[Unit],
    weeks: list[dict[str, Any]],
    months: list[dict[str, Any]],
    options: PlanOptions,
    catalogue: Catalogue,
    revision: int,
) -> dict[str, Any]:
    first_week: dict[str, int] = {}
    last_week: dict[str, int] = {}
    for week in weeks:
        for task in week["tasks"]:
            key = task["skill_id"]
            if key:
                first_week.setdefault(key, week["index"])
                last_week[key] = week["index"]
    unit_dicts = []
    resource_ids: list[str] = []
    for unit in units:
        data = unit.to_dict()
        data["first_week"] = first_week.get(unit.key)
        data["last_week"] = last_week.get(unit.key)
        unit_dicts.append(data)
        resource_ids += unit.resource_ids
    resources = {
        rid: catalogue.resources[rid].to_dict()
        for rid in dict.fromkeys(resource_ids)
        if rid in catalogue.resources
    }
    end = week_dates(options.start_date, weeks[-1]["index"])[1] if weeks else options.start_date
    return {
        "version": PLAN_VERSION,
        "revision": revision,
        "hours_per_week": options.hours_per_week,
        "start_date": options.start_date.isoformat(),
        "end_date": end.isoformat(),
        "weeks_total": len(weeks),
        "months_total": len(months),
        "total_hours": sum(w["hours"] for w in weeks),
        "study_hours": sum(u.hours for u in units),
        "project_hours": sum(m["project"]["hours"] for m in months),
        "units": unit_dicts,
        "months": months,
        "weeks": weeks,
        "resources": resources,
        "overview": _overview(units, months, options),
        "overview_source": "template",
    }


def _overview(units: list[Unit], months: list[dict[str, Any]], options: PlanOptions) -> str:
    if not units:
        return "Nothing to learn for this target: your profile already covers what it asks for."
    names = [u.name for u in units]
    first = join_names(names[:3])
    return (
        f"{len(months)} month(s) at {options.hours_per_week} h a week, {len(units)} skill(s) in "
        f"order of prerequisites and importance, starting with {first}. Each month ends with a "
        "project and a checkpoint."
    )


def _message(plan: dict[str, Any], options: PlanOptions, budget: Budget) -> str:
    months = plan["months_total"]
    pace = f"{options.hours_per_week} h/week"
    if not plan["weeks"]:
        return "Nothing to schedule: the profile already covers this target."
    dropped_preferred = [d["name"] for d in budget.dropped if d["importance"] == "preferred"]
    extra = (
        f" Left out (preferred): {join_names(dropped_preferred[:8])}." if dropped_preferred else ""
    )
    if options.months is None:
        return f"{months} month(s) at {pace}.{extra}"
    if budget.fits and months <= options.months:
        return f"Fits in {options.months} month(s) at {pace} ({months} planned).{extra}"
    needed = plan["hours_per_week_needed"]
    faster = (
        f"about {needed} h/week would finish in {options.months} month(s)"
        if needed and needed <= MAX_HOURS_PER_WEEK
        else f"no pace up to {MAX_HOURS_PER_WEEK} h/week finishes in {options.months} month(s)"
    )
    return (
        f"Does not fit in {options.months} month(s) at {pace}: the required skills need "
        f"{months} month(s) at this pace ({faster}). This is the shortest plan that covers "
        f"them.{extra}"
    )
