"""The ATS layout check reads a stored file once, in a worker process, and keeps the result."""

from __future__ import annotations

import time
from pathlib import Path

from careergini.analysis import service as analysis_service
from careergini.skills.service import inspect_layout

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generated"


async def test_a_files_layout_is_read_once_and_matches_a_direct_reading() -> None:
    data = (FIXTURES / "two_column.pdf").read_bytes()
    first = await analysis_service._layout(data, "pdf")
    assert first == inspect_layout(data, "pdf")  # the worker reads what the parser reads
    assert first.text_chars > 0
    started = time.perf_counter()
    again = await analysis_service._layout(data, "pdf")
    assert again is first  # kept: no second reading
    assert time.perf_counter() - started < 0.05
    other = await analysis_service._layout((FIXTURES / "one_column.pdf").read_bytes(), "pdf")
    assert other is not first and other == inspect_layout(
        (FIXTURES / "one_column.pdf").read_bytes(), "pdf"
    )
