"""Resumes in the shapes people really upload import with positions, dates and skills."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from careergini.documents.layout import Line, join_hyphenated
from careergini.profile.parsers import parse_document
from tests.fixtures.corpus import word_shapes

WORD_SHAPES: dict[str, Callable[[], bytes]] = {
    "one-soft-broken-paragraph": word_shapes.soft_break_cv,
    "two-soft-broken-paragraphs": lambda: word_shapes.soft_break_cv(paragraphs=2),
    "contact-in-a-text-box": word_shapes.text_box_cv,
    "contact-in-the-page-header": word_shapes.header_contact_cv,
    "two-column-table": word_shapes.table_cv,
}


@pytest.mark.parametrize("build", list(WORD_SHAPES.values()), ids=list(WORD_SHAPES))
def test_word_cv_imports_with_positions_dates_and_skills(build: Callable[[], bytes]):
    result = parse_document(build(), "cv.docx")
    profile = result.profile
    truth = word_shapes.SOFT_BREAK_TRUTH
    assert profile.basics.name == truth["contact"]["name"]
    assert profile.basics.email == truth["contact"]["email"]
    assert profile.basics.phone == truth["contact"]["phone"]
    assert [(w.company, w.title) for w in profile.work] == [
        (p["company"], p["title"]) for p in truth["positions"]
    ]
    first, second = profile.work
    assert first.start is not None and (first.start.year, first.start.month) == (2021, 3)
    assert first.current
    assert second.end is not None and (second.end.year, second.end.month) == (2021, 2)
    assert first.bullets[0].startswith("Moved nightly batch jobs")
    edu = profile.education[0]
    assert (edu.institution, edu.degree, edu.field) == (
        "University of Leeds",
        "BSc",
        "Computer Science",
    )
    names = {s.name for s in profile.skills}
    assert {"Python", "SQL", "Apache Kafka", "Snowflake", "Docker"} <= names


STUDENT = """\
Maya Chen
maya.chen@example.edu | (617) 555-0142 | Boston, MA

Education
Northeastern University, B.S. Computer Science, Sep 2021 - May 2025

Internships
Software Engineering Intern, Wayfair, Jun 2024 - Aug 2024
- Built a React dashboard backed by a Python API

Campus Involvement
President, Women in Tech Club, Sep 2022 - May 2024
- Organised a hackathon for 200 students

Volunteer Experience
Tutor, Boston Code Camp, Jan 2023 - Dec 2023
- Taught Python to high-school students

Languages
English (native), Mandarin (fluent), Spanish (B1)

Skills
Python, React, SQL, Git
"""


def test_a_student_resume_reads_internships_campus_and_volunteer_roles_by_kind():
    profile = parse_document(STUDENT.encode()).profile
    assert [(w.kind, w.company, w.title) for w in profile.work] == [
        ("internship", "Wayfair", "Software Engineering Intern"),
        ("volunteer", "Women in Tech Club", "President"),
        ("volunteer", "Boston Code Camp", "Tutor"),
    ]
    assert profile.basics.phone == "(617) 555-0142"
    # Spoken languages are languages with their levels, not skills.
    assert [(lang.language, lang.fluency) for lang in profile.languages] == [
        ("English", "native"),
        ("Mandarin", "fluent"),
        ("Spanish", "B1"),
    ]
    skills = {s.name for s in profile.skills}
    assert {"Python", "React", "SQL", "Git"} <= skills
    assert not {"English", "Mandarin", "Spanish"} & skills


EDUCATION = """\
Ravi Kumar
ravi.kumar@example.in | +91 98765 43210 | Pune, India

Experience
Software Engineer, Infosys, Jul 2019 - Present
- Built Java services

Education
XYZ University 3.8 GPA, B.Tech Computer Engineering, 2015 - 2019
Government College of Engineering Pune, Diploma in Computer Engineering, 2012 - 2015
Stanford University, M.S. Computer Science, 2020 - 2022
- Coursework: Algorithms, Com-
putational Theory, Databases

Skills
Java, Python
"""


def test_education_names_come_without_grade_or_town_and_broken_words_are_joined():
    education = parse_document(EDUCATION.encode()).profile.education
    assert [(e.institution, e.grade, e.location) for e in education] == [
        ("XYZ University", "3.8", None),
        ("Government College of Engineering", None, "Pune"),
        ("Stanford University", None, None),
    ]
    assert education[2].bullets == ["Coursework: Algorithms, Computational Theory, Databases"]


def test_a_capital_after_a_line_end_hyphen_is_not_joined():
    lines = [Line(segments=["Skills: Front-"]), Line(segments=["End, Back-end"])]
    assert [ln.text for ln in join_hyphenated(lines)] == ["Skills: Front-", "End, Back-end"]
