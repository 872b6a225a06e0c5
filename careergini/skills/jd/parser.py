"""Read a job description into a ParsedJob: title, level, years, skills by importance, pay, place.

Pure and deterministic: text in, data out, no I/O. Every value keeps the words that decided it.
The JD is data: nothing written in it is ever followed. A line that reads like an instruction to
a model ("ignore previous instructions...") is set aside, unparsed, and named in ``warnings`` for
whoever later puts the JD in front of one.

How skills get their importance: the section a mention sits in decides first (a requirements
heading -> required, a nice-to-have heading -> preferred, the intro and the duties -> mentioned),
then cues in the mention's own clause override it ("... is a plus", "(preferred)" -> preferred;
"(required)", "must have" -> required; in the intro and the duties, requirement wording such as
"experience with" or "3+ years" -> required). A skill named in several places takes the most
explicit ask: required, else preferred, else mentioned. Benefits, how-to-apply and EEO text
name no skills the candidate is asked for, so mentions there are not counted.
"""

from __future__ import annotations

from careergini.skills.jd.document import Document, build_document, clean, read_lines
from careergini.skills.jd.employment import find_employment
from careergini.skills.jd.experience import find_experience, find_seniority, headline_experience
from careergini.skills.jd.instructions import set_aside_instructions
from careergini.skills.jd.location import find_place_and_company, find_remote
from careergini.skills.jd.responsibilities import find_responsibilities
from careergini.skills.jd.salary import find_salary
from careergini.skills.jd.schemas import Cue, JobSection, ParsedJob
from careergini.skills.jd.screening import job_cues, verdict
from careergini.skills.jd.skills import find_skills
from careergini.skills.jd.title import find_title, tidy_title
from careergini.skills.jd.words import ROLE_NOUN_RE
from careergini.skills.taxonomy import Taxonomy


def parse_job_description(
    text: str, *, title_hint: str | None = None, taxonomy: Taxonomy | None = None
) -> ParsedJob:
    """Parse the text of a job description into its title, level, skills, pay and terms."""
    physical, set_aside = set_aside_instructions(read_lines(text or ""))
    hint = clean(title_hint) if title_hint else ""
    if not physical:
        return ParsedJob(
            title=hint or None,
            looks_like_job=False,
            warnings=["not_a_job_description: the text is empty", *set_aside],
        )
    doc = build_document(physical)
    title, title_cue, title_line = _title(doc, hint)
    company, location = find_place_and_company(doc, title_line)
    experience_found = find_experience(doc)
    experience = [mention for mention, _ in experience_found]
    salary = find_salary(doc)
    employment = find_employment(doc, title)
    remote = find_remote(doc, location)
    responsibilities = find_responsibilities(doc)
    skills = find_skills(doc, taxonomy)
    cues = job_cues(
        doc,
        title=title if (title and ROLE_NOUN_RE.search(title)) else None,
        experience=experience,
        salary=salary,
        employment=employment,
        remote=remote,
        responsibilities=responsibilities,
    )
    looks_like_job, warnings = verdict(doc, cues=cues, skills=skills, has_title=title is not None)
    return ParsedJob(
        title=title,
        company=company,
        location=location,
        seniority=find_seniority(title, title_cue, doc),
        experience=headline_experience(experience_found),
        experience_mentions=experience,
        skills=skills,
        responsibilities=responsibilities,
        remote=remote,
        salary=salary,
        employment=employment,
        sections=[
            JobSection(kind=s.kind, heading=s.heading, start_line=s.start_line, end_line=s.end_line)
            for s in doc.sections
        ],
        warnings=[*warnings, *set_aside],
        looks_like_job=looks_like_job,
        job_cues=cues,
    )


def _title(doc: Document, hint: str) -> tuple[str | None, Cue | None, int | None]:
    """Return the title (the hint wins), its cue, and the line the JD's own title sits on."""
    found, found_cue = find_title(doc)
    title_line = found_cue.line if found_cue else None
    if hint:
        return tidy_title(hint) or hint, Cue(text=hint), title_line
    return found, found_cue, title_line
