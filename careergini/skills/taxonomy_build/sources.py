"""Read the data sets: CSV and JSON Lines files, and the words ordinary English prose uses."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_WORD = re.compile(r"(?<![\w.#+-])[a-z][a-z]+(?![\w#+])")


def read_csv(path: Path, *, optional: bool = False) -> Iterator[dict[str, str]]:
    """Yield the rows of a CSV file; nothing when an optional file is missing."""
    if optional and not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Return the objects of a JSON Lines file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def common_words(data: Path) -> set[str]:
    """Return words the shared English corpora (descriptions, job ads) use as ordinary words.

    A tool name written in lowercase inside ordinary prose ("make", "access", "spring") is a
    common word; a proper name such as "Python" or "Kubernetes" almost never is.
    """
    counts: Counter[str] = Counter()
    corpora = [
        (data / "esco" / "occupations_en.csv", ("description",)),
        (data / "esco" / "digitalSkillsCollection_en.csv", ("description",)),
        (data / "esco" / "transversalSkillsCollection_en.csv", ("description",)),
        (data / "onet" / "Occupation Data.csv", ("Description",)),
        (data / "jobs" / "nyc-jobs" / "NYC_Jobs.csv", ("Job Description", "Preferred Skills")),
    ]
    for path, columns in corpora:
        if not path.exists():
            continue
        for row in read_csv(path):
            for column in columns:
                counts.update(_WORD.findall(row.get(column) or ""))
    return {w for w, n in counts.items() if n >= 2}
