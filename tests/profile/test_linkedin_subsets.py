"""A LinkedIn export with any subset of its files imports what it holds."""

from __future__ import annotations

import io
import zipfile

import pytest

from careergini.profile.errors import NoResumeContent
from careergini.profile.parsers import parse_document
from careergini.profile.parsers.findings import warning_codes
from careergini.profile.schemas import DocumentType

PROFILE = "First Name,Last Name,Headline,Geo Location\nAna,Silva,Student,Lisbon\n"
EDUCATION = (
    "School Name,Start Date,End Date,Notes,Degree Name,Activities\n"
    "Universidade de Lisboa,2021,2025,,Bachelor of Science - BS,\n"
)
SKILLS = "Name\nPython\nSQL\n"


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize(
    "files",
    [
        {"Profile.csv": PROFILE, "Education.csv": EDUCATION, "Skills.csv": SKILLS},
        {"Profile.csv": PROFILE, "Skills.csv": SKILLS},
        {"Education.csv": EDUCATION},
        {"Skills.csv": SKILLS},
    ],
    ids=["profile-education-skills", "profile-skills", "education", "skills"],
)
def test_an_export_without_positions_gives_what_it_holds(files: dict[str, str]):
    result = parse_document(_zip(files), "Basic_LinkedInDataExport.zip")
    profile = result.profile
    assert result.document_type is DocumentType.LINKEDIN_EXPORT
    assert profile.work == []
    assert "no_positions" in warning_codes(result.warnings)
    if "Profile.csv" in files:
        assert profile.basics.name == "Ana Silva"
    if "Education.csv" in files:
        assert [(e.institution, e.degree) for e in profile.education] == [
            ("Universidade de Lisboa", "Bachelor of Science")
        ]
    if "Skills.csv" in files:
        assert [s.name for s in profile.skills] == ["Python", "SQL"]


def test_an_export_with_nothing_about_the_person_is_422():
    with pytest.raises(NoResumeContent, match="LinkedIn export holds no profile"):
        parse_document(_zip({"Email Addresses.csv": "Email Address,Primary\nnot-an-email,Yes\n"}))


def test_a_missing_end_date_column_means_unknown_not_current():
    positions = "Company Name,Title,Started On\nUmbrella,Chemist,Jan 2015\nAcme,Analyst,2019\n"
    profile = parse_document(_zip({"Positions.csv": positions})).profile
    assert [(w.company, w.current, w.end) for w in profile.work] == [
        ("Umbrella", False, None),
        ("Acme", False, None),
    ]


def test_an_empty_end_under_an_end_date_column_is_current():
    positions = (
        "Company Name,Title,Started On,Finished On\n"
        "Umbrella,Chemist,Jan 2015,Mar 2018\nAcme,Analyst,Apr 2018,\n"
    )
    profile = parse_document(_zip({"Positions.csv": positions})).profile
    assert [(w.company, w.current) for w in profile.work] == [
        ("Umbrella", False),
        ("Acme", True),
    ]
