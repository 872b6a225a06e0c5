"""Honest parsing (issue 15): a skill is the profile's only where the text names it, and a
field read with doubt is shown to the person to confirm, printed nowhere until they do."""

from __future__ import annotations

import httpx

from careergini.profile.aggregate import names_skill
from careergini.profile.parsers import parse_document
from tests.conftest import UserMaker

RESUME = """\
Jane Roe
Data Engineer
jane.roe@example.com | +1 415 555 0100

Experience
Acme, Data Engineer, 2020 - 2023
- Worked with the data science team on dashboards
- Built pipelines with AWS (S3, Glue, EMR)

Skills
AWS (S3, Glue, EMR), Python, SQL
"""


def skills_of(text: str) -> dict[str, list[str]]:
    profile = parse_document(text.encode(), "resume.txt").profile
    return {s.name: [e.surface for e in s.evidence] for s in profile.skills}


def test_a_skill_enters_only_where_the_text_names_it_with_its_span() -> None:
    skills = skills_of(RESUME)
    assert "Data science" not in skills  # "the data science team" is the team, not a skill
    assert skills["Glue"] == ["Glue"]  # named in the parentheses, kept by its own name
    assert skills["Amazon Web Services"] == ["AWS", "AWS"]
    profile = parse_document(RESUME.encode(), "resume.txt").profile
    lines = parse_document(RESUME.encode(), "resume.txt").text.splitlines()
    for skill in profile.skills:
        for evidence in skill.evidence:
            if evidence.line is not None and evidence.start is not None:
                line = lines[evidence.line - 1]
                assert line[evidence.start : evidence.end] == evidence.surface, skill.name


def test_words_that_name_a_skill_and_words_only_associated_with_it() -> None:
    assert names_skill("AWS", "Amazon Web Services")
    assert names_skill("S3", "Amazon S3")
    assert names_skill("Postgres", "PostgreSQL")
    assert names_skill("Rails", "Ruby on Rails")
    assert not names_skill("EMR", "Acrendo Medical Software Ob/Gyn (EMR)")
    assert not names_skill("dashboards", "Data visualization")
    assert not names_skill("Market Research", "Marketing")


async def test_doubtful_fields_are_confirmed_before_any_export_prints_them(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    text = RESUME.replace("Experience\n", "Experience\nTeam Lead, 2018 - 2019\n- Ran the team\n\n")
    imported = await client.post(
        "/api/profile/imports",
        files={"file": ("resume.txt", text.encode(), "text/plain")},
        headers=user["headers"],
    )
    assert imported.status_code == 201, imported.text
    profile = (await client.get("/api/profile", headers=user["headers"])).json()
    waiting = {c["ref"]: c for c in profile["to_confirm"]}
    emr = next(c for c in waiting.values() if "“EMR”" in c["question"])
    dashboards = next(c for c in waiting.values() if "“dashboards”" in c["question"])
    assert emr["section"] == dashboards["section"] == "skills"
    for item in waiting.values():  # in words for people: no ids, no paths
        assert item["ref"] not in item["question"] and "/api/" not in item["question"]
    low = {s["name"]: s["confidence"] for s in profile["skills"]}
    assert low["Data visualization"] == "low" and low["Python"] == "high"
    assert any(c["section"] == "work" for c in waiting.values())  # "Team Lead": no employer

    def printed(export: dict) -> set[str]:
        return {s["name"] for s in export["skills"]}

    exported = (await client.get("/api/profile/export", headers=user["headers"])).json()
    assert "Data visualization" not in printed(exported)
    assert not any("Acrendo" in name for name in printed(exported))
    assert {"Amazon Web Services", "Glue", "Python", "SQL"} <= printed(exported)
    assert [w.get("position") for w in exported["work"]] == ["Data Engineer"]
    resume = await client.post(
        "/api/resumes/tailor",
        json={"job_description": "Data engineer: AWS, Python, SQL, data visualization.",
              "llm": False},
        headers=user["headers"],
    )  # fmt: skip
    assert resume.status_code == 201, resume.text
    data = await client.get(f"/api/resumes/{resume.json()['id']}/json", headers=user["headers"])
    names = {s["name"] for s in data.json().get("skills", [])}
    assert "Data visualization" not in names and not any("Acrendo" in n for n in names)

    # Confirmed, the skill is printed; the EMR reading stays out until the person says so.
    confirmed = await client.patch(
        "/api/profile", json={"confirm": [dashboards["ref"]]}, headers=user["headers"]
    )
    assert confirmed.status_code == 200, confirmed.text
    assert dashboards["ref"] not in {c["ref"] for c in confirmed.json()["to_confirm"]}
    exported = (await client.get("/api/profile/export", headers=user["headers"])).json()
    assert "Data visualization" in printed(exported)
    assert not any("Acrendo" in name for name in printed(exported))

    stale = await client.patch(
        "/api/profile", json={"confirm": ["skill:nothing-like-it"]}, headers=user["headers"]
    )
    assert stale.status_code == 422
    assert "Reload your profile" in stale.json()["detail"]
