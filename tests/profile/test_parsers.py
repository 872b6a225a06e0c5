"""Resume parsing: every format, every kind of bad input, and the quality bar on real resumes."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from careergini.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from careergini.documents.errors import (
    ArchiveTooLarge,
    EncryptedDocument,
    ScannedDocument,
    UnreadableDocument,
    UnsupportedDocumentType,
)
from careergini.profile.errors import NoResumeContent
from careergini.profile.parsers import MAX_DOCUMENT_BYTES, parse_document
from careergini.profile.parsers.findings import warning_codes
from careergini.profile.schemas import DocumentType

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GENERATED = FIXTURES / "generated"
RESUMES = FIXTURES / "resumes"
REPO = Path(__file__).resolve().parents[2]


def load(name: str) -> bytes:
    return (GENERATED / name).read_bytes()


def _bench():
    """Load the benchmark's scoring code, so tests and benchmark judge quality the same way."""
    path = REPO / "benchmarks" / "bench_profile_parsing.py"
    spec = importlib.util.spec_from_file_location("bench_profile_parsing", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()


# --- the quality bar ----------------------------------------------------------------------------

RENDERCV = ["Classic", "Ember", "Moderncv", "Sb2nov"]
RESUME_MATCHER = ["alfred_pennyworth_pm", "harvey_dent_mle", "john_doe"]


def _quality_cases():
    for theme in RENDERCV:
        stem = f"John_Doe_{theme}Theme_CV"
        yield pytest.param(RESUMES / "rendercv" / f"{stem}.pdf", stem, id=f"rendercv-{theme}")
    for name in RESUME_MATCHER:
        yield pytest.param(RESUMES / "resume-matcher" / f"{name}.pdf", name, id=name)


@pytest.mark.parametrize(("path", "stem"), list(_quality_cases()))
def test_field_groups_reach_f1_of_0_9(path: Path, stem: str):
    if path.parent.name == "rendercv":
        truth = bench.rendercv_truth(path.with_suffix(".yaml"))
    else:
        truth_file = json.loads((path.parent / "ground_truth.json").read_text())
        truth = truth_file["documents"][path.name]
    result = parse_document(path.read_bytes(), path.name)
    score = bench.score_document(stem, result.profile, truth)
    f1 = {group: round(counts.f1, 3) for group, counts in score.groups.items()}
    assert all(value >= 0.9 for value in f1.values()), (f1, score.misses)


def test_rendercv_classic_reads_every_position_exactly():
    result = parse_document((RESUMES / "rendercv" / "John_Doe_ClassicTheme_CV.pdf").read_bytes())
    work = result.profile.work
    assert [(w.company, w.title) for w in work] == [
        ("Nexus AI", "Co-Founder & CTO"),
        ("NVIDIA Research", "Research Intern"),
        ("Google DeepMind", "Research Intern"),
        ("Apple ML Research", "Research Intern"),
        ("Microsoft Research", "Research Intern"),
    ]
    assert work[0].current and work[0].start is not None and work[0].start.year == 2023
    # A bullet wrapped onto a second line is one bullet, and the time span beside it is dropped.
    assert work[0].bullets[0].endswith("99.97% uptime")
    assert all("months" not in b for w in work for b in w.bullets)
    # Publications and patents are sections of their own, not more projects.
    assert [p.name for p in result.profile.projects] == ["FlashInfer", "NeuralPrune"]


def test_pdf_contact_links_come_from_link_annotations():
    result = parse_document((RESUMES / "rendercv" / "John_Doe_ClassicTheme_CV.pdf").read_bytes())
    links = result.profile.basics.links
    # The header only shows "rendercv" twice; the targets of the links say which is which.
    assert links.linkedin == "https://linkedin.com/in/rendercv"
    assert links.github == "https://github.com/rendercv"
    assert links.website == "https://rendercv.com/"
    assert "https://example.com" not in links.other  # a link in the body is not the person's


def test_moderncv_dates_beside_the_entry_are_joined():
    result = parse_document((RESUMES / "resume-matcher" / "harvey_dent_mle.pdf").read_bytes())
    first = result.profile.work[0]
    assert (first.company, first.title) == ("OpenAI", "Machine Learning Engineer")
    assert first.start is not None and first.start.year == 2021
    assert first.current
    # Words that pdfminer would run together at its default tolerance stay apart.
    assert "Leading a team of AI engineers." in first.bullets


# --- layout -------------------------------------------------------------------------------------


def test_two_column_pdf_is_read_column_by_column():
    result = parse_document(load("two_column.pdf"))
    profile = result.profile
    assert "two_column_layout" in warning_codes(result.warnings)
    assert [(w.company, w.title) for w in profile.work] == [
        ("Globex Corporation", "Senior Software Engineer"),
        ("Initech", "Software Engineer"),
    ]
    assert profile.work[0].bullets == [
        "Led the move of 40 services to Kubernetes",
        "Cut p99 latency of the billing API by 35%",
    ]
    assert profile.education[0].institution == "University of Texas"
    assert [lang.language for lang in profile.languages] == ["English", "Spanish"]
    assert profile.projects[0].name == "pgwatch-lite"
    surfaces = {e.surface.lower() for s in profile.skills for e in s.evidence}
    assert {"python", "docker", "kubernetes", "terraform", "aws"} <= surfaces


def test_rendercv_date_column_is_not_mistaken_for_a_second_column():
    for theme in RENDERCV:
        path = RESUMES / "rendercv" / f"John_Doe_{theme}Theme_CV.pdf"
        assert "two_column_layout" not in warning_codes(parse_document(path.read_bytes()).warnings)


# --- other formats ------------------------------------------------------------------------------


def test_docx_with_tables_headings_and_lists():
    result = parse_document(load("resume.docx"), "resume.docx")
    profile = result.profile
    assert result.document_type is DocumentType.DOCX
    assert any(w.startswith("tables_found") for w in result.warnings)
    assert profile.basics.name == "Samir Haddad"
    assert profile.basics.email == "samir.haddad@example.net"
    assert profile.basics.links.github == "https://github.com/samirh"
    assert [(w.company, w.title) for w in profile.work] == [
        ("Monzo", "Staff Engineer"),
        ("Revolut", "Software Engineer"),
    ]
    assert profile.work[1].start is not None and profile.work[1].start.month == 9
    edu = profile.education[0]
    assert (edu.institution, edu.degree, edu.field) == (
        "Imperial College London",
        "MSc",
        "Computer Science",
    )
    cert = profile.certifications[0]
    assert cert.name == "AWS Certified Solutions Architect – Associate"
    assert cert.issuer == "Amazon Web Services"
    assert [(lang.language, lang.fluency) for lang in profile.languages] == [
        ("English", "Native"),
        ("Arabic", "Fluent"),
        ("French", "Intermediate"),
    ]


def test_docx_contact_details_in_the_page_header_are_read():
    from docx import Document

    document = Document()
    header = document.sections[0].header
    header.paragraphs[0].text = "Lena Vogel"
    header.add_paragraph("lena.vogel@example.de | +49 30 1234 5678 | Berlin, Germany")
    document.add_heading("Experience", level=1)
    document.add_paragraph("Backend Engineer, Zalando\t2019 – 2023")
    document.add_paragraph(
        "Scaled the catalog service to 5k requests per second", style="List Bullet"
    )
    out = io.BytesIO()
    document.save(out)
    profile = parse_document(out.getvalue()).profile
    assert profile.basics.name == "Lena Vogel"
    assert profile.basics.email == "lena.vogel@example.de"
    assert profile.basics.location == "Berlin, Germany"
    work = profile.work[0]
    assert (work.company, work.title) == ("Zalando", "Backend Engineer")
    assert work.bullets == ["Scaled the catalog service to 5k requests per second"]


def test_linkedin_export():
    result = parse_document(load("linkedin_export.zip"), "Basic_LinkedInDataExport.zip")
    profile = result.profile
    assert result.document_type is DocumentType.LINKEDIN_EXPORT
    assert profile.basics.name == "Ana Silva"
    assert profile.basics.email == "ana.silva@example.com"  # the primary address
    assert profile.basics.links.github == "https://github.com/anasilva"
    assert profile.basics.links.website == "https://anasilva.dev"
    acme, globex = profile.work
    assert (acme.company, acme.title, acme.current) == ("Acme", "Platform Engineer", True)
    assert acme.start is not None and (acme.start.year, acme.start.month) == (2021, 3)
    assert acme.bullets == ["Runs Kubernetes clusters", "Wrote Terraform modules"]
    assert globex.start is not None and (globex.start.year, globex.start.month) == (2018, None)
    assert profile.education[0].degree == "Master of Science"
    assert profile.certifications[0].issuer == "The Linux Foundation"
    assert profile.languages[0].fluency == "Native or bilingual proficiency"
    names = {s.name.lower() for s in profile.skills}
    assert {"go", "terraform", "kubernetes", "site reliability engineering"} <= names


def test_linkedin_export_tolerates_missing_files_and_columns():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "Positions.csv",
            "Notes:\nSome positions may be missing\n\nCompany Name,Title,Started On\n"
            "Umbrella,Chemist,2015\n",
        )
    result = parse_document(out.getvalue())
    assert result.document_type is DocumentType.LINKEDIN_EXPORT
    assert [(w.company, w.title) for w in result.profile.work] == [("Umbrella", "Chemist")]
    assert "missing_file: profile.csv" in result.warnings


def test_json_resume():
    result = parse_document(load("resume.json"))
    profile = result.profile
    assert result.document_type is DocumentType.JSON_RESUME
    assert profile.basics.location == "Seattle, WA, US"
    assert profile.basics.links.github == "https://github.com/kimpark"
    assert profile.work[0].current  # no endDate means the job goes on
    assert profile.education[0].grade == "3.8"
    names = {s.name.lower() for s in profile.skills}
    assert {"react", "typescript", "css"} <= names


def test_markdown_resume():
    result = parse_document(load("resume.md"), "resume.md")
    profile = result.profile
    assert result.document_type is DocumentType.TEXT
    assert profile.basics.name == "Priya Nair"
    assert profile.basics.links.linkedin == "https://linkedin.com/in/priyanair"
    assert profile.basics.headline is None  # "LinkedIn" is a link text, not a headline
    assert [(w.company, w.title) for w in profile.work] == [
        ("Flipkart", "Senior ML Engineer"),
        ("Swiggy", "Data Scientist"),
    ]
    swiggy = profile.work[1]
    assert swiggy.start is not None and (swiggy.start.year, swiggy.start.month) == (2018, 6)
    assert profile.education[0].degree == "M.Tech"


def test_programming_languages_under_a_languages_heading_are_skills():
    text = (
        "Tom Berg\ntom@berg.example\n\nEXPERIENCE\nDeveloper, Spotify, 2019 - 2022\n\n"
        "LANGUAGES\nPython, Java\nSwedish (Native), English (Fluent)\n"
    )
    profile = parse_document(text.encode()).profile
    assert [(lang.language, lang.fluency) for lang in profile.languages] == [
        ("Swedish", "Native"),
        ("English", "Fluent"),
    ]
    assert {s.skill_id for s in profile.skills} >= {"python", "java"}


def test_skill_evidence_points_at_where_the_skill_was_seen():
    result = parse_document(load("resume.md"))
    lines = result.text.split("\n")
    skills = {s.name.lower(): s for s in result.profile.skills}
    pytorch = skills["pytorch"]
    sections = {e.section for e in pytorch.evidence}
    assert {"skills", "work"} <= sections
    work_evidence = next(e for e in pytorch.evidence if e.section == "work")
    assert work_evidence.work_index == 0
    for evidence in pytorch.evidence:
        assert evidence.line is not None
        line = lines[evidence.line - 1]
        assert line[evidence.start : evidence.end] == evidence.surface


# --- detection and bad input ------------------------------------------------------------------


def test_type_comes_from_the_bytes_not_the_name():
    result = parse_document(load("one_column.pdf"), "resume.docx")
    assert result.document_type is DocumentType.PDF
    assert any(w.startswith("extension_mismatch") for w in result.warnings)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
        (b"MZ\x90\x00" + b"\x00" * 64, "executable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "legacy"),
        (bytes(range(256)) * 4, "not a PDF"),
    ],
)
def test_unsupported_types_are_415(data: bytes, what: str):
    with pytest.raises(UnsupportedDocumentType) as caught:
        parse_document(data, "resume.pdf")
    assert caught.value.status_code == 415
    assert isinstance(caught.value, UnsupportedMediaType)
    assert what in caught.value.detail


def test_a_zip_that_is_neither_docx_nor_linkedin_is_415():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photos/cat.jpg", b"\xff\xd8\xff")
    with pytest.raises(UnsupportedDocumentType):
        parse_document(out.getvalue())


def test_scanned_pdf_says_why_and_what_to_upload_instead():
    with pytest.raises(ScannedDocument) as caught:
        parse_document(load("scanned.pdf"))
    assert caught.value.status_code == 422
    assert "no text layer" in caught.value.detail
    assert "DOCX" in caught.value.detail and "PDF exported with text" in caught.value.detail


def test_password_protected_pdf_is_422():
    with pytest.raises(EncryptedDocument) as caught:
        parse_document(load("encrypted.pdf"))
    assert caught.value.status_code == 422
    assert "password" in caught.value.detail


def test_pdf_encrypted_only_against_editing_is_read():
    result = parse_document(load("encrypted_no_user_password.pdf"))
    assert "pdf_encrypted_without_password" in result.warnings
    assert result.profile.basics.name == "Maria Lopez"


def test_truncated_pdf_is_422():
    with pytest.raises(UnreadableDocument) as caught:
        parse_document(load("truncated.pdf"))
    assert caught.value.status_code == 422


def test_corrupt_pdf_is_422():
    data = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    with pytest.raises(InvalidInput) as caught:
        parse_document(data)
    assert caught.value.status_code == 422


def test_corrupt_docx_is_422():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document><unclosed")
    with pytest.raises(UnreadableDocument):
        parse_document(out.getvalue())


def test_truncated_zip_is_422():
    data = load("resume.docx")
    with pytest.raises(UnreadableDocument):
        parse_document(data[: len(data) // 2])


def test_over_10_mb_is_413():
    data = b"%PDF-1.4\n" + b"0" * MAX_DOCUMENT_BYTES
    with pytest.raises(PayloadTooLarge) as caught:
        parse_document(data)
    assert caught.value.status_code == 413


def test_docx_zip_bomb_is_rejected_without_expanding_it():
    data = load("zip_bomb.docx")
    assert len(data) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveTooLarge) as caught:
            parse_document(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.status_code == 413
    assert peak < 5 * 1024 * 1024  # the 64 MB document.xml was never inflated


def test_pdf_bomb_is_rejected_without_inflating_it():
    data = load("pdf_bomb.pdf")
    assert len(data) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(PayloadTooLarge) as caught:
            parse_document(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.status_code == 413
    assert peak < 24 * 1024 * 1024  # inflation stops at the 16 MB cap, not at 64 MB


def test_archive_with_too_many_entries_is_rejected():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(2_100):
            archive.writestr(f"f{i}.csv", b"")
    with pytest.raises(ArchiveTooLarge):
        parse_document(out.getvalue())


def test_text_that_is_not_a_resume_is_422():
    with pytest.raises(NoResumeContent) as caught:
        parse_document(load("not_a_resume.txt"))
    assert caught.value.status_code == 422


def test_job_description_is_not_taken_for_a_resume():
    posting = (
        "Senior Java Developer\nAcme Corp, Austin, TX\n\nAbout Us\nWe build payment software.\n\n"
        "Responsibilities\n- Design and build services in Java\n\nRequirements\n"
        "- 5+ years of Java\n- BS in Computer Science\n\nApply at jobs@acme.example\n"
    )
    with pytest.raises(NoResumeContent) as caught:
        parse_document(posting.encode())
    assert "job description" in caught.value.detail


def test_json_that_is_not_a_json_resume_is_not_invented_into_one():
    data = json.dumps({"recipe": "lemon cake", "eggs": 3}).encode()
    with pytest.raises(NoResumeContent):
        parse_document(data)


def test_empty_file_is_422():
    with pytest.raises(InvalidInput):
        parse_document(b"")
