"""The ATS report's layout checks on real PDFs: text in images, partial columns.

The PDFs are rendered here by WeasyPrint (the app's own PDF renderer) from small HTML resumes, and
the real-world resumes of ``tests/fixtures`` and ``../shared/data`` are the no-false-alarm check.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image
from weasyprint import HTML

from careergini.documents.layout import Line, column_rows
from careergini.skills.ats import LayoutFacts, ats_report, inspect_layout
from careergini.skills.requirements import JobRequirements

BODY = "<h1>Jane Doe</h1><p>jane@example.com</p><h2>Experience</h2>" + "".join(
    f"<p>Built service number {i} in Python for the payments team</p>" for i in range(4)
)


def pdf(html: str) -> bytes:
    return HTML(string=f"<html><body>{BODY}{html}</body></html>").write_pdf()


def png(width: int, height: int) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def checks(layout: LayoutFacts) -> dict[str, tuple[bool, str]]:
    job = JobRequirements(None, None, None, None, (), "")
    report = ats_report(job=job, resume_text="", document_skills={}, contact={},
                        work_dates=[], parse_warnings=[], layout=layout)  # fmt: skip
    return {c.name: (c.passed, c.detail) for c in report.checks}


def test_an_image_only_skills_block_is_flagged() -> None:
    layout = inspect_layout(
        pdf(f"<h2>Skills</h2><img src='{png(600, 160)}' style='width:400px;height:110px'>"), "pdf"
    )
    assert layout.text_sized_images == 1
    passed, detail = checks(layout)["no_text_in_images"]
    assert not passed and "write them out as text" in detail


def test_a_small_icon_is_not_text_in_an_image() -> None:
    layout = inspect_layout(
        pdf(f"<h2>Skills</h2><p>Python</p><img src='{png(40, 40)}' style='width:16px'>"), "pdf"
    )
    assert layout.images == 1 and layout.text_sized_images == 0
    assert checks(layout)["no_text_in_images"][0]


def test_a_partial_two_column_block_is_flagged() -> None:
    left = "".join(f"<p style='margin:2px'>Skill {w}</p>" for w in ["Python", "SQL", "Docker"])
    right = "".join(
        f"<p style='margin:2px'>Led the migration of the billing system part {i}</p>"
        for i in range(3)
    )
    html = (
        f"<h2>Projects</h2><div style='display:flex;gap:60px'><div style='width:150px'>{left}"
        f"</div><div>{right}</div></div><h2>Education</h2><p>BSc Computer Science</p>"
    )
    layout = inspect_layout(pdf(html), "pdf")
    assert layout.column_rows >= 3
    passed, detail = checks(layout)["single_column"]
    assert not passed and "side by side" in detail


def test_the_parsers_two_column_warning_fails_the_check() -> None:
    job = JobRequirements(None, None, None, None, (), "")
    warning = "two_column_layout: The resume is laid out in columns; each column was read in turn."
    report = ats_report(job=job, resume_text="", document_skills={}, contact={},
                        work_dates=[], parse_warnings=[warning], layout=LayoutFacts())  # fmt: skip
    assert not {c.name: c.passed for c in report.checks}["single_column"]


def test_dates_places_and_numbers_beside_a_line_are_not_columns() -> None:
    rows = [
        Line(["Nexus AI, Co-Founder & CTO", "San Francisco, CA"]),
        Line(["Built the platform serving two million requests", "Jun 2023 – present"]),
        Line(["Research Intern at a lab", "4 months"]),
        Line(["1.", "Adaptive Quantization for Neural Network Inference on Edge Devices"]),
        Line(["Monitoring", "Prometheus, Grafana, Nagios, InfluxDB"]),
    ]
    assert column_rows(rows) == 0


REAL = sorted(
    [
        *(Path(__file__).parents[1] / "fixtures/resumes/rendercv").glob("*.pdf"),
        *(Path(__file__).parents[3] / "shared/data/resumes/real-world").rglob("*.pdf"),
    ]
)


@pytest.mark.parametrize("path", [p for p in REAL if "banking" not in p.name], ids=lambda p: p.name)
def test_real_single_flow_resumes_raise_no_false_alarm(path: Path) -> None:
    layout = inspect_layout(path.read_bytes(), "pdf")
    assert layout.column_rows == 0 and layout.text_sized_images == 0
