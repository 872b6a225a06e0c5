"""The regression corpus of real-world shapes, scored as `make bench` scores it (field F1)."""

from __future__ import annotations

import importlib.util
import sys

from tests.profile.test_parsers import REPO

# Field F1 each shape reaches today: a change that reads any shape worse fails here.
FLOORS: dict[str, dict[str, float]] = {
    "docx-soft-breaks": {"contact": 1.0, "positions": 1.0, "education": 1.0, "skills": 1.0},
    "text-languages": {"contact": 1.0, "positions": 1.0, "education": 1.0, "skills": 1.0},
    "pdf-right-aligned-dates": {"contact": 1.0, "positions": 0.9, "education": 1.0},
    "pdf-two-column": {"contact": 1.0, "positions": 1.0, "education": 1.0, "skills": 0.9},
    "pdf-side-column": {"positions": 0.9, "skills": 1.0},
    "pdf-german": {"contact": 1.0, "positions": 1.0, "education": 0.75, "skills": 0.85,
                   "languages": 1.0},
    # moderncv with its placeholder content, NicoFilips, cv-optimizer.
    "pdf-side-column-dates": {"contact": 0.95, "positions": 0.65, "education": 0.7},
    "pdf-banking-right-dates": {"contact": 1.0},
    # The generated corpus (tests/fixtures/resumes/generated): 10 people, 6 shapes each.
    "generated-docx-soft-breaks": {"contact": 1.0, "positions": 1.0, "education": 1.0,
                                   "skills": 1.0, "languages": 1.0},
    "generated-docx-table": {"contact": 0.9, "positions": 1.0, "education": 1.0,
                             "skills": 1.0, "languages": 1.0},
    "generated-docx-page-header": {"contact": 1.0, "positions": 1.0, "education": 1.0,
                                   "skills": 1.0, "languages": 1.0},
    "generated-pdf-word-export": {"contact": 1.0, "positions": 1.0, "education": 0.95,
                                  "skills": 1.0, "languages": 1.0},
    "generated-pdf-job-board": {"contact": 1.0, "positions": 1.0, "education": 1.0,
                                "skills": 1.0, "languages": 1.0},
    "generated-pdf-two-column": {"contact": 1.0, "positions": 1.0, "education": 0.95,
                                 "skills": 1.0, "languages": 1.0},
    "generated student": {"contact": 1.0, "positions": 1.0, "education": 0.95, "skills": 1.0},
}  # fmt: skip


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_profile_parsing_shapes", REPO / "benchmarks" / "bench_profile_parsing.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_shape_keeps_its_field_f1():
    by_shape, _, misses, refused = _bench().score_shapes()
    assert refused == []
    reached = {
        shape: {group: round(counts[group].f1, 2) for group in floors}
        for shape, floors in FLOORS.items()
        for counts in [by_shape[shape]]
    }
    low = {
        shape: {g: f1 for g, f1 in groups.items() if f1 < FLOORS[shape][g]}
        for shape, groups in reached.items()
    }
    assert not any(low.values()), (low, misses)
