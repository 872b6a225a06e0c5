"""Validate the learning data files shipped in ``careergini/learning/data``.

    python -m careergini.learning.validate_resources [--online]

Checks ``resources.json`` (unique ids, well-formed https URLs, known kinds and levels, plausible
hours, skills that exist in the taxonomy, a resource for every guide, an exclusion with a reason
for every hot technology without resources), ``prerequisites.json`` (known skills, no cycles),
``questions.json`` (exactly one correct option, no duplicate options, an explanation, unique ids)
and ``interview.json`` (the rubrics). ``--online`` also fetches every URL (it needs internet).
Exits 1 when anything is wrong.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from careergini.learning.catalogue import DIFFICULTIES, KINDS, LEVELS, read_data_file
from careergini.learning.quizzes import LEVELS as QUIZ_LEVELS, question_problems
from careergini.skills.schemas import Taxonomy
from careergini.skills.service import load_taxonomy

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
_HOST = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}$")


def url_problem(url: str) -> str | None:
    """Return why a URL is not acceptable in the catalogue, or None."""
    if any(c.isspace() for c in url):
        return "contains whitespace"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "is not https"
    if not _HOST.match(parts.hostname or ""):
        return "has no valid host name"
    if parts.username or parts.password:
        return "carries credentials"
    return None


def _resource_problems(item: dict[str, Any], taxonomy: Taxonomy) -> list[str]:
    errors: list[str] = []
    rid = item.get("id", "?")
    if not isinstance(rid, str) or not _ID.match(rid):
        errors.append(f"resource id {rid!r} is not lowercase-with-hyphens")
    for field in ("title", "url", "kind", "level", "hours", "cost", "skills", "provider"):
        if not item.get(field):
            errors.append(f"{rid}: missing {field}")
    problem = url_problem(str(item.get("url", "")))
    if problem:
        errors.append(f"{rid}: URL {item.get('url')!r} {problem}")
    if item.get("kind") not in KINDS:
        errors.append(f"{rid}: kind {item.get('kind')!r} is not one of {KINDS}")
    if item.get("level") not in LEVELS:
        errors.append(f"{rid}: level {item.get('level')!r} is not one of {LEVELS}")
    hours = item.get("hours")
    if not isinstance(hours, int) or not 1 <= hours <= 500:
        errors.append(f"{rid}: hours {hours!r} must be a whole number from 1 to 500")
    for skill in item.get("skills", []):
        if skill not in taxonomy:
            errors.append(f"{rid}: skill {skill!r} is not in the taxonomy")
    return errors


def _project_problems(skill: str, project: dict[str, Any] | None) -> list[str]:
    if project is None:
        return []
    errors: list[str] = []
    if not project.get("name") or not project.get("description"):
        errors.append(f"guide {skill}: a project needs a name and a description")
    if project.get("difficulty") not in DIFFICULTIES:
        errors.append(f"guide {skill}: project difficulty must be one of {DIFFICULTIES}")
    return errors


def _guide_problems(
    skill: str, guide: dict[str, Any], taxonomy: Taxonomy, covered: Mapping[str, int]
) -> list[str]:
    errors: list[str] = []
    if skill not in taxonomy:
        errors.append(f"guide {skill!r}: not in the taxonomy")
    hours = guide.get("hours")
    if not isinstance(hours, int) or not 1 <= hours <= 200:
        errors.append(f"guide {skill}: hours {hours!r} must be 1 to 200")
    checkpoint = guide.get("checkpoint") or ""
    if not checkpoint.startswith("can "):
        errors.append(f'guide {skill}: the checkpoint must start with "can "')
    topics = guide.get("topics", [])
    if len(set(topics)) != len(topics):
        errors.append(f"guide {skill}: duplicate topics")
    errors += _project_problems(skill, guide.get("project"))
    for other in guide.get("covers", []):
        if other not in taxonomy:
            errors.append(f"guide {skill}: covers {other!r}, which is not in the taxonomy")
    if not covered.get(skill):
        errors.append(f"guide {skill}: no resource teaches it")
    return errors


def _exclusion_problems(
    skill: str, exclusion: dict[str, Any], taxonomy: Taxonomy, covered: Mapping[str, int]
) -> list[str]:
    errors: list[str] = []
    if skill not in taxonomy:
        errors.append(f"exclusion {skill!r}: not in the taxonomy")
    if len(exclusion.get("reason") or "") < 20:
        errors.append(f"exclusion {skill}: give a reason (20+ characters)")
    if covered.get(skill):
        errors.append(f"exclusion {skill}: it has resources, so it should not be excluded")
    alternative = exclusion.get("alternative")
    if alternative and not covered.get(alternative):
        errors.append(f"exclusion {skill}: the alternative {alternative!r} has no resources")
    return errors


def validate_resources(doc: dict[str, Any], taxonomy: Taxonomy) -> tuple[list[str], dict]:
    """Return the problems of resources.json and coverage statistics."""
    errors: list[str] = []
    if doc.get("format") != 1:
        errors.append(f"resources.json: unsupported format {doc.get('format')!r}")
    ids = Counter(r.get("id") for r in doc.get("resources", []))
    errors += [f"resource id {i!r} is used {n} times" for i, n in ids.items() if n > 1]
    urls = Counter(r.get("url") for r in doc.get("resources", []))
    errors += [f"URL {u} is listed {n} times" for u, n in urls.items() if n > 1]
    covered: dict[str, int] = defaultdict(int)
    for item in doc.get("resources", []):
        errors += _resource_problems(item, taxonomy)
        for skill in item.get("skills", []):
            covered[skill] += 1
    guides = doc.get("skills", {})
    for skill, guide in guides.items():
        errors += _guide_problems(skill, guide, taxonomy, covered)
    exclusions = {e.get("skill_id"): e for e in doc.get("exclusions", [])}
    for skill, exclusion in exclusions.items():
        errors += _exclusion_problems(skill, exclusion, taxonomy, covered)
    hot = sorted(s.id for s in taxonomy if s.hot)
    uncovered = [s for s in hot if not covered.get(s) and s not in exclusions]
    errors += [f"hot technology {s!r} has no resource and no reviewed exclusion" for s in uncovered]
    kinds = Counter(item.get("kind") for item in doc.get("resources", []))
    stats = {
        "resources": len(doc.get("resources", [])),
        "skills_with_resources": len(covered),
        "guides": len(guides),
        "hot_technologies": len(hot),
        "hot_covered": sum(1 for s in hot if covered.get(s)),
        "hot_excluded": sum(1 for s in hot if s in exclusions),
        "kinds": dict(sorted(kinds.items())),
    }
    return errors, stats


def _unknown_skills(doc: dict[str, Any], taxonomy: Taxonomy) -> list[str]:
    """The skills and families prerequisites.json names that the taxonomy lacks; self-loops."""
    errors = []
    for skill, before in doc.get("pairs", {}).items():
        errors += [
            f"prerequisites: {other!r} is not in the taxonomy"
            for other in [skill, *before]
            if other not in taxonomy
        ]
        if skill in before:
            errors.append(f"prerequisites: {skill} requires itself")
    for skill, before in doc.get("not_prerequisites", {}).items():
        errors += [
            f"not_prerequisites: {other!r} is not in the taxonomy"
            for other in [skill, *before]
            if other not in taxonomy
        ]
    errors += [
        f"umbrella_skills: {skill!r} is not in the taxonomy"
        for skill in doc.get("umbrella_skills", [])
        if skill not in taxonomy
    ]
    known_families = {f for s in taxonomy for f in s.families}
    errors += [
        f"alternative_families: {family!r} is not a taxonomy family"
        for family in doc.get("alternative_families", [])
        if family not in known_families
    ]
    return errors


def _cycles(pairs: Mapping[str, list[str]]) -> list[str]:
    """The prerequisite cycles, each as the path that closes it (depth first)."""
    errors = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for before in pairs.get(node, []):
            if state.get(before) == 1:
                errors.append("prerequisites: cycle " + " -> ".join([*path, node, before]))
            elif state.get(before) is None:
                visit(before, [*path, node])
        state[node] = 2

    for skill in pairs:
        if skill not in state:
            visit(skill, [])
    return errors


def validate_prerequisites(doc: dict[str, Any], taxonomy: Taxonomy) -> list[str]:
    """Return the problems of prerequisites.json (unknown skills, self-loops, cycles)."""
    pairs: dict[str, list[str]] = doc.get("pairs", {})
    return _unknown_skills(doc, taxonomy) + _cycles(pairs)


def validate_questions(doc: dict[str, Any], taxonomy: Taxonomy) -> tuple[list[str], dict]:
    """Return the problems of questions.json and how many questions each skill has."""
    errors = []
    ids = Counter(q.get("id") for q in doc.get("questions", []))
    errors += [f"question id {i!r} is used {n} times" for i, n in ids.items() if n > 1]
    per_skill: Counter[str] = Counter()
    for question in doc.get("questions", []):
        qid = question.get("id", "?")
        if question.get("skill") not in taxonomy:
            errors.append(f"{qid}: skill {question.get('skill')!r} is not in the taxonomy")
        if question.get("level") not in QUIZ_LEVELS:
            errors.append(f"{qid}: level {question.get('level')!r} is not one of {QUIZ_LEVELS}")
        payload = {k: question.get(k) for k in ("question", "options", "explanation")}
        errors += [f"{qid}: {p}" for p in question_problems(payload)]
        per_skill[question.get("skill", "?")] += 1
    return errors, {"questions": sum(per_skill.values()), "skills": len(per_skill)}


def validate_interview(doc: dict[str, Any]) -> list[str]:
    """Return the problems of interview.json (every question needs a rubric and an outline)."""
    errors = []
    items = [("behavioural", q) for q in doc.get("behavioural", [])]
    items += [(f"technical/{c}", q) for c, qs in doc.get("technical", {}).items() for q in qs]
    items += [("role", q) for q in doc.get("role", [])]
    for where, item in items:
        if not item.get("rubric") or not item.get("outline"):
            errors.append(f"interview {where}: a rubric and an outline are required")
    if "default" not in doc.get("technical", {}):
        errors.append("interview: technical templates need a 'default' category")
    return errors


def check_online(doc: dict[str, Any]) -> list[str]:
    """Fetch every URL; return the ones that do not answer with a success or a redirect."""
    errors = []
    with httpx.Client(follow_redirects=True, timeout=15.0) as client:
        for item in doc.get("resources", []):
            try:
                response = client.get(item["url"])
            except httpx.HTTPError as exc:
                errors.append(f"{item['id']}: {item['url']} failed ({type(exc).__name__})")
                continue
            if response.status_code >= 400:
                errors.append(f"{item['id']}: {item['url']} answered {response.status_code}")
    return errors


def validate_all(*, online: bool = False) -> tuple[list[str], dict[str, Any]]:
    """Validate every learning data file; return the problems and a summary."""
    taxonomy = load_taxonomy()
    resources_doc = read_data_file("resources.json")
    errors, stats = validate_resources(resources_doc, taxonomy)
    errors += validate_prerequisites(read_data_file("prerequisites.json"), taxonomy)
    question_errors, question_stats = validate_questions(read_data_file("questions.json"), taxonomy)
    errors += question_errors
    errors += validate_interview(read_data_file("interview.json"))
    if online:
        errors += check_online(resources_doc)
    return errors, {**stats, **{f"question_{k}": v for k, v in question_stats.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--online", action="store_true", help="also fetch every URL")
    args = parser.parse_args(argv)
    errors, stats = validate_all(online=args.online)
    for key, value in stats.items():
        print(f"{key}: {value}")
    for error in errors:
        print(f"ERROR {error}", file=sys.stderr)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
