"""A PDF and a LinkedIn export of the same person merge into one entry per bullet and degree."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import httpx

from careergini.profile.aggregate import (
    ImportInput,
    MergedProfile,
    _union,
    degree_key,
    merge_imports,
    same_bullet,
)
from careergini.profile.parsers import parse_document
from tests.conftest import UserMaker

PDF = Path(__file__).parents[1] / "fixtures/resumes/rendercv/John_Doe_ClassicTheme_CV.pdf"

# The same person's LinkedIn export: the PDF's lines with LinkedIn's small differences (an
# article, a comma, a final period, no accents), and the degrees spelt out.
LINKEDIN = {
    "Profile.csv": (
        "First Name,Last Name,Headline,Geo Location\n"
        'John,Doe,Co-Founder & CTO at Nexus AI,"San Francisco, CA"\n'
    ),
    "Positions.csv": (
        "Company Name,Title,Description,Location,Started On,Finished On\n"
        'Nexus AI,Co-Founder & CTO,"Built foundation model infrastructure serving 2M+ monthly '
        "API requests with 99.97% uptime.\n"
        "Raised $18M Series A led by Sequoia Capital with participation from a16z and Founders "
        "Fund\nScaled the engineering team from 3 to 28 across ML research, platform and applied "
        'AI divisions","San Francisco, CA",Jun 2023,\n'
        'NVIDIA Research,Research Intern,"Designed a sparse attention mechanism, reducing '
        'transformer memory footprint by 4.2x",Santa Clara,May 2022,Aug 2022\n'
    ),
    "Education.csv": (
        "School Name,Start Date,End Date,Notes,Degree Name,Activities\n"
        "Princeton University,2018,2023,,Doctor of Philosophy - PhD,\n"
        "Bogazici University,2014,2018,,Bachelor of Science - BS,\n"
    ),
}


def linkedin_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in LINKEDIN.items():
            archive.writestr(name, text)
    return out.getvalue()


def merged_pdf_and_linkedin() -> MergedProfile:
    imports = []
    for day, (name, data) in enumerate(
        [("john.pdf", PDF.read_bytes()), ("linkedin.zip", linkedin_zip())], start=1
    ):
        result = parse_document(data, name)
        imports.append(
            ImportInput(
                id=name,
                kind=result.document_type.value,
                label=name,
                created_at=datetime(2026, 1, day, tzinfo=UTC),
                profile=result.profile,
            )
        )
    return merge_imports(imports, now_year=2026)


def duplicates(texts: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for n, a in enumerate(texts) for b in texts[n + 1 :] if same_bullet(a, b)]


def test_the_merged_profile_has_no_duplicate_bullet_or_degree() -> None:
    profile = merged_pdf_and_linkedin()
    nexus = next(w for w in profile.work if w.company == "Nexus AI")
    nvidia = next(w for w in profile.work if w.company == "NVIDIA Research")
    for entry in (nexus, nvidia):
        assert [s.import_id for s in entry.sources] == ["john.pdf", "linkedin.zip"]
        assert not duplicates(entry.bullets), entry.bullets
    assert len(nexus.bullets) == 4  # three lines in both, one only in the PDF
    assert sum("engineering team from 3 to 28" in b for b in nexus.bullets) == 1
    assert len(nvidia.bullets) == 2

    degrees = [(e.institution, e.degree) for e in profile.education]
    assert degrees == [("Princeton University", "PhD"), ("Boğaziçi University", "BS")]
    for entry in profile.education:
        assert [s.import_id for s in entry.sources] == ["john.pdf", "linkedin.zip"]
        assert entry.field is not None  # the PDF's field of study is kept


def test_near_identical_is_not_a_different_fact() -> None:
    assert same_bullet("Scaled the team from 3 to 28.", "scaled team from 3 to 28")
    # Different numbers are different facts, however alike the words.
    assert not same_bullet("Cut latency by 73% with caching", "Cut latency by 37% with caching")
    assert not same_bullet("Built the billing service", "Built the search service in Go")
    assert degree_key("B.S.") == degree_key("Bachelor of Science - BS") == degree_key("BSc")
    assert degree_key("Bachelor of Arts") != degree_key("Bachelor of Science")


async def test_profile_and_exports_show_each_bullet_and_degree_once(
    client: httpx.AsyncClient, make_user: UserMaker
) -> None:
    user = await make_user()
    for name, data, kind in (
        ("john.pdf", PDF.read_bytes(), "application/pdf"),
        ("linkedin.zip", linkedin_zip(), "application/zip"),
    ):
        response = await client.post(
            "/api/profile/imports", files={"file": (name, data, kind)}, headers=user["headers"]
        )
        assert response.status_code == 201, response.text
    profile = (await client.get("/api/profile", headers=user["headers"])).json()
    exported = (await client.get("/api/profile/export", headers=user["headers"])).json()
    for work in (profile["work"], exported["work"]):
        lines = [b for w in work for b in (w.get("bullets") or w.get("highlights") or [])]
        assert not duplicates(lines)
        assert sum("sparse attention mechanism" in line for line in lines) == 1
    assert [e["degree"] for e in profile["education"]] == ["PhD", "BS"]
    assert [e["studyType"] for e in exported["education"]] == ["PhD", "BS"]
    nexus = next(w for w in profile["work"] if w["company"] == "Nexus AI")
    assert {s["label"] for s in nexus["sources"]} == {"john.pdf", "linkedin.zip"}

    resume = await client.post(
        "/api/resumes/tailor",
        json={"job_description": "ML infrastructure engineer: PyTorch, CUDA, LLM inference.",
              "llm": False},
        headers=user["headers"],
    )  # fmt: skip
    assert resume.status_code == 201, resume.text
    bullets = [b["output"] for b in resume.json()["report"]["bullets"]]
    assert not duplicates(bullets)
    data = (
        await client.get(f"/api/resumes/{resume.json()['id']}/json", headers=user["headers"])
    ).json()
    assert not duplicates([h for w in data["work"] for h in w.get("highlights", [])])
    assert len(data["education"]) == 2


def test_a_position_with_hundreds_of_lines_still_merges_equal_ones() -> None:
    # Past the similarity budget only lines equal once folded are one (bounded work for a
    # hostile file); a real position's dozen lines never get there.
    lines = [f"Shipped release {n} of the billing service" for n in range(300)]
    again = [f"shipped release {n} of the billing service." for n in range(300)]
    assert _union(lines, again) == lines
