"""The gap, the score and the ATS report agree: the contradictions of issue 19, one test each.

Pure: a resume's text, a job's text and the engine; the profile side is what the extractor finds
in the resume (as the importers do), so the ATS report and the gap read the same skills.
"""

from __future__ import annotations

from careergini.skills.ats import AtsReport, LayoutFacts, ats_report
from careergini.skills.candidate import Candidate, CandidateSkill
from careergini.skills.extraction import extract_skill_ids, extract_skills
from careergini.skills.gap import GapReport
from careergini.skills.matching import compute_gap, compute_match, parse_job, requirements_from_job
from careergini.skills.requirements import JobRequirements
from careergini.skills.taxonomy import load_taxonomy

FRONTEND_RESUME = """\
Dana Reyes
dana@example.com | +1 415 555 0100 | San Francisco, CA

Experience
Frontend Engineer, Lumen Apps (2021 - Present)
- Built the checkout in TypeScript and React; moved styling to CSS modules
- Wrote Node.js services for server-side rendering

Education
BSc Computer Science, State University (2017 - 2021)

Skills
TypeScript, React, Node.js, CSS, Git
"""

FRONTEND_JD = """\
Senior Frontend Engineer

Requirements
- 3+ years building web applications with JavaScript and React
- Strong CSS and HTML
- A degree in computer science or equivalent experience
- Experience with Git
"""


def candidate_of(text: str, *, studies: tuple[str, ...] = ()) -> Candidate:
    """The person as the importers would read them from this resume."""
    skills = {
        m.skill_id: CandidateSkill(m.skill_id, m.name, (f"resume: {m.surface}",), 2026)
        for m in extract_skills(text)
    }
    return Candidate(
        skills=skills,
        titles=("Frontend Engineer",),
        years_experience=5.0,
        seniority="mid",
        experience_text=text,
        full_text=text,
        studies=studies,
    )


def job_of(text: str) -> JobRequirements:
    return requirements_from_job(parse_job(text=text), load_taxonomy(), text)


def report(job: JobRequirements, text: str, gap: GapReport) -> AtsReport:
    return ats_report(
        job=job,
        resume_text=text,
        document_skills={m.skill_id: m.surface for m in extract_skills(text)},
        contact={"email": "dana@example.com", "phone": "+1 415 555 0100", "location": "SF"},
        work_dates=[],
        parse_warnings=[],
        layout=LayoutFacts(),
        profile_skills={m.skill_id: m.via for m in gap.matched},
    )


def missing_ids(gap: GapReport) -> set[str]:
    return {m.skill_id for m in [*gap.missing_required, *gap.missing_preferred]}


def test_javascript_is_evidenced_via_typescript_not_missing() -> None:
    job = job_of(FRONTEND_JD)
    gap = compute_gap(job, candidate_of(FRONTEND_RESUME), load_taxonomy())
    matched = {m.skill_id: m for m in gap.matched}
    assert "javascript" in matched and "javascript" not in missing_ids(gap)
    assert matched["javascript"].via in ("TypeScript", "React", "Node.js")
    assert matched["javascript"].evidence == [f"evidenced via {matched['javascript'].via}"]


def test_the_ats_report_and_the_gap_never_disagree() -> None:
    job = job_of(FRONTEND_JD)
    gap = compute_gap(job, candidate_of(FRONTEND_RESUME), load_taxonomy())
    ats = report(job, FRONTEND_RESUME, gap)
    matched = {m.skill_id for m in gap.matched}
    for hit in ats.keywords:
        if hit.found != "missing":  # the document names it: so does the profile built from it
            assert hit.skill_id in matched, hit
        assert hit.in_profile == (hit.skill_id in matched), hit
    # "Node.js" is not JavaScript written out: the ATS does not find the word, and says why.
    js = next(h for h in ats.keywords if h.skill_id == "javascript")
    assert js.found == "missing" and js.in_profile
    assert js.note is not None and 'write "JavaScript"' in js.note
    css = next(h for h in ats.keywords if h.skill_id == "css")
    assert css.found == "exact" and "css" in matched


def test_the_score_counts_what_the_gap_matched() -> None:
    job = job_of(FRONTEND_JD)
    candidate = candidate_of(FRONTEND_RESUME, studies=("BSc Computer Science",))
    gap = compute_gap(job, candidate, load_taxonomy())
    match = compute_match(job, candidate, gap, 0.5)
    required = next(c for c in match.components if c.name == "required_skills")
    asked = len(job.by_importance("required", "mentioned"))
    counted = {m.skill_id for m in gap.matched} & {
        s.skill_id for s in job.by_importance("required", "mentioned")
    }
    assert required.evidence.startswith(f"You have {len(counted)} of the {asked}")


def test_a_computer_science_degree_evidences_computer_science() -> None:
    job = job_of(FRONTEND_JD)
    assert "computer-science" in {s.skill_id for s in job.skills}
    without = compute_gap(job, candidate_of(FRONTEND_RESUME), load_taxonomy())
    assert "computer-science" in missing_ids(without)
    gap = compute_gap(
        job, candidate_of(FRONTEND_RESUME, studies=("BSc Computer Science",)), load_taxonomy()
    )
    matched = {m.skill_id: m for m in gap.matched}
    assert "computer-science" in matched
    assert matched["computer-science"].via == "your degree (BSc Computer Science)"


def test_css_is_never_transferable_via_javascript() -> None:
    job = job_of("Web Developer\n\nRequirements\n- CSS and HTML\n- Python")
    candidate = candidate_of("Skills: JavaScript, TypeScript")
    gap = compute_gap(job, candidate, load_taxonomy())
    assert not [t for t in gap.transferable if t.skill_id in ("css", "html")]
    assert {"css", "html"} <= missing_ids(gap)


def test_a_sibling_of_one_kind_still_transfers() -> None:
    job = job_of("Backend Developer\n\nRequirements\n- PostgreSQL\n- Python")
    gap = compute_gap(job, candidate_of("Skills: MySQL, Python"), load_taxonomy())
    assert [(t.skill_id, t.via_skill_id) for t in gap.transferable] == [("postgresql", "mysql")]


def test_cisco_ios_is_not_apple_ios() -> None:
    assert extract_skill_ids("Configured Cisco IOS on branch routers") == {"cisco-networking"}
    assert "ios" not in extract_skill_ids("Upgraded IOS on Catalyst switches and tuned OSPF")
    assert "ios" in extract_skill_ids("Built iOS apps in Swift")
    assert "ios" in extract_skill_ids("Skills: IOS, Android, Kotlin")


def test_access_control_systems_are_not_microsoft_access() -> None:
    assert "ms-access" not in extract_skill_ids(
        "Install and maintain the Access Control System and CCTV"
    )
    assert "ms-access" not in extract_skill_ids("Manage access control systems for the site")
    assert "ms-access" in extract_skill_ids("Built reports in MS Access and Excel")


def test_ambiguous_names_need_a_technical_context() -> None:
    plain = "We go the extra mile in spring. Rust on the swift river; our R&D team."
    assert not {"go", "spring", "rust", "swift", "r"} & extract_skill_ids(plain)
    tech = "Services written in Go and Rust; Spring Boot APIs; analysis in R; apps in Swift."
    assert {"go", "rust", "spring-boot", "r", "swift"} <= extract_skill_ids(tech)
