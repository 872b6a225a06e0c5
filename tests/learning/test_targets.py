"""Target resolution (roles, job descriptions, skills) and the reading of the gap."""

from __future__ import annotations

import pytest

from careergini.learning import targets
from careergini.learning.errors import NotAJob, RoleNotFound, UnknownSkill
from careergini.skills.candidate import Candidate, CandidateSkill
from careergini.skills.errors import UnknownRole
from careergini.skills.taxonomy import load_roles
from tests.samples import BACKEND_JD

DATA_SCIENTISTS = "onet:15-2051.00"
ESCO_DATA_SCIENTIST = "esco:258e46f9-0075-4a2e-adae-1ff0477e0f30"


def candidate(*skills: str) -> Candidate:
    return Candidate(
        skills={s: CandidateSkill(s, s, ("resume",), 2026) for s in skills},
        titles=(),
        years_experience=0,
        seniority=None,
        experience_text="",
        full_text="",
    )


@pytest.mark.parametrize("query", [DATA_SCIENTISTS, "Data Scientists", "data scientists  "])
def test_roles_resolve_by_id_or_exact_title(query: str) -> None:
    assert targets.resolve_role(query).id == DATA_SCIENTISTS


def test_an_alternate_title_resolves_too() -> None:
    assert "Data Analytic Scientist" in load_roles().get(DATA_SCIENTISTS).alt_titles
    assert targets.resolve_role("DATA ANALYTIC SCIENTIST").id == DATA_SCIENTISTS


def test_unknown_roles_come_with_close_matches() -> None:
    with pytest.raises(RoleNotFound) as partial:
        targets.resolve_role("web devel")
    assert partial.value.status_code == 404
    titles = [s["title"] for s in partial.value.extra["suggested_roles"]]
    assert titles[0] == "Web developer"
    assert "/api/" not in partial.value.detail and "Web developer" in partial.value.detail
    with pytest.raises(UnknownRole):
        targets.resolve_role("esco:not-a-role")


def test_a_job_description_gives_requirements_and_duties() -> None:
    resolved = targets.resolve_target(target_role=None, job_description=BACKEND_JD)
    assert resolved.target["type"] == "job_description"
    assert resolved.target["title"] == "Senior Backend Engineer"
    assert any("REST APIs" in duty for duty in resolved.duties)
    with pytest.raises(NotAJob):
        targets.resolve_target(target_role=None, job_description="Our office dog is Biscuit.")


def test_the_core_scope_of_a_role() -> None:
    resolved = targets.resolve_target(target_role=DATA_SCIENTISTS, job_description=None)
    needs = {n.skill_id: n for n in targets.needs_from_gap(resolved, candidate("python"))}
    assert "python" not in needs  # they have it
    assert needs["pandas"].core and needs["pandas"].importance == "required"  # in demand
    assert needs["sql"].core and needs["sql"].importance == "required"  # hot and in demand
    assert not needs["alteryx"].core  # hot, not in demand: only scope "full"
    esco = targets.resolve_target(target_role=ESCO_DATA_SCIENTIST, job_description=None)
    esco_needs = {n.skill_id: n for n in targets.needs_from_gap(esco, candidate())}
    assert esco_needs["statistics"].importance == "required"
    assert esco_needs["computer-vision"].importance == "preferred"  # ESCO optional
    assert all(n.core for n in esco_needs.values())


def test_transferable_skills_become_bridges() -> None:
    resolved = targets.resolve_target(target_role=None, job_description=BACKEND_JD)
    needs = {n.skill_id: n for n in targets.needs_from_gap(resolved, candidate("mysql"))}
    assert needs["postgresql"].transfer_from == "mysql"


def test_skills_resolve_by_id_name_or_alias() -> None:
    assert targets.resolve_skill("k8s").id == "kubernetes"
    assert targets.resolve_skill("Python").id == "python"
    with pytest.raises(UnknownSkill) as unknown:
        targets.resolve_skill("pytho")
    assert unknown.value.extra["suggestions"][0]["id"] == "python"
