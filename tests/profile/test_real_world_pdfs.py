"""Real PDFs nobody here wrote: side columns, two columns, right-aligned dates, a German CV."""

from __future__ import annotations

from pathlib import Path

from careergini.profile.parsers import parse_document
from careergini.profile.parsers.findings import warning_codes

REAL_WORLD = Path(__file__).resolve().parents[1] / "fixtures" / "real-world"


def _parse(name: str):
    return parse_document((REAL_WORLD / name).read_bytes(), name)


def test_right_aligned_places_and_dates_bind_to_their_bulleted_entries():
    # sb2nov: each job sits in an outer list ("• Google ... Mountain View, CA"), its title and
    # dates on the row below, right-aligned.
    profile = _parse("sb2nov_resume_en.pdf").profile
    assert [(w.company, w.title, w.location) for w in profile.work] == [
        ("Google", "Software Engineer", "Mountain View, CA"),
        ("Coursera", "Senior Software Engineer", "Mountain View, CA"),
        ("Lucena Research", "Data Scientist", "Atlanta, GA"),
        ("Georgia Institute of Technology", "Research and Teaching Assistant", "Atlanta, GA"),
    ]
    google, coursera = profile.work[:2]
    assert google.current and google.start is not None
    assert (google.start.year, google.start.month) == (2016, 10)
    assert coursera.end is not None and (coursera.end.year, coursera.end.month) == (2016, 10)
    assert len(coursera.bullets) >= 6


def test_two_column_pdf_keeps_name_dates_and_bullets():
    result = _parse("deedy_two-column_en.pdf")
    profile = result.profile
    assert "two_column_layout" in warning_codes(result.warnings)
    assert profile.basics.name == "Debarghya Das"
    assert [w.company for w in profile.work] == ["FACEBOOK", "COURSERA", "GOOGLE", "PHABRICATOR"]
    assert all(w.start is not None and w.end is not None for w in profile.work)
    assert sum(len(w.bullets) for w in profile.work) >= 5
    assert len(profile.skills) >= 10


def test_sidebar_pdf_reads_the_main_columns_sections_with_coloured_initials():
    # Twenty Seconds CV: headings print their first letters in another colour ("exp erience").
    profile = _parse("twentyseconds_sidebar_en.pdf").profile
    assert profile.basics.email == "alice@wonderland.com"
    assert [w.title for w in profile.work] == [
        "Alice in Wonderland-The Circra (1900’s) Silent Film.",
        "Alice in Wonderland 1933 version.",
        "Disney Film.",
    ]
    assert "Ph.D." in [e.degree for e in profile.education]


def test_a_label_column_of_dates_stays_on_the_rows_it_labels():
    # The German Lebenslauf sets "Seit 05/2019" left of "Firma 2 (Ort)": one row, not a sidebar.
    result = _parse("madic_lebenslauf_de.pdf")
    codes = warning_codes(result.warnings)
    assert "two_column_layout" not in codes and "other_language" in codes
    dated = [w for w in result.profile.work if w.start]
    assert len(dated) == 3
    assert dated[0].current and dated[0].start is not None
    assert (dated[0].start.year, dated[0].start.month) == (2019, 5)
    assert dated[2].end is not None and (dated[2].end.year, dated[2].end.month) == (2015, 7)


def test_education_under_right_aligned_places_is_one_entry_each_without_the_gpa():
    education = _parse("sb2nov_resume_en.pdf").profile.education
    assert [(e.institution, e.degree, e.field, e.grade, e.location) for e in education] == [
        ("Georgia Institute of Technology", "Master of Science", "Computer Science", "4.00",
         "Atlanta, GA"),
        ("Birla Institute of Technology and Science", "Bachelor of Engineering",
         "Electrical and Electronics", "3.66", "Pilani, India"),
    ]  # fmt: skip


def test_german_lebenslauf_reads_employer_title_education_languages_and_footer_contact():
    # "Seit 05/2019 | **Firma 2** (Ort)" over "Titel 1" / "Titel 2" / "Kurzbeschreibung": the
    # name with its town in brackets is the employer, the row under it the title.
    profile = _parse("madic_lebenslauf_de.pdf").profile
    assert [(w.company, w.title, w.location) for w in profile.work] == [
        ("Firma 2", "Titel 1", "Ort"),
        ("Firma 2", "Titel", "Ort"),
        ("Firma 1", "Titel", "Ort"),
    ]
    assert [(e.institution, e.start and e.start.year) for e in profile.education] == [
        ("Firma 1", 2008),
        ("Schule", 1998),
    ]
    # "Sprachen  Deutsch (Muttersprache), Englisch" sits among the skills rows.
    assert [(x.language, x.fluency) for x in profile.languages] == [
        ("Deutsch", "Muttersprache"),
        ("Englisch", None),
    ]
    names = {s.name for s in profile.skills}
    assert {"PostgreSQL", "Kubernetes", "Grafana"} <= names
    assert not {"Deutsch", "Englisch"} & names
    # The contact rows are printed at the very end of the CV.
    basics = profile.basics
    assert (basics.email, basics.phone) == ("e-mail@example.com", "+49 111 111111")
    assert basics.links.github == "https://github.com/Madic-"


def test_two_column_deedy_education_is_clean_and_every_job_is_its_own():
    profile = _parse("deedy_two-column_en.pdf").profile
    # "COURSERA | KPCB FELLOW ..." is set as "FACEBOOK | SOFTWARE ENGINEER" was: a new job.
    assert [w.company for w in profile.work] == ["FACEBOOK", "COURSERA", "GOOGLE", "PHABRICATOR"]
    assert [(w.kind) for w in profile.work] == ["job", "internship", "internship", "job"]
    # "Grad. May 2011" is a date with its marker, and "College of Engineering", "Magna Cum
    # Laude" and the GPA rows describe the BS; none is a school.
    assert [(e.institution, e.degree, e.end and e.end.year) for e in profile.education] == [
        ("CORNELL UNIVERSITY", "MENG", 2014),
        ("CORNELL UNIVERSITY", "BS", 2014),
        ("LA MARTINIERE FOR BOYS", None, 2011),
    ]
    assert "College of Engineering" in profile.education[1].bullets


def test_skills_lists_keep_skills_and_drop_labels_letters_addresses_and_footnotes():
    deedy = {s.name for s in _parse("deedy_two-column_en.pdf").profile.skills}
    assert {"Java", "OCaml", "C", "MySQL"} <= deedy
    junk = {"PROGRAMMING", "Over 5000 lines", "Over 1000 lines", "Familiar", "A"}
    assert not junk & deedy
    assert not {"debarghyadas.com", "fb.co/dd"} & deedy
    # Twenty Seconds prints text skills with their level glued on ("lovely4 narcissistic3")
    # and a footnote on the skill scale under them.
    alice = [s.name for s in _parse("twentyseconds_sidebar_en.pdf").profile.skills]
    assert {"lovely", "narcissistic", "pursuer of rabbits"} <= set(alice)
    assert not any("6" in name or "]" in name for name in alice)


def test_moderncv_name_survives_its_cover_letter_and_a_title_on_the_name_line():
    # classic: the cover letter after the CV repeats "John Doe" atop its page (a running
    # header by shape); banking: "John Doe | Resumé title" on one line.
    classic = _parse("moderncv_classic_en.pdf").profile.basics
    banking = _parse("moderncv_banking_en.pdf").profile.basics
    assert classic.name == banking.name == "John Doe"
    assert banking.phone == "+1 (234) 567 890"  # a 6-digit local number after the area code


def test_dated_jobs_under_a_heading_we_do_not_know_are_read_and_the_import_says_so():
    # NicoFilips puts four dated jobs under "School education and CV" ("Start June 2017").
    result = _parse("nicofilips_cv.pdf")
    work = result.profile.work
    assert [(w.company, w.title) for w in work] == [("The Company Ltd.", "Job Description")] * 4
    assert work[0].current and work[0].start is not None and work[0].start.year == 2021
    assert work[1].start is not None and (work[1].start.year, work[1].start.month) == (2017, 6)
    assert work[1].end is None  # "Start June 2017" gives no end
    codes = warning_codes(result.warnings)
    assert "positions_unknown_heading" in codes and "no_positions" not in codes
    assert any("School education and CV" in w for w in result.warnings)
