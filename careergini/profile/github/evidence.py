"""What a repository shows about its owner's skills, through the shared taxonomy.

The evidence rule: a skill counts for a repository when the owner wrote it there (a language with
at least 1% of the repository's code), tagged it (a topic) or named it in the description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from careergini.profile.github.client import Repo, one_line
from careergini.skills import schemas as skills_schemas
from careergini.skills.service import extract_skills

# A language below either bound in a repository is vendored, generated or a one-line script.
MIN_LANGUAGE_SHARE = 0.01
MIN_LANGUAGE_BYTES = 512
# How much a topic, a description mention or a main language without byte counts weighs, against
# a language's share of a repository's code (0 to 1), when skills are ordered.
CLAIM_WEIGHT = 0.5

# GitHub language names that the taxonomy's linguist mapping gets wrong for evidence (it maps
# "Dockerfile", "Shell" and "Jupyter Notebook" itself). None: not evidence of a skill.
_LANGUAGE_TERMS: dict[str, str | None] = {
    "HCL": "Terraform",  # nearly every HCL repository is Terraform
    "Makefile": None,  # almost every repository has one
    "Procfile": None,
}
# Notebooks keep their outputs (images, tables) in the file, so their bytes say little about how
# much code was written; they count as evidence but not in "% of code".
BULKY_LANGUAGES = frozenset({"Jupyter Notebook"})


class SkillRef(NamedTuple):
    skill_id: str
    name: str
    category: str | None


class Mention(NamedTuple):
    ref: SkillRef
    start: int
    end: int


class SkillResolver:
    """Map GitHub's language names, topics and descriptions to taxonomy skills."""

    def __init__(self, taxonomy: skills_schemas.Taxonomy) -> None:
        self._taxonomy = taxonomy
        self._by_linguist = {
            skill.sources.linguist: skill for skill in taxonomy if skill.sources.linguist
        }

    def language(self, language: str) -> SkillRef | None:
        if language in _LANGUAGE_TERMS:
            term = _LANGUAGE_TERMS[language]
            return _as_ref(self._taxonomy.by_name(term)) if term else None
        return _as_ref(self._by_linguist.get(language) or self._taxonomy.by_name(language))

    def topic(self, topic: str) -> SkillRef | None:
        # Topics are lower-case and hyphenated ("machine-learning"). Only hand-kept skills and
        # languages count: a topic such as "productivity" also names a long-tail O*NET entry.
        for term in dict.fromkeys((topic, topic.replace("-", " "))):
            skill = self._taxonomy.by_name(term)
            if skill is not None and (skill.sources.curated or skill.sources.linguist):
                return _as_ref(skill)
        return None

    def mentions(self, text: str) -> list[Mention]:
        return [
            Mention(SkillRef(m.skill_id, m.name, m.category), m.start, m.end)
            for m in extract_skills(text, taxonomy=self._taxonomy)
        ]


def _as_ref(skill: skills_schemas.Skill | None) -> SkillRef | None:
    return None if skill is None else SkillRef(skill.id, skill.name, skill.category)


@dataclass
class Hit:
    """One repository's evidence for one skill."""

    ref: SkillRef
    bytes: int = 0  # counted in "% of code"
    weight: float = 0.0  # the largest share of the repository's code, or CLAIM_WEIGHT
    language: str | None = None  # the linguist name that gave the bytes
    topic: str | None = None
    mention: Mention | None = None


@dataclass
class RepoEvidence:
    repo: Repo
    languages: dict[str, int] | None = None  # None: not read, only the main language is known
    warning: str | None = None  # why the languages could not be read
    hits: dict[str, Hit] = field(default_factory=dict)
    project_index: int | None = None


def collect_hits(evidence: RepoEvidence, resolver: SkillResolver) -> None:
    """Record the skills the repository's languages, topics and description show."""
    repo = evidence.repo
    hits = evidence.hits
    total = sum(evidence.languages.values()) if evidence.languages else 0
    for language, size in significant_languages(evidence):
        if ref := resolver.language(language):
            hit = hits.setdefault(ref.skill_id, Hit(ref))
            if language not in BULKY_LANGUAGES:
                hit.bytes += size
            hit.weight = max(hit.weight, size / total if total else CLAIM_WEIGHT)
            hit.language = hit.language or language
    for topic in repo.topics:
        if ref := resolver.topic(topic):
            hit = hits.setdefault(ref.skill_id, Hit(ref))
            hit.weight = max(hit.weight, CLAIM_WEIGHT)
            hit.topic = hit.topic or topic
    if description := one_line(repo.description):
        for mention in resolver.mentions(description):
            hit = hits.setdefault(mention.ref.skill_id, Hit(mention.ref))
            hit.weight = max(hit.weight, CLAIM_WEIGHT)
            hit.mention = hit.mention or mention


def significant_languages(evidence: RepoEvidence) -> list[tuple[str, int]]:
    """Return (language, bytes) worth counting, largest first; bytes 0 when only the main one."""
    if evidence.languages is None:
        return [(evidence.repo.language, 0)] if evidence.repo.language else []
    total = sum(evidence.languages.values())
    return [
        (language, size)
        for language, size in sorted(evidence.languages.items(), key=lambda item: -item[1])
        if size >= MIN_LANGUAGE_BYTES and size / total >= MIN_LANGUAGE_SHARE
    ]
