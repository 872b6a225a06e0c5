"""Merge every import of a person into one profile, with provenance, conflicts and user edits.

Pure: imports and edits in, a :class:`MergedProfile` out. The rules:
- every fact keeps the imports it came from (``sources``);
- when imports disagree, the newest import's value leads and the others stay beside it
  (``alternatives``) for the user to choose; nothing is silently overwritten;
- positions and degrees from several imports are one entry when company and title (institution
  and degree) match; their bullets are united and date disagreements are kept in ``conflicts``;
- skills are one entry per canonical skill id, with all their evidence;
- user edits are applied last, so a re-import never undoes them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, Field

from careergini.core.text import NOT_NULL, NoNulModel
from careergini.profile.schemas import (
    Certification,
    EducationEntry,
    Language,
    ParsedProfile,
    PartialDate,
    Project,
    SkillEvidence,
    WorkEntry,
)

BASIC_FIELDS = ("name", "headline", "email", "phone", "location", "linkedin", "github", "website")
BasicField = Literal[
    "name", "headline", "email", "phone", "location", "linkedin", "github", "website"
]


class Source(BaseModel):
    import_id: str
    kind: str
    label: str | None = None


class Alternative(BaseModel):
    value: str
    sources: list[Source]


Confidence = Literal["high", "low"]
# Imports whose fields are typed by the person into labelled fields (LinkedIn, JSON Resume,
# GitHub): nothing there is guessed from a page's layout.
STRUCTURED_KINDS = frozenset({"linkedin_export", "json_resume", "github"})


class Fact(BaseModel):
    value: str | None = None
    sources: list[Source] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)
    edited: bool = False
    confidence: Confidence = Field(
        default="high", description="low: read with doubt; not printed until you confirm it"
    )
    confirmed: bool = False


class _MergedEntry(BaseModel):
    """What a merged position or degree adds to the parsed one: identity, provenance, edits."""

    key: str
    sources: list[Source] = Field(default_factory=list)
    conflicts: dict[str, list[str]] = Field(default_factory=dict)
    edited: bool = False
    hidden: bool = False
    confidence: Confidence = "high"
    confirmed: bool = False


# With _MergedEntry first among the bases, the parsed entry's fields come first in the JSON.
class MergedWork(_MergedEntry, WorkEntry):
    pass


class MergedEducation(_MergedEntry, EducationEntry):
    pass


EntryT = TypeVar("EntryT", WorkEntry, EducationEntry)
MergedT = TypeVar("MergedT", MergedWork, MergedEducation)


class MergedEvidence(SkillEvidence):
    import_id: str | None = None


class MergedSkill(BaseModel):
    skill_id: str | None
    name: str
    category: str | None = None
    evidence: list[MergedEvidence] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    added_by_user: bool = False
    # The newest year any evidence for the skill dates from (a position's end, or "now").
    last_used_year: int | None = None
    # low: the text never names the skill itself, only words it was associated with.
    confidence: Confidence = "high"
    confirmed: bool = False


class ToConfirm(BaseModel):
    """A field read with doubt: shown to the person, printed nowhere until confirmed or edited."""

    section: Literal["basics", "work", "education", "skills"]
    ref: str = Field(description="what to send in a patch's confirm list")
    question: str


class MergedProject(Project):
    sources: list[Source] = Field(default_factory=list)


class MergedProfile(BaseModel):
    basics: dict[str, Fact] = Field(default_factory=dict)
    summary: Fact = Field(default_factory=Fact)
    work: list[MergedWork] = Field(default_factory=list)
    education: list[MergedEducation] = Field(default_factory=list)
    skills: list[MergedSkill] = Field(default_factory=list)
    projects: list[MergedProject] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    to_confirm: list[ToConfirm] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportInput:
    """One stored import as the merge sees it."""

    id: str
    kind: str
    label: str | None
    created_at: datetime
    profile: ParsedProfile


def normalize(text: str | None) -> str:
    """Fold case, punctuation and company suffixes so "Acme, Inc." matches "ACME inc"."""
    if not text:
        return ""
    folded = re.sub(r"[^\w\s]", " ", text.casefold())
    folded = re.sub(r"\b(inc|llc|ltd|gmbh|corp|corporation|co|plc|sa|ag)\b", " ", folded)
    return " ".join(folded.split())


def entry_key(prefix: str, *parts: str | None) -> str:
    digest = hashlib.sha1("|".join(normalize(p) for p in parts).encode()).hexdigest()  # noqa: S324
    return f"{prefix}-{digest[:12]}"


def _date_text(date: PartialDate | None) -> str | None:
    if date is None:
        return None
    if date.present:
        return "present"
    if date.year is None:
        return None
    return f"{date.year:04d}-{date.month:02d}" if date.month else f"{date.year:04d}"


def _basic_value(profile: ParsedProfile, name: str) -> str | None:
    basics = profile.basics
    if name in ("linkedin", "github", "website"):
        return getattr(basics.links, name)
    return getattr(basics, name)


def _merge_fact(values: Iterable[tuple[str | None, Source]]) -> Fact:
    """Newest first: the first value leads, differing ones become alternatives."""
    fact = Fact()
    alternatives: dict[str, Alternative] = {}
    for value, source in values:
        if not value or not value.strip():
            continue
        value = value.strip()
        if fact.value is None:
            fact.value, fact.sources = value, [source]
        elif normalize(value) == normalize(fact.value):
            fact.sources.append(source)
        elif normalize(value) in alternatives:
            alternatives[normalize(value)].sources.append(source)
        else:
            alternatives[normalize(value)] = Alternative(value=value, sources=[source])
    fact.alternatives = list(alternatives.values())
    return fact


def _note_conflict(conflicts: dict[str, list[str]], name: str, *values: str | None) -> None:
    distinct = [v for v in dict.fromkeys(values) if v]
    if len(distinct) > 1:
        seen = conflicts.setdefault(name, [])
        seen.extend(v for v in distinct if v not in seen)


def fold(text: str | None) -> str:
    """Like :func:`normalize`, with accents dropped too ("Boğaziçi" = "Bogazici")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return normalize("".join(c for c in decomposed if not unicodedata.combining(c)))


# Two bullets of one position are one when their folded words are this similar: the same line
# from a PDF and a LinkedIn export differs by an article, a comma or a final period.
BULLET_SIMILARITY = 0.9
# The characters compared: enough to tell two bullets apart, few enough that a file of long,
# look-alike lines cannot make the merge quadratic in their length.
_COMPARED = 200
# Pairs of bullets compared by similarity in one merge of two entries (a real position has a
# dozen lines); beyond it, only lines equal once folded are one.
_PAIRS = 2000
_FILLER = frozenset({"a", "an", "the"})


def _bullet_words(bullet: str) -> str:
    return " ".join(w for w in fold(bullet).split() if w not in _FILLER)


def _numbers(words: str) -> list[str]:
    return re.findall(r"\d+", words)


def same_bullet(first: str, second: str) -> bool:
    """Say whether two bullets of one position say the same thing in near-identical words."""
    a, b = _bullet_words(first), _bullet_words(second)
    if a == b:
        return True
    if _numbers(a) != _numbers(b):
        return False  # "by 37%" and "by 73%" are two facts, however alike the words
    if min(len(a), len(b)) < BULLET_SIMILARITY * max(len(a), len(b)):
        return False
    matcher = SequenceMatcher(None, a[:_COMPARED], b[:_COMPARED], autojunk=False)
    # quick_ratio bounds ratio from above: most pairs are told apart without the full match.
    return (
        matcher.real_quick_ratio() >= BULLET_SIMILARITY
        and matcher.quick_ratio() >= BULLET_SIMILARITY
        and matcher.ratio() >= BULLET_SIMILARITY
    )


def _union(first: Sequence[str], second: Sequence[str]) -> list[str]:
    """Return the first bullets and those of the second that none of them already says."""
    merged = list(first)
    folded = {_bullet_words(b) for b in merged}
    budget = _PAIRS
    for bullet in second:
        words = _bullet_words(bullet)
        if words in folded:
            continue
        budget -= len(merged)
        if budget >= 0 and any(same_bullet(bullet, kept) for kept in merged):
            continue
        merged.append(bullet)
        folded.add(words)
    return merged


def _merge_entries(
    imports: Sequence[ImportInput],
    *,
    prefix: str,
    entries: Callable[[ParsedProfile], Sequence[EntryT]],
    identity: Callable[[EntryT], tuple[str | None, str | None]],
    raw: Callable[[EntryT], tuple[str | None, str | None]],
    merged_type: type[MergedT],
    fill: Callable[[MergedT, EntryT], None],
) -> list[MergedT]:
    """Make the imports' entries one per ``identity``, most recent first.

    A repeat adds its source and its new bullets, a missing date, a date it disagrees on to
    ``conflicts``, and through ``fill`` what else its kind takes from it.
    """
    merged: dict[str, MergedT] = {}
    for item in imports:
        source = Source(import_id=item.id, kind=item.kind, label=item.label)
        for entry in entries(item.profile):
            parts = identity(entry)
            if not any(parts):
                continue
            # The key is the first entry's own (stable for the user's edits); the identity
            # groups the entries that name the same position (degree) in other words.
            same = "|".join(p or "" for p in parts)
            existing = merged.get(same)
            if existing is None:
                key = entry_key(prefix, *raw(entry))
                merged[same] = merged_type(**entry.model_dump(), key=key, sources=[source])
                continue
            existing.sources.append(source)
            existing.bullets = _union(existing.bullets, entry.bullets)
            for name in ("start", "end"):
                ours, theirs = getattr(existing, name), getattr(entry, name)
                if ours is None:
                    setattr(existing, name, theirs)
                else:
                    _note_conflict(existing.conflicts, name, _date_text(ours), _date_text(theirs))
            fill(existing, entry)
    return sorted(merged.values(), key=_recency, reverse=True)


def _fill_work(existing: MergedWork, entry: WorkEntry) -> None:
    existing.location = existing.location or entry.location
    existing.current = existing.current or entry.current


def _merge_work(imports: Sequence[ImportInput]) -> list[MergedWork]:
    return _merge_entries(
        imports,
        prefix="work",
        entries=lambda profile: profile.work,
        identity=lambda entry: (fold(entry.company), fold(entry.title)),
        raw=lambda entry: (entry.company, entry.title),
        merged_type=MergedWork,
        fill=_fill_work,
    )


def _recency(entry: MergedWork | MergedEducation) -> tuple[int, int]:
    current = isinstance(entry, MergedWork) and entry.current  # a degree has no "current"
    end = entry.end.sort_key() if entry.end else (9999, 12) if current else (0, 0)
    start = entry.start.sort_key() if entry.start else (0, 0)
    return max(end, start)


def _fill_education(existing: MergedEducation, entry: EducationEntry) -> None:
    for name in ("field", "grade", "location"):
        if getattr(existing, name) is None:
            setattr(existing, name, getattr(entry, name))


# Degree names as resumes and LinkedIn write them, folded to one spelling each.
_DEGREES = {
    "bachelor of science": ("bs", "bsc", "b s", "b sc", "bachelor of science bs", "sb"),
    "bachelor of arts": ("ba", "b a", "bachelor of arts ba", "ab"),
    "bachelor of engineering": ("be", "beng", "b eng", "bachelor of engineering beng"),
    "master of science": ("ms", "msc", "m s", "m sc", "master of science ms", "sm"),
    "master of arts": ("ma", "m a", "master of arts ma"),
    "master of engineering": ("meng", "m eng", "master of engineering meng"),
    "master of business administration": ("mba", "master of business administration mba"),
    "doctor of philosophy": ("phd", "ph d", "dphil", "doctor of philosophy phd"),
}
_DEGREE_SPELLINGS = {
    spelling: name for name, spellings in _DEGREES.items() for spelling in (name, *spellings)
}


def degree_key(degree: str | None) -> str:
    """Fold a degree's name so "B.S.", "BSc" and "Bachelor of Science - BS" are one degree."""
    folded = fold(degree)
    return _DEGREE_SPELLINGS.get(folded, folded)


def _merge_education(imports: Sequence[ImportInput]) -> list[MergedEducation]:
    return _merge_entries(
        imports,
        prefix="edu",
        entries=lambda profile: profile.education,
        identity=lambda entry: (fold(entry.institution), degree_key(entry.degree)),
        raw=lambda entry: (entry.institution, entry.degree),
        merged_type=MergedEducation,
        fill=_fill_education,
    )


def _skill_year(evidence: SkillEvidence, work: Sequence[WorkEntry], now_year: int) -> int | None:
    if evidence.work_index is None or evidence.work_index >= len(work):
        return None
    entry = work[evidence.work_index]
    if entry.current or (entry.end and entry.end.present):
        return now_year
    for date in (entry.end, entry.start):
        if date and date.year:
            return date.year
    return None


def _merge_skills(imports: Sequence[ImportInput], now_year: int) -> list[MergedSkill]:
    merged: dict[str, MergedSkill] = {}
    for item in imports:
        source = Source(import_id=item.id, kind=item.kind, label=item.label)
        for skill in item.profile.skills:
            key = skill.skill_id or f"name:{normalize(skill.name)}"
            existing = merged.setdefault(
                key, MergedSkill(skill_id=skill.skill_id, name=skill.name, category=skill.category)
            )
            if source.import_id not in {s.import_id for s in existing.sources}:
                existing.sources.append(source)
            for evidence in skill.evidence:
                existing.evidence.append(MergedEvidence(**evidence.model_dump(), import_id=item.id))
                year = _skill_year(evidence, item.profile.work, now_year)
                if year and (existing.last_used_year is None or year > existing.last_used_year):
                    existing.last_used_year = year
    return sorted(merged.values(), key=lambda s: (-len(s.evidence), s.name.casefold()))


def _merge_projects(imports: Sequence[ImportInput]) -> list[MergedProject]:
    merged: dict[str, MergedProject] = {}
    for item in imports:
        source = Source(import_id=item.id, kind=item.kind, label=item.label)
        for project in item.profile.projects:
            key = (
                normalize(project.name) or normalize(project.url) or normalize(project.description)
            )
            if not key:
                continue
            existing = merged.get(key)
            if existing is None:
                merged[key] = MergedProject(**project.model_dump(), sources=[source])
            else:
                existing.sources.append(source)
                existing.bullets = _union(existing.bullets, project.bullets)
                existing.skills = list(dict.fromkeys([*existing.skills, *project.skills]))
                existing.description = existing.description or project.description
                existing.url = existing.url or project.url
    return list(merged.values())


def _dedupe_by(items: Iterable[Any], attribute: str) -> list[Any]:
    seen: dict[str, Any] = {}
    for item in items:
        key = normalize(getattr(item, attribute))
        if key and key not in seen:
            seen[key] = item
    return list(seen.values())


def merge_imports(imports: Sequence[ImportInput], *, now_year: int) -> MergedProfile:
    """Merge parsed imports (any order) into one profile, without user edits."""
    newest_first = sorted(imports, key=lambda i: i.created_at, reverse=True)
    oldest_first = list(reversed(newest_first))

    def sourced(getter: Any) -> list[tuple[str | None, Source]]:
        return [
            (getter(i.profile), Source(import_id=i.id, kind=i.kind, label=i.label))
            for i in newest_first
        ]

    return MergedProfile(
        basics={
            name: _merge_fact(sourced(lambda p, n=name: _basic_value(p, n)))
            for name in BASIC_FIELDS
        },
        summary=_merge_fact(sourced(lambda p: p.summary)),
        work=_merge_work(oldest_first),
        education=_merge_education(oldest_first),
        skills=_merge_skills(oldest_first, now_year),
        projects=_merge_projects(oldest_first),
        certifications=_dedupe_by(
            (c for i in newest_first for c in i.profile.certifications), "name"
        ),
        languages=_dedupe_by(
            (lang for i in newest_first for lang in i.profile.languages), "language"
        ),
    )


# --- user edits -------------------------------------------------------------------------------


class _Edit(NoNulModel):
    model_config = {"extra": "forbid"}


class WorkEdit(_Edit):
    key: str | None = Field(default=None, description="an entry's key; omit to add a position")
    company: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=200)
    location: str | None = Field(default=None, max_length=200)
    start: str | None = Field(default=None, max_length=40, description='"2019-03", "Mar 2019"')
    end: str | None = Field(default=None, max_length=40, description='a date or "Present"')
    current: Annotated[bool | None, NOT_NULL] = Field(
        default=None, description="you still hold the position (true or false, not null)"
    )
    bullets: list[str] | None = Field(default=None, max_length=50)
    hidden: Annotated[bool | None, NOT_NULL] = Field(
        default=None, description="hide the entry without deleting it (true or false, not null)"
    )


class EducationEdit(_Edit):
    key: str | None = None
    institution: str | None = Field(default=None, max_length=200)
    degree: str | None = Field(default=None, max_length=200)
    field: str | None = Field(default=None, max_length=200)
    grade: str | None = Field(default=None, max_length=60)
    start: str | None = Field(default=None, max_length=40)
    end: str | None = Field(default=None, max_length=40)
    hidden: Annotated[bool | None, NOT_NULL] = Field(
        default=None, description="hide the entry without deleting it (true or false, not null)"
    )


class ProfilePatch(_Edit):
    """Corrections a user makes; they are kept through later re-imports."""

    basics: dict[BasicField, str | None] | None = Field(
        default=None, description="set a field; null removes your correction"
    )
    summary: str | None = Field(default=None, max_length=5000)
    work: list[WorkEdit] | None = Field(default=None, max_length=100)
    education: list[EducationEdit] | None = Field(default=None, max_length=50)
    skills_add: list[str] = Field(default_factory=list, max_length=100)
    skills_remove: list[str] = Field(default_factory=list, max_length=100)
    confirm: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="refs from to_confirm: fields you checked and found right",
    )


class EditError(ValueError):
    """A patch names something that is not in the profile."""


_DATE_FIELDS = ("start", "end")
DateParser = Callable[[str], PartialDate | None]


def _parse_edit_date(value: str | None, parse_date: DateParser) -> dict[str, Any] | None:
    if value is None or not value.strip():
        return None
    if value.strip().casefold() in {"present", "current", "now"}:
        return PartialDate(present=True, raw=value.strip()).model_dump()
    date = parse_date(value)
    if date is None:
        raise EditError(f'"{value}" is not a date; write it like "2019-03" or "Mar 2019".')
    return date.model_dump()


def _entry_changes(edit: _Edit, parse_date: DateParser) -> dict[str, Any]:
    changes = edit.model_dump(exclude_unset=True, exclude={"key"})
    for name in _DATE_FIELDS:
        if name in changes:
            changes[name] = _parse_edit_date(changes[name], parse_date)
    return changes


def update_edits(
    stored: dict[str, Any],
    patch: ProfilePatch,
    merged: MergedProfile,
    *,
    parse_date: DateParser,
    new_key: Callable[[str], str],
) -> dict[str, Any]:
    """Return the stored edits with a patch folded in; raise EditError on unknown entries."""
    edits: dict[str, Any] = {
        k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
        for k, v in stored.items()
    }
    fields = patch.model_fields_set
    if "basics" in fields and patch.basics is not None:
        edits["basics"] = _patched_basics(edits.get("basics", {}), patch.basics)
    if "summary" in fields:
        if patch.summary is None or not patch.summary.strip():
            edits.pop("summary", None)
        else:
            edits["summary"] = patch.summary.strip()
    sections: tuple[tuple[str, Sequence[WorkEdit | EducationEdit] | None, set[str]], ...] = (
        ("work", patch.work, {w.key for w in merged.work}),
        ("education", patch.education, {e.key for e in merged.education}),
    )
    for section, entries, known in sections:
        if entries is not None:
            _patch_entries(edits, section, entries, known, parse_date=parse_date, new_key=new_key)
    if patch.confirm:
        waiting = {c.ref for c in merged.to_confirm}
        unknown = [ref for ref in patch.confirm if ref not in waiting]
        if unknown:
            raise EditError(
                "Something you confirmed is no longer waiting for confirmation (an import was "
                "removed or read again). Reload your profile and confirm what it shows."
            )
        edits["confirmed"] = list(dict.fromkeys([*edits.get("confirmed", []), *patch.confirm]))
    if patch.skills_add or patch.skills_remove:
        edits["skills_add"], edits["skills_remove"] = _patched_skills(
            [s.strip() for s in edits.get("skills_add", [])],
            [s.strip() for s in edits.get("skills_remove", [])],
            patch,
        )
    return edits


def _patched_basics(
    stored: dict[str, str], patch: Mapping[BasicField, str | None]
) -> dict[str, str]:
    """Set the basics the patch names; an empty value drops the user's correction."""
    basics = dict(stored)
    for name, value in patch.items():
        if value is None or not value.strip():
            basics.pop(name, None)
        else:
            basics[name] = value.strip()
    return basics


def _patch_entries(
    edits: dict[str, Any],
    section: str,
    entries: Sequence[WorkEdit | EducationEdit],
    known: set[str],
    *,
    parse_date: DateParser,
    new_key: Callable[[str], str],
) -> None:
    """Fold entry edits into ``section`` (changes to merged entries) and ``section_new``."""
    changed = {k: dict(v) for k, v in edits.get(section, {}).items()}
    added = {k: dict(v) for k, v in edits.get(f"{section}_new", {}).items()}
    for edit in entries:
        key = edit.key
        changes = _entry_changes(edit, parse_date)
        if key is None:
            added[new_key(section)] = changes
        elif key in added:
            added[key].update(changes)
        elif key in known:
            changed.setdefault(key, {}).update(changes)
        else:
            what = "position" if section == "work" else "degree"
            raise EditError(
                f"That {what} is no longer in your profile (an import was removed or read "
                "again). Reload your profile and make the change there."
            )
    edits[section], edits[f"{section}_new"] = changed, added


def _patched_skills(
    add: list[str], remove: list[str], patch: ProfilePatch
) -> tuple[list[str], list[str]]:
    """Return the skills the user added and removed, with the patch's on top."""
    for skill in (s.strip() for s in patch.skills_add if s.strip()):
        remove = [r for r in remove if normalize(r) != normalize(skill)]
        if normalize(skill) not in {normalize(a) for a in add}:
            add.append(skill)
    for skill in (s.strip() for s in patch.skills_remove if s.strip()):
        add = [a for a in add if normalize(a) != normalize(skill)]
        if normalize(skill) not in {normalize(r) for r in remove}:
            remove.append(skill)
    return add, remove


def apply_edits(
    merged: MergedProfile,
    edits: dict[str, Any],
    *,
    resolve_skill: Callable[[str], tuple[str | None, str, str | None]],
) -> MergedProfile:
    """Return the merged profile with the user's edits on top."""
    profile = merged.model_copy(deep=True)
    for name, value in edits.get("basics", {}).items():
        fact = profile.basics.setdefault(name, Fact())
        if fact.value is not None and normalize(fact.value) != normalize(value):
            fact.alternatives.insert(0, Alternative(value=fact.value, sources=fact.sources))
        fact.value, fact.sources, fact.edited = value, [], True
        fact.alternatives = [a for a in fact.alternatives if normalize(a.value) != normalize(value)]
    if "summary" in edits:
        old = profile.summary
        alternatives = [Alternative(value=old.value, sources=old.sources)] if old.value else []
        profile.summary = Fact(value=edits["summary"], alternatives=alternatives, edited=True)
    for section, model in (("work", MergedWork), ("education", MergedEducation)):
        entries = getattr(profile, section)
        by_key = {e.key: e for e in entries}
        for key, changes in edits.get(section, {}).items():
            if key in by_key:
                entry = by_key[key]
                for name, value in changes.items():
                    if name in _DATE_FIELDS and value is not None:
                        value = PartialDate(**value)
                    setattr(entry, name, value)
                entry.edited = True
        for key, changes in edits.get(f"{section}_new", {}).items():
            values = {
                k: (PartialDate(**v) if k in _DATE_FIELDS and v is not None else v)
                for k, v in changes.items()
            }
            entries.append(model(**values, key=key, edited=True))
        entries.sort(key=_recency, reverse=True)
    removed = {normalize(s) for s in edits.get("skills_remove", [])}
    kept = [
        s
        for s in profile.skills
        if normalize(s.name) not in removed and normalize(s.skill_id) not in removed
    ]
    present = {s.skill_id for s in kept if s.skill_id} | {normalize(s.name) for s in kept}
    for raw in edits.get("skills_add", []):
        skill_id, name, category = resolve_skill(raw)
        if (skill_id and skill_id in present) or normalize(name) in present:
            continue
        kept.append(
            MergedSkill(skill_id=skill_id, name=name, category=category, added_by_user=True)
        )
        present |= {skill_id, normalize(name)} if skill_id else {normalize(name)}
    profile.skills = kept
    return profile


# --- confidence -------------------------------------------------------------------------------


def _words(text: str | None) -> list[str]:
    return fold(text).split()


def names_skill(surface: str, name: str) -> bool:
    """Say whether the text's words name the skill itself, not something associated with it.

    "AWS" names Amazon Web Services (initials), "S3" Amazon S3, "Postgres" PostgreSQL and
    "Rails" Ruby on Rails; "dashboards" does not name Data visualization, nor "EMR" a vendor's
    "Acrendo Medical Software Ob/Gyn (EMR)".
    """
    said, named = _words(surface), _words(name)
    if not said or not named:
        return False
    if said == named:
        return True
    if all(w in named for w in said) and len(named) - len(said) <= 2:
        return True
    if len(said) == 1 and len(named) > 1 and said[0] == "".join(w[0] for w in named):
        return True
    a, b = "".join(said), "".join(named)
    if b.startswith(a) or a.startswith(b):
        return True
    common = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0)
    if common >= 5 and common >= 0.7 * min(len(a), len(b)):
        return True  # "Mentored" and "Mentoring"
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.75


_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[A-Za-z]{2,}$")


def _basic_doubt(name: str, value: str) -> bool:
    """Say whether a basic field read from a page's layout looks wrong."""
    if name == "email":
        return not _EMAIL_RE.match(value)
    if name == "phone":
        return len(re.sub(r"\D", "", value)) < 7
    if name == "name":
        words = value.split()
        return not 1 <= len(words) <= 5 or bool(re.search(r"[\d@/:]", value))
    return False


def _from_layout(sources: Sequence[Source]) -> bool:
    return bool(sources) and all(s.kind not in STRUCTURED_KINDS for s in sources)


def _skill_question(skill: MergedSkill) -> str:
    said = sorted({e.surface for e in skill.evidence if e.surface}, key=str.casefold)
    words = ", ".join(f"“{s}”" for s in said[:3]) or "a word"
    return (
        f"Your documents say {words}; we read it as the skill “{skill.name}”. Is that a skill "
        "you have? Confirm it, or remove it."
    )


def finish_confidence(profile: MergedProfile, confirmed: Sequence[str] = ()) -> MergedProfile:
    """Mark each field's confidence and list the doubtful ones the person has not confirmed."""
    done = set(confirmed)
    waiting: list[ToConfirm] = []
    for name, fact in profile.basics.items():
        doubtful = fact.value and not fact.edited and _from_layout(fact.sources)
        if doubtful and fact.value and _basic_doubt(name, fact.value):
            fact.confidence = "low"
        ref = f"basics:{name}"
        fact.confirmed = fact.edited or ref in done
        if fact.value and fact.confidence == "low" and not fact.confirmed:
            waiting.append(
                ToConfirm(
                    section="basics",
                    ref=ref,
                    question=f"We read your {name} as “{fact.value}”. Is that right?",
                )
            )
    for entry in profile.work:
        if _from_layout(entry.sources) and not (entry.company and entry.title):
            entry.confidence = "low"
        ref = f"work:{entry.key}"
        entry.confirmed = entry.edited or ref in done
        if entry.confidence == "low" and not entry.confirmed and not entry.hidden:
            what = entry.title or entry.company or "a position"
            waiting.append(
                ToConfirm(
                    section="work",
                    ref=ref,
                    question=f"We could not read all of your position “{what}” (its employer or "
                    "title is missing). Check it, complete it or confirm it as it is.",
                )
            )
    for degree in profile.education:
        if _from_layout(degree.sources) and not degree.institution:
            degree.confidence = "low"
        ref = f"education:{degree.key}"
        degree.confirmed = degree.edited or ref in done
        if degree.confidence == "low" and not degree.confirmed and not degree.hidden:
            waiting.append(
                ToConfirm(
                    section="education",
                    ref=ref,
                    question=f"We could not read where you studied “{degree.degree}”. Check "
                    "it, complete it or confirm it as it is.",
                )
            )
    for skill in profile.skills:
        if (
            not skill.added_by_user
            and skill.evidence
            and not any(names_skill(e.surface, skill.name) for e in skill.evidence)
        ):
            skill.confidence = "low"
        ref = f"skill:{skill.skill_id or normalize(skill.name)}"
        skill.confirmed = skill.added_by_user or ref in done
        if skill.confidence == "low" and not skill.confirmed:
            waiting.append(ToConfirm(section="skills", ref=ref, question=_skill_question(skill)))
    profile.to_confirm = waiting
    return profile


def confirmed_only(profile: MergedProfile) -> MergedProfile:
    """Return the profile without the doubtful fields the person has not confirmed: what
    resumes, letters, the coach and every export may print."""
    view = profile.model_copy(deep=True)

    def sure(item: Fact | _MergedEntry | MergedSkill) -> bool:
        return item.confidence == "high" or item.confirmed

    for fact in view.basics.values():
        if not sure(fact):
            fact.value = None
    view.work = [w for w in view.work if sure(w)]
    view.education = [e for e in view.education if sure(e)]
    view.skills = [s for s in view.skills if sure(s)]
    view.to_confirm = []
    return view
