"""The model's rewrites go through the claims check with position scope (issue 15's lies)."""

from __future__ import annotations

from careergini.resume import grounding
from careergini.resume.rewrite import ground_item
from careergini.resume.schemas import Item

SOURCE = "Built FastAPI services on PostgreSQL serving 2M requests a day"
ACME = "\n".join(["Backend Engineer", "Acme Corp", SOURCE])
GLOBEX = "\n".join(["Platform Engineer", "Globex", "Ran Kubernetes clusters for the data team"])


def _evidence() -> grounding.Evidence:
    return grounding.build_evidence(
        [ACME, GLOBEX, "Python, FastAPI, PostgreSQL, Kubernetes"],
        skill_ids=["python", "fastapi", "postgresql", "kubernetes"],
        employers=["Acme Corp", "Globex"],
    )


def _ground(proposed: str) -> Item:
    item = Item(id="b1", source=SOURCE, text=SOURCE)
    ground_item(item, proposed, evidence=_evidence(), source=SOURCE, scope=ACME)
    return item


def test_an_outcome_in_words_is_reverted_and_named() -> None:
    item = _ground(f"{SOURCE}, which doubled user engagement")
    assert item.status == "reverted" and item.text == SOURCE
    assert any("doubled" in reason for reason in item.unsupported)


def test_a_skill_from_another_job_is_reverted() -> None:
    item = _ground(f"{SOURCE} with Kubernetes")
    assert item.status == "reverted" and item.text == SOURCE
    assert any("not in this position" in reason for reason in item.unsupported)


def test_an_honest_paraphrase_is_kept() -> None:
    item = _ground("Served 2M requests a day from FastAPI services on PostgreSQL")
    assert item.status == "rewritten", item.unsupported
