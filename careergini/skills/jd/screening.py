"""Say whether a text is a job description at all, and why not when it isn't."""

from __future__ import annotations

import re

from careergini.skills.jd.document import Document
from careergini.skills.jd.schemas import (
    EmploymentInfo,
    ExperienceRequirement,
    JobSkill,
    RemoteInfo,
    SalaryRange,
)
from careergini.skills.jd.sections import ASKING_SECTIONS

_HIRING_LANGUAGE_RE = re.compile(
    r"\b(?:we(?:['’]re|\s+are)\s+(?:looking\s+for|hiring|seeking|searching)|"
    r"(?:is|are)\s+(?:looking\s+for|seeking|hiring)|join\s+(?:our|the)\s+(?:\w+\s+)?team|"
    r"you\s+will|you['’]ll|the\s+(?:ideal|successful)\s+candidate|apply\s+now|how\s+to\s+apply|"
    r"candidates?\s+(?:should|must|will)|responsibilities\s+include|this\s+role|the\s+role|"
    r"the\s+position|job\s+(?:type|description|summary))\b",
    re.IGNORECASE,
)
_RESUME_DATES_RE = re.compile(
    r"\b(?:19|20)\d\d\s*[-–—]\s*(?:(?:19|20)\d\d|present|current|now|today)\b", re.IGNORECASE
)
# Bounded repeats: a long run of "a.a.a…" or "1-1-1…" must not make the search quadratic.
_CONTACT_RE = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,190}|\+?\d[\d ()-]{8,22}\d")


def job_cues(
    doc: Document,
    *,
    title: str | None,
    experience: list[ExperienceRequirement],
    salary: SalaryRange | None,
    employment: EmploymentInfo | None,
    remote: RemoteInfo | None,
    responsibilities: list[str],
) -> list[str]:
    """Return the signs that the text is a job description, by name."""
    signs = (
        ("title", bool(title)),
        ("hiring_language", any(_HIRING_LANGUAGE_RE.search(ln.text) for ln in doc.lines)),
        ("job_sections", any(s.job_specific and s.heading for s in doc.sections)),
        ("years_of_experience", bool(experience)),
        ("responsibilities", bool(responsibilities)),
        ("salary", salary is not None),
        ("employment_type", employment is not None),
        ("remote_policy", remote is not None),
    )
    return [cue for cue, present in signs if present]


def _looks_like_resume(doc: Document, cues: list[str]) -> bool:
    if "hiring_language" in cues:
        return False
    top = " ".join(line.text for line in doc.first_lines[:6])
    ranges = sum(len(_RESUME_DATES_RE.findall(logical.text)) for logical in doc.lines)
    return bool(_CONTACT_RE.search(top)) and ranges >= 2


def verdict(
    doc: Document, *, cues: list[str], skills: list[JobSkill], has_title: bool
) -> tuple[bool, list[str]]:
    """Return whether the text looks like a job description, and the warnings about it."""
    warnings: list[str] = []
    looks_like_job = len(cues) >= 2 or (len(cues) == 1 and bool(skills))
    if looks_like_job and _looks_like_resume(doc, cues):
        looks_like_job = False
        warnings.append(
            "not_a_job_description: this text looks like a resume (contact details and dated "
            "positions), not a job description"
        )
    elif not looks_like_job:
        warnings.append(
            "not_a_job_description: this text does not look like a job description: "
            + _why_not(cues, skills)
        )
    if looks_like_job and not has_title:
        warnings.append("no_title: no job title found; pass title_hint")
    if looks_like_job and not skills:
        warnings.append("no_skills: no skill from the taxonomy is named")
    if looks_like_job and not any(s.kind in ASKING_SECTIONS for s in doc.sections):
        warnings.append(
            "no_requirements_section: no requirements heading; skills are required only where "
            "the wording asks for them"
        )
    return looks_like_job, warnings


def _why_not(cues: list[str], skills: list[JobSkill]) -> str:
    if not skills and not cues:
        return "no skills and no role cues"
    if not skills:
        return f"no skills and only one role cue ({cues[0]})"
    return "skills but no role cues"
