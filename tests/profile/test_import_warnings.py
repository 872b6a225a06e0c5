"""Every import says what it found and could not read; nothing usable is a 422 saying why."""

from __future__ import annotations

import httpx
import pytest

from careergini.profile.errors import NoResumeContent
from careergini.profile.parsers import parse_document
from careergini.profile.parsers.findings import detect_language, warning_codes
from tests.conftest import UserMaker
from tests.fixtures.corpus import word_shapes
from tests.profile.test_router import RESUME_A, upload

OTHER_PERSON = RESUME_A.replace("Jane Doe", "Max Mustermann").replace(
    "jane.doe@example.com", "max@example.de"
)


async def test_the_same_file_twice_is_named(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    first = await client.post(
        "/api/profile/imports", files=upload(RESUME_A), headers=user["headers"]
    )
    assert first.status_code == 201, first.text
    assert first.json()["warnings"] == []
    again = await client.post(
        "/api/profile/imports", files=upload(RESUME_A, "copy.txt"), headers=user["headers"]
    )
    assert again.status_code == 201
    warnings = again.json()["warnings"]
    assert warning_codes(warnings) == ["same_file"]
    assert first.json()["id"] in warnings[0] and "resume.txt" in warnings[0]
    # The stored import keeps its warnings.
    stored = await client.get(f"/api/profile/imports/{again.json()['id']}", headers=user["headers"])
    assert stored.json()["warnings"] == warnings


async def test_another_persons_name_and_email_are_flagged(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    await client.post("/api/profile/imports", files=upload(RESUME_A), headers=user["headers"])
    other = await client.post(
        "/api/profile/imports", files=upload(OTHER_PERSON), headers=user["headers"]
    )
    assert other.status_code == 201
    warnings = other.json()["warnings"]
    assert warning_codes(warnings) == ["name_differs", "email_differs"]
    assert "Max Mustermann" in warnings[0] and "Jane Doe" in warnings[0]


async def test_an_import_with_only_contact_details_is_422_with_the_fix(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    contact_only = "Jane Doe\njane.doe@example.com | +1 415 555 0100\n\nHobbies\nChess, hiking\n"
    response = await client.post(
        "/api/profile/imports", files=upload(contact_only), headers=user["headers"]
    )
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "Only contact details were found" in detail and "Experience" in detail
    assert (await client.get("/api/profile/imports", headers=user["headers"])).json() == []


def test_an_import_says_what_it_could_not_find():
    no_dates = (
        "Jane Doe\njane.doe@example.com\n\nExperience\nAcme Corp, Senior Backend Engineer\n"
        "- Built FastAPI services on PostgreSQL\n\nSkills\nPython, SQL\n"
    )
    result = parse_document(no_dates.encode())
    assert warning_codes(result.warnings) == ["no_dates"]
    no_positions = "jane.doe@example.com\n\nSkills\nPython, SQL, Docker\n"
    result = parse_document(no_positions.encode())
    assert warning_codes(result.warnings) == ["name_not_found", "no_positions"]


def test_a_clean_word_cv_has_no_warnings():
    assert parse_document(word_shapes.soft_break_cv(), "cv.docx").warnings == []


def test_an_unsupported_language_is_a_warning_or_a_422_that_names_it():
    polish = (
        "Jan Kowalski\njan.kowalski@example.pl\n\nDoświadczenie\n"
        "Programista w firmie Acme oraz w zespole danych, 2019 - 2023\n"
        "Praca nad systemem do obsługi klientów i jest to praca przez trzy lata dla firmy\n"
        "Umiejętności\nPython, SQL, Docker\n"
    )
    assert detect_language(polish) == "pl"
    with pytest.raises(NoResumeContent, match="reads as Polish, which we cannot read yet"):
        parse_document(polish.encode())
    # With one heading we know, what was read is kept and the language is named.
    result = parse_document(polish.replace("Umiejętności", "Skills").encode())
    assert [s.name for s in result.profile.skills] == ["Python", "SQL", "Docker"]
    assert "unsupported_language" in warning_codes(result.warnings)
    assert "Polish" in next(w for w in result.warnings if w.startswith("unsupported_language"))
