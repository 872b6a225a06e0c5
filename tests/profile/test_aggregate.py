"""Merging imports: one position (degree) per identity, with sources, bullets and conflicts."""

from __future__ import annotations

from datetime import UTC, datetime

from careergini.profile.aggregate import ImportInput, merge_imports
from careergini.profile.schemas import EducationEntry, ParsedProfile, PartialDate, WorkEntry


def create_import(import_id: str, day: int, profile: ParsedProfile) -> ImportInput:
    return ImportInput(
        id=import_id,
        kind="resume",
        label=f"resume {import_id}",
        created_at=datetime(2025, 1, day, tzinfo=UTC),
        profile=profile,
    )


def test_a_position_in_two_imports_is_one_entry_with_both_sources_and_its_conflicts() -> None:
    older = ParsedProfile(
        work=[
            WorkEntry(
                company="Acme, Inc.",
                title="Data Engineer",
                start=PartialDate(year=2019),
                bullets=["Built the ETL."],
            )
        ]
    )
    newer = ParsedProfile(
        work=[
            WorkEntry(
                company="ACME",
                title="data engineer",
                location="Berlin",
                start=PartialDate(year=2020),
                end=PartialDate(year=2023, month=5),
                bullets=["built the ETL", "Ran Airflow."],
            )
        ]
    )
    merged = merge_imports(
        [create_import("a", 1, older), create_import("b", 2, newer)], now_year=2026
    )
    (work,) = merged.work
    assert [s.import_id for s in work.sources] == ["a", "b"]
    assert work.bullets == ["Built the ETL.", "Ran Airflow."]
    assert work.start == PartialDate(year=2019)  # the first import's date leads...
    assert work.conflicts == {"start": ["2019", "2020"]}  # ...and the disagreement is kept
    assert work.end == PartialDate(year=2023, month=5)  # a missing date is taken
    assert work.location == "Berlin"


def test_degrees_without_dates_merge_and_fill_missing_fields() -> None:
    older = ParsedProfile(
        education=[
            EducationEntry(institution="MIT", degree="BSc"),
            EducationEntry(institution="CMU", degree="MSc", end=PartialDate(year=2018)),
        ]
    )
    newer = ParsedProfile(education=[EducationEntry(institution="mit", degree="BSc", field="CS")])
    merged = merge_imports(
        [create_import("a", 1, older), create_import("b", 2, newer)], now_year=2026
    )
    assert [(e.institution, e.degree) for e in merged.education] == [("CMU", "MSc"), ("MIT", "BSc")]
    mit = merged.education[1]
    assert mit.field == "CS"
    assert [s.import_id for s in mit.sources] == ["a", "b"]
    assert mit.conflicts == {}


def test_positions_and_degrees_without_a_name_are_left_out() -> None:
    profile = ParsedProfile(
        work=[WorkEntry(location="Paris", bullets=["Something."])],
        education=[EducationEntry(field="History")],
    )
    merged = merge_imports([create_import("a", 1, profile)], now_year=2026)
    assert merged.work == [] and merged.education == []
