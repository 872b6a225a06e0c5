"""Labelled personal details ("Name  Michael", "Telefon: …") fill the contact block."""

from __future__ import annotations

from pathlib import Path

from careergini.profile.parsers import parse_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

GERMAN_CV = """Lebenslauf

Persönliche Daten
Name:  Anna
Vorname: Anna
Nachname: Schmidt
Telefon: +49 30 1234567
E-Mail: anna.schmidt@example.de
Wohnort: Berlin

Berufserfahrung
03/2019 - heute  Softwareentwicklerin, Beispiel GmbH
- Entwicklung von Python-Diensten mit PostgreSQL

Ausbildung
2014 - 2018  B.Sc. Informatik, Technische Universität Berlin
"""


def test_a_german_personal_details_block_gives_name_phone_email_and_town() -> None:
    basics = parse_document(GERMAN_CV.encode()).profile.basics
    # "Name: Anna" alone is one word; first and last name rows give the whole name.
    assert basics.name == "Anna"
    assert basics.phone == "+49 30 1234567"
    assert basics.email == "anna.schmidt@example.de"
    assert basics.location == "Berlin"
    assert basics.headline is None  # "Lebenslauf" is the document's title, not a headline


def test_first_and_last_name_rows_make_the_name() -> None:
    text = GERMAN_CV.replace("Name:  Anna\n", "")
    assert parse_document(text.encode()).profile.basics.name == "Anna Schmidt"


def test_a_labelled_name_in_the_header_is_read() -> None:
    text = """Name: Jonas Weber
Phone: +1 415 555 0134

Experience
Data Engineer, Initech  Jan 2020 - Present
- Built Python and SQL pipelines
"""
    basics = parse_document(text.encode()).profile.basics
    assert basics.name == "Jonas Weber"
    assert basics.phone == "+1 415 555 0134"


def test_rows_that_only_start_like_a_label_are_not_read() -> None:
    text = """Jonas Weber
jonas@example.com

Experience
Data Engineer, Initech  Jan 2020 - Present
- Name resolution service for 40 teams: cut lookup time by half
"""
    basics = parse_document(text.encode()).profile.basics
    assert basics.name == "Jonas Weber"


def test_the_german_lebenslauf_pdf_gives_the_labelled_name() -> None:
    data = (FIXTURES / "real-world" / "madic_lebenslauf_de.pdf").read_bytes()
    assert parse_document(data).profile.basics.name == "Michael"


def test_a_one_word_name_set_biggest_on_top_of_a_sidebar_is_the_name() -> None:
    data = (FIXTURES / "real-world" / "twentyseconds_sidebar_en.pdf").read_bytes()
    profile = parse_document(data).profile
    assert profile.basics.name == "Alice"  # was "United Kingdom"
    # Its skills sit under a singular "Skill" heading.
    assert {"Java", "polite", "outgoing"} <= {s.name for s in profile.skills}


def test_a_big_title_word_is_not_a_one_word_name() -> None:
    text = (
        "RESUME\nJonas Weber\njonas@example.com\n\n"
        "Experience\nData Engineer, Initech  2020 - 2022\n"
    )
    assert parse_document(text.encode()).profile.basics.name == "Jonas Weber"
