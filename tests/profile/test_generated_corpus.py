"""The generated corpus (tests/fixtures/resumes/generated): the shapes issue 17 names, read right.

Each file is a fictional person's CV rendered by tests/fixtures/corpus/render.py; its truth is
the record it was rendered from (ground_truth.json next to the files).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careergini.profile.parsers import parse_document
from careergini.profile.parsers.findings import warning_codes
from tests.fixtures.corpus.personas import PERSONAS
from tests.fixtures.corpus.render import SHAPES, truth

GENERATED = Path(__file__).resolve().parents[1] / "fixtures" / "resumes" / "generated"


def _parse(name: str):
    return parse_document((GENERATED / name).read_bytes(), name)


def test_every_persona_is_committed_in_every_shape_with_its_truth():
    recorded = json.loads((GENERATED / "ground_truth.json").read_text(encoding="utf-8"))
    expected = {
        f"{p.key}_{shape}.{extension}": truth(p, shape)
        for p in PERSONAS
        for shape, (extension, _) in SHAPES.items()
    }
    assert recorded["documents"] == expected
    assert all((GENERATED / name).exists() for name in expected)
    assert len(expected) >= 50


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_side_headings_of_a_job_board_pdf_open_their_sections(language: str):
    # "EXPERIENCE" printed left of the first job's title, on the same row; the French heading
    # wraps ("EXPÉRIENCE" over "PROFESSIONNELLE").
    persona = next(p for p in PERSONAS if p.language == language)
    profile = _parse(f"{persona.key}_pdf-job-board.pdf").profile
    assert [(w.title, w.company) for w in profile.work] == [
        (x.title, x.company) for x in persona.positions
    ]
    assert all(w.start is not None for w in profile.work)
    assert [e.institution for e in profile.education] == [s.institution for s in persona.education]
    assert profile.basics.email == persona.email


def test_two_column_pdf_reads_the_main_column_with_the_name_first():
    persona = next(p for p in PERSONAS if p.key == "en_devops")
    result = _parse("en_devops_pdf-two-column.pdf")
    basics = result.profile.basics
    assert "two_column_layout" in warning_codes(result.warnings)
    assert (basics.name, basics.email, basics.phone, basics.location) == (
        persona.name, persona.email, persona.phone, persona.location
    )  # fmt: skip
    # The side column's education keeps its dates, though the degree wraps over two rows.
    (school,) = result.profile.education
    assert (school.institution, school.degree, school.field) == (
        "Anna University", "Bachelor of Engineering", "Computer Science"
    )  # fmt: skip
    assert school.start is not None and (school.start.year, school.start.month) == (2011, 8)


def test_internship_titles_and_volunteer_sections_mark_the_kind():
    work = _parse("en_student_cs_docx-soft-breaks.docx").profile.work
    assert [(w.title, w.kind) for w in work] == [
        ("Software Engineering Intern", "internship"),
        ("Teaching Assistant for EECS 280", "volunteer"),
        ("Volunteer Tutor", "volunteer"),
    ]
    german = _parse("de_backend_docx-soft-breaks.docx").profile.work
    assert [w.kind for w in german] == ["job", "job", "internship"]  # "Werkstudent"


def test_spoken_languages_keep_accents_and_nested_levels():
    languages = _parse("pt_data_docx-soft-breaks.docx").profile.languages
    assert [(x.language, x.fluency) for x in languages] == [
        ("Português", "Nativo"),
        ("Inglês", "Fluente"),
    ]
    french = _parse("fr_marketing_pdf-word-export.pdf").profile.languages
    assert [(x.language, x.fluency) for x in french] == [
        ("Français", "Langue maternelle"),
        ("Anglais", "Courant (C1)"),
    ]
    skills = {s.name for s in _parse("fr_marketing_pdf-word-export.pdf").profile.skills}
    assert not {"Français", "Anglais"} & skills


def test_company_row_with_dates_over_title_row_with_place_is_one_entry():
    # Word's export: "PayPal ... Apr 2020 – Present" over "Senior SRE ... San Jose, CA".
    work = _parse("en_devops_pdf-word-export.pdf").profile.work
    assert [(w.company, w.title, w.location) for w in work] == [
        ("PayPal", "Senior Site Reliability Engineer", "San Jose, CA"),
        ("Infosys", "DevOps Engineer", "Bengaluru, India"),
        ("Wipro", "Systems Engineer Intern", "Chennai, India"),
    ]


def test_a_town_in_brackets_marks_an_employer_but_a_speciality_stays_in_the_title():
    text = (
        "Jana Novak\njana@example.org | +49 30 1234567\n\nBerufserfahrung\n"
        "Seit 05/2019\tKontor Software (Leipzig)\nSystemadministratorin\n\n"
        "Experience\nSoftware Engineer (Front-End), Google\tJun 2022 – Present\n"
        "- Built the checkout in React\n"
    ).encode()
    work = parse_document(text, "cv.txt").profile.work
    assert [(w.company, w.title, w.location) for w in work] == [
        ("Kontor Software", "Systemadministratorin", "Leipzig"),
        ("Google", "Software Engineer (Front-End)", None),
    ]


def test_a_sidebar_whose_rows_line_up_with_the_main_column_is_still_read_as_a_column():
    # The side column's rows sit on the same baselines as the experience beside them; its
    # own headings (CONTACT, SKILLS, LANGUAGES, EDUCATION) tell it from a column of dates.
    result = _parse("en_student_cs_pdf-two-column.pdf")
    assert "two_column_layout" in warning_codes(result.warnings)
    profile = result.profile
    assert [w.company for w in profile.work] == [
        "Ford Motor Company", "University of Michigan", "826michigan"
    ]  # fmt: skip
    # "Bachelor of Science in Computer" / "Science": a name wrapped in a narrow column.
    (school,) = profile.education
    assert (school.degree, school.field) == ("Bachelor of Science", "Computer Science")
    nurse = _parse("en_nurse_to_data_pdf-two-column.pdf").profile.education
    assert [e.institution for e in nurse] == [
        "University of the West of England", "Open University"
    ]  # fmt: skip


def test_a_role_named_volunteer_is_a_title_not_a_heading():
    # "Central Texas Food Bank, Austin, TX ... 2020 – 2022" over "Volunteer" in plain type,
    # where the resume's headings are set in bold capitals.
    for name in ("en_student_business_docx-table.docx", "en_student_business_pdf-two-column.pdf"):
        work = _parse(name).profile.work
        assert ("Central Texas Food Bank", "Volunteer") in [(w.company, w.title) for w in work]
