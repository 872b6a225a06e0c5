"""The curated catalogue, the prerequisite pairs and their validator."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from careergini.learning.catalogue import load_catalogue, read_data_file
from careergini.learning.validate_resources import (
    main,
    url_problem,
    validate_all,
    validate_prerequisites,
    validate_questions,
    validate_resources,
)
from careergini.skills.taxonomy import load_taxonomy


def test_the_shipped_data_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    errors, stats = validate_all()
    assert errors == []
    assert stats["hot_covered"] + stats["hot_excluded"] == stats["hot_technologies"]
    assert stats["hot_excluded"] <= 15
    assert set(stats["kinds"]) == {
        "book",
        "course",
        "documentation",
        "practice",
        "tutorial",
        "video",
    }
    assert main([]) == 0
    assert capsys.readouterr().out.strip().endswith("OK")


def _resources() -> dict[str, Any]:
    return copy.deepcopy(read_data_file("resources.json"))


def test_the_validator_catches_broken_resources() -> None:
    taxonomy = load_taxonomy()
    doc = _resources()
    first = doc["resources"][0]
    doc["resources"].append({**first})  # duplicate id and URL
    doc["resources"][1]["url"] = "http://example.com/page"
    doc["resources"][2]["kind"] = "podcast"
    doc["resources"][3]["skills"] = ["not-a-skill"]
    doc["resources"] = [r for r in doc["resources"] if "tableau" not in r["skills"]]
    doc["skills"]["python"]["checkpoint"] = "knows Python"
    errors, _ = validate_resources(doc, taxonomy)
    text = "\n".join(errors)
    assert f"resource id {first['id']!r} is used 2 times" in text
    assert "is listed 2 times" in text
    assert "is not https" in text
    assert "kind 'podcast'" in text
    assert "'not-a-skill' is not in the taxonomy" in text
    assert "hot technology 'tableau' has no resource and no reviewed exclusion" in text
    assert "guide tableau: no resource teaches it" in text
    assert 'guide python: the checkpoint must start with "can "' in text


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://docs.python.org/3/", None),
        ("http://docs.python.org/3/", "is not https"),
        ("https://localhost/x", "has no valid host name"),
        ("https://user:pw@example.com/", "carries credentials"),
        ("https://example.com/a b", "contains whitespace"),
    ],
)
def test_url_rules(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


def test_the_validator_catches_prerequisite_cycles_and_bad_questions() -> None:
    taxonomy = load_taxonomy()
    pairs = copy.deepcopy(read_data_file("prerequisites.json"))
    pairs["pairs"]["python"] = ["pandas"]  # pandas already needs python
    pairs["alternative_families"].append("no-such-family")
    errors = validate_prerequisites(pairs, taxonomy)
    assert any("cycle" in e and "python" in e and "pandas" in e for e in errors)
    assert any("no-such-family" in e for e in errors)
    questions = copy.deepcopy(read_data_file("questions.json"))
    questions["questions"][0]["options"][1]["correct"] = True
    questions["questions"][0]["options"][2]["correct"] = True
    questions["questions"].append(questions["questions"][1])
    errors, _ = validate_questions(questions, taxonomy)
    assert any("correct options (exactly one expected)" in e for e in errors)
    assert any("is used 2 times" in e for e in errors)


def test_resources_are_ordered_and_filtered() -> None:
    catalogue = load_catalogue()
    python = catalogue.resources_for("python")
    assert python[0].level == "beginner" and python[-1].level in ("all", "intermediate")
    advanced = catalogue.resources_for("python", level="advanced")
    assert advanced and all(r.level in ("advanced", "all") for r in advanced)
    assert all(r.kind == "practice" for r in catalogue.resources_for("python", kind="practice"))
    # An ESCO competence is taught with the resources of the skill whose guide covers it.
    assert catalogue.covering_skill("design-database-scheme") == "database-management-systems"
    assert catalogue.resources_for("design-database-scheme") == catalogue.resources_for(
        "database-management-systems"
    )
    assert catalogue.resources_for("epic-systems") == []
    assert "epic-systems" in catalogue.exclusions
