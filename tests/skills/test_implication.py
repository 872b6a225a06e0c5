"""Skill implication over the packaged taxonomy and the reviewed list."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from careergini.skills.implication import build_implications, evidenced_by_studies, implied_by
from careergini.skills.taxonomy import Skill, SkillSources, Taxonomy, load_taxonomy


@pytest.mark.parametrize(
    ("held", "implied", "because"),
    [
        (["typescript"], "javascript", "typescript"),
        (["react"], "javascript", "react"),
        (["pandas"], "python", "pandas"),
        (["kubernetes"], "containers", "kubernetes"),
        (["docker"], "containers", "docker"),
        (["postgresql"], "sql", "postgresql"),
        (["spring-boot"], "java", "spring-boot"),
        (["github"], "git", "github"),
    ],
)
def test_a_held_skill_evidences_the_skill_it_is_built_on(
    held: list[str], implied: str, because: str
) -> None:
    assert implied_by(held)[implied] == because


def test_chains_name_the_held_skill_nearest_to_the_implied_one() -> None:
    got = implied_by(["nextjs", "typescript"])
    assert got["react"] == "nextjs"
    # TypeScript is one step from JavaScript, Next.js two: the nearer one is named.
    assert got["javascript"] == "typescript"


def test_held_skills_are_not_reported_as_implied() -> None:
    got = implied_by(["react", "javascript"])
    assert "javascript" not in got and "react" not in got


def test_nothing_implies_a_narrower_or_sibling_skill() -> None:
    assert "typescript" not in implied_by(["javascript"])
    assert "css" not in implied_by(["javascript"])
    assert "react" not in implied_by(["javascript", "vue"])
    assert "ios" not in implied_by(["cisco-networking"])
    assert "kubernetes" not in implied_by(["docker"])


def test_esco_groupings_that_are_not_evidence_are_left_out() -> None:
    # ESCO files Cisco under buying network equipment; having Cisco skills proves no purchasing.
    assert "procurement-of-ict-network-equipment" not in implied_by(["cisco-networking"])


def test_unknown_ids_imply_nothing() -> None:
    assert implied_by(["no-such-skill", ""]) == {}


def test_a_computer_science_degree_evidences_computer_science() -> None:
    got = evidenced_by_studies(["B.Sc. in Computer Science", "MA in History"])
    assert got["computer-science"] == "B.Sc. in Computer Science"
    assert all(field != "MA in History" for field in got.values())
    assert evidenced_by_studies(["Bachelor of Arts, History"]) == {}
    assert "statistics" in evidenced_by_studies(["MSc Statistics"])


def test_every_reviewed_id_is_in_the_taxonomy() -> None:
    taxonomy = load_taxonomy()
    data = json.loads(
        (resources.files("careergini.skills") / "data" / "implications.json").read_text()
    )
    ids = {i for a, b, _ in data["implies"] for i in (a, b)}
    ids |= {i for _, group in data["studies"] for i in group} | set(data["not_implied"])
    assert sorted(i for i in ids if i not in taxonomy) == []


def test_build_on_a_small_taxonomy_filters_esco_tasks() -> None:
    def skill(
        sid: str, category: str, broader: tuple[str, ...] = (), curated: bool = False
    ) -> Skill:
        return Skill(
            id=sid,
            name=sid,
            category=category,
            broader=broader,
            sources=SkillSources(curated=curated),
        )

    taxonomy = Taxonomy(
        [
            skill("lang", "language", ("programming",)),
            skill("programming", "knowledge"),
            skill("do-a-task", "digital", ("manage-things",)),
            skill("manage-things", "business"),
            skill("lib", "library", ("lang",), curated=True),
        ]
    )
    built = build_implications(taxonomy, {"implies": [["lib", "x-unknown", "test"]]})
    assert built.implied_by(["lib"]) == {"lang": "lib", "programming": "lib"}
    assert built.implied_by(["do-a-task"]) == {}
