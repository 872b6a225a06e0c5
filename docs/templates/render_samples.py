"""Render the sample resume (tests/resume/samples.py) in every template as a PNG of its first
page, for the README: ``PYTHONPATH=. python docs/templates/render_samples.py`` (needs pdftoppm)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from careergini.resume import render
from careergini.resume.schemas import TEMPLATES
from tests.resume.samples import RESUME, profile_from_text
from tests.resume.test_tailor import draft_for

HERE = Path(__file__).resolve().parent


def main() -> None:
    document = draft_for(profile_from_text(RESUME), position_order="chronological").document
    with tempfile.TemporaryDirectory() as tmp:
        for template in TEMPLATES:
            pdf = Path(tmp) / f"{template}.pdf"
            pdf.write_bytes(render.render_pdf(document, template=template, page_size="Letter"))
            target = HERE / template
            subprocess.run(
                ["pdftoppm", "-png", "-r", "45", "-f", "1", "-l", "1", "-singlefile", pdf, target],
                check=True,
            )
            print(target.with_suffix(".png"))


if __name__ == "__main__":
    main()
