"""The taxonomy builder, run on a tiny synthetic copy of the data sets (not shipped to users)."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from careergini.skills import build_taxonomy
from careergini.skills.build_taxonomy import build
from careergini.skills.extraction import extract_skill_ids
from careergini.skills.taxonomy import Taxonomy, roles_from_document
from careergini.skills.taxonomy_build.names import onet_names, slugify, strip_parenthetical

ESCO = "http://data.europa.eu/esco/skill/"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def make_data(root: Path) -> Path:
    esco = root / "esco"
    digital_header = [
        "conceptType",
        "conceptUri",
        "preferredLabel",
        "status",
        "skillType",
        "reuseLevel",
        "altLabels",
        "description",
        "broaderConceptUri",
        "broaderConceptPT",
    ]

    def skill(uuid: str, label: str, alts: str, kind: str, groups: str) -> list[str]:
        return [
            "KnowledgeSkillCompetence",
            ESCO + uuid,
            label,
            "released",
            kind,
            "",
            alts,
            "",
            "",
            groups,
        ]

    write_csv(
        esco / "digitalSkillsCollection_en.csv",
        digital_header,
        [
            skill(
                "py",
                "Python (computer programming)",
                "Python techniques",
                "knowledge",
                "computer programming",
            ),
            skill(
                "prog",
                "computer programming",
                "DIBOL | programming",
                "knowledge",
                "software and applications development and analysis",
            ),
            skill(
                "sheet",
                "use spreadsheets software",
                "use spreadsheet software | TeamViewer | work with spreadsheets",
                "skill/competence",
                "computer use",
            ),
            skill(
                "kdev",
                "KDevelop",
                "kdevplatform | KDevelop platform",
                "knowledge",
                "computer programming",
            ),
        ],
    )
    write_csv(
        esco / "transversalSkillsCollection_en.csv",
        [
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "status",
            "altLabels",
            "description",
            "broaderConceptUri",
            "broaderConceptPT",
        ],
        [
            [
                "KnowledgeSkillCompetence",
                ESCO + "team",
                "skill/competence",
                "transversal",
                "work in teams",
                "released",
                "teamwork | be responsible",
                "",
                "",
                "working with others",
            ]
        ],
    )
    write_csv(
        esco / "broaderRelationsSkillPillar_en.csv",
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        [["KnowledgeSkillCompetence", ESCO + "kdev", "KnowledgeSkillCompetence", ESCO + "prog"]],
    )
    write_csv(
        esco / "skillSkillRelations_en.csv",
        [
            "originalSkillUri",
            "originalSkillType",
            "relationType",
            "relatedSkillType",
            "relatedSkillUri",
        ],
        [[ESCO + "py", "knowledge", "optional", "skill/competence", ESCO + "sheet"]],
    )
    profile = {
        "occupation_uri": "http://data.europa.eu/esco/occupation/abc",
        "occupation_name": "data tinkerer",
        "alternative_names": ["data tinkerer", "tinkerer of data"],
        "occupation_description": "Tinkers with data.",
        "isco_code": "2511",
        "isco_group_name": "Systems analysts",
        "essential_skills": ["Python (computer programming)", "statistics", "juggling"],
        "optional_skills": ["KDevelop"],
    }
    (esco / "esco_occupation_profiles_derived.jsonl").write_text(json.dumps(profile) + "\n")

    onet = root / "onet"
    tech_header = [
        "O*NET-SOC Code",
        "Title",
        "Example",
        "Commodity Code",
        "Commodity Title",
        "Hot Technology",
        "In Demand",
    ]
    rows = [
        [
            "15-1252.00",
            "Software Developers",
            "Python",
            "1",
            "Object or component oriented development software",
            "Y",
            "Y",
        ],
        [
            "15-1252.00",
            "Software Developers",
            "Microsoft Excel",
            "1",
            "Spreadsheet software",
            "N",
            "N",
        ],
        ["43-9061.00", "Office Clerks", "Microsoft Excel", "1", "Spreadsheet software", "N", "N"],
        [
            "15-1252.00",
            "Software Developers",
            "Geographic information system GIS software",
            "1",
            "Geographic information system",
            "N",
            "N",
        ],
        [
            "43-9061.00",
            "Office Clerks",
            "Geographic information system GIS software",
            "1",
            "Geographic information system",
            "N",
            "N",
        ],
        [
            "15-1252.00",
            "Software Developers",
            "Oracle Hyperion",
            "1",
            "Financial analysis software",
            "N",
            "N",
        ],
        [
            "43-9061.00",
            "Office Clerks",
            "Oracle Hyperion",
            "1",
            "Financial analysis software",
            "N",
            "N",
        ],
        ["43-9061.00", "Office Clerks", "Obscure Tool", "1", "Accounting software", "N", "N"],
        [
            "43-9061.00",
            "Office Clerks",
            "Google",
            "1",
            "Web platform development software",
            "Y",
            "N",
        ],
    ]
    write_csv(onet / "Technology Skills.csv", tech_header, rows)
    write_csv(
        onet / "Occupation Data.csv",
        ["O*NET-SOC Code", "Title", "Description"],
        [
            ["15-1252.00", "Software Developers", "Build software."],
            ["43-9061.00", "Office Clerks", "File things."],
        ],
    )
    write_csv(
        onet / "Alternate Titles.csv",
        ["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
        [["15-1252.00", "Software Developers", "Python Developer", "", "08"]],
    )
    write_csv(
        onet / "Job Zones.csv",
        ["O*NET-SOC Code", "Title", "Job Zone", "Date", "Domain Source"],
        [["15-1252.00", "Software Developers", "4", "", ""]],
    )
    write_csv(
        onet / "Related Occupations.csv",
        [
            "O*NET-SOC Code",
            "Title",
            "Related O*NET-SOC Code",
            "Related Title",
            "Relatedness Tier",
            "Index",
        ],
        [
            [
                "15-1252.00",
                "Software Developers",
                "43-9061.00",
                "Office Clerks",
                "Primary-Short",
                "1",
            ]
        ],
    )

    aliases = root / "aliases"
    aliases.mkdir()
    linguist = {
        "Python": {"type": "programming", "aliases": ["python3", "rusthon"], "group": None},
        "Haskell": {"type": "programming", "aliases": ["hs"], "group": None},
        "Factor": {"type": "programming", "aliases": [], "group": None},
        "CSV": {"type": "data", "aliases": [], "group": None},
    }
    (aliases / "linguist-languages.json").write_text(json.dumps(linguist))
    icons = [
        {"title": "Python", "slug": "python"},
        {"title": "Haskell", "slug": "haskell", "aliases": {"aka": ["Haskell98"]}},
        {"title": "Some Brand", "slug": "somebrand"},
    ]
    (aliases / "simple-icons.json").write_text(json.dumps(icons))
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Taxonomy, dict, dict]:
    root = tmp_path_factory.mktemp("data")
    data = make_data(root / "shared")
    out = root / "out" / "taxonomy.json.gz"
    report = build(data, out)
    tax = Taxonomy.from_file(out)
    roles = json.loads(gzip.decompress((out.parent / "roles.json.gz").read_bytes()))
    return tax, roles, report


def test_report(built: tuple[Taxonomy, dict, dict]) -> None:
    tax, _, report = built
    assert report["skills"] == len(tax)
    assert report["esco_roles"] == 1 and report["onet_roles"] == 2


def test_sources_merge_into_curated_skill(built: tuple[Taxonomy, dict, dict]) -> None:
    tax, _, _ = built
    python = tax["python"]
    assert python.sources.curated
    assert python.sources.esco == ("py",)
    assert python.sources.onet == ("Python",)
    assert python.sources.linguist == "Python"
    assert python.sources.simple_icons == "python"
    assert python.hot and python.in_demand
    assert python.popularity == 2  # one O*NET occupation + one ESCO occupation
    assert "rusthon" not in python.aliases  # curated skills keep their own aliases
    assert tax["excel"].sources.onet == ("Microsoft Excel",) and not tax["excel"].hot


def test_onet_products_get_clean_names(built: tuple[Taxonomy, dict, dict]) -> None:
    tax, _, _ = built
    gis = tax.by_name("GIS")
    assert gis is not None and gis.name == "Geographic information system (GIS)"
    assert gis.mode_of("GIS") == "c"
    assert tax.by_name("Oracle Hyperion") is not None
    assert tax.by_name("Hyperion") is None  # a vendor-less ordinary-looking word
    assert tax.by_name("Obscure Tool") is None  # one occupation, not hot: long tail dropped
    assert tax.by_name("Google") is None  # curated drop list


def test_esco_generic_concepts_drop_unrelated_alt_labels(
    built: tuple[Taxonomy, dict, dict],
) -> None:
    tax, _, _ = built
    sheets = tax.by_name("use spreadsheets software")
    assert sheets is not None and sheets.category == "digital"
    assert "use spreadsheet software" in sheets.aliases
    assert "TeamViewer" not in sheets.aliases
    assert tax.by_name("TeamViewer") is None
    kdev = tax.by_name("kdevplatform")
    assert kdev is not None and kdev.name == "KDevelop"
    assert tax.by_name("computer programming").id in kdev.broader
    assert "use-spreadsheets-software" in python_related(tax)


def python_related(tax: Taxonomy) -> set[str]:
    return {s.id for s in tax.related("python")}


def test_transversal_skills_merge_and_single_words_stay_off(
    built: tuple[Taxonomy, dict, dict],
) -> None:
    tax, _, _ = built
    assert tax["teamwork"].sources.esco == ("team",)
    # A long-tail language named by an ordinary word is kept for search, never extracted.
    factor = tax.by_name("Factor")
    assert factor is not None and factor.mode_of("Factor") == "x"
    assert tax.by_name("CSV") is None  # data formats only when curated
    haskell = tax["haskell"]  # curated, so linguist's "hs" is not an alias; the icon's alias is
    assert haskell.sources.simple_icons == "haskell"
    assert "Haskell98" in haskell.aliases and "hs" not in haskell.aliases
    assert extract_skill_ids("Wrote it in Haskell98 and Factor.", tax) == {haskell.id}


def test_roles_map_skills_to_ids(built: tuple[Taxonomy, dict, dict]) -> None:
    tax, doc, _ = built
    catalog = roles_from_document(doc)
    (tinkerer,) = [r for r in catalog if r.source == "esco"]
    assert tinkerer.id == "esco:abc"
    assert tinkerer.alt_titles == ("tinkerer of data",)
    assert tinkerer.essential_skill_ids == ("python", "statistics")
    assert tinkerer.essential_other == ("juggling",)
    assert tinkerer.optional_skill_ids == (tax.by_name("KDevelop").id,)
    devs = catalog.get("onet:15-1252.00")
    assert devs.job_zone == 4 and devs.alt_titles == ("Python Developer",)
    assert devs.hot_technology_ids == ("python",)
    assert "excel" in devs.technology_ids
    assert devs.related_role_ids == ("onet:43-9061.00",)
    assert catalog.search("python dev")[0] is devs


def test_output_is_reproducible(tmp_path: Path, built: tuple[Taxonomy, dict, dict]) -> None:
    data = make_data(tmp_path / "shared")
    first, second = tmp_path / "a" / "taxonomy.json.gz", tmp_path / "b" / "taxonomy.json.gz"
    build(data, first)
    build(data, second)
    assert first.read_bytes() == second.read_bytes()


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build_taxonomy.main(["--data", str(tmp_path / "missing")]) == 2
    data = make_data(tmp_path / "shared")
    assert build_taxonomy.main(["--data", str(data), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "taxonomy.json.gz").exists()
    assert (tmp_path / "out" / "roles.json.gz").exists()
    assert '"skills"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("example", "name", "aliases"),
    [
        ("Salesforce software", "Salesforce", []),
        ("Word processing software", "Word processing software", []),
        ("Autodesk AutoCAD", "Autodesk AutoCAD", ["AutoCAD"]),
        ("Oracle Hyperion", "Oracle Hyperion", []),
        ("IBM Notes", "IBM Notes", []),  # "Notes" alone is an ordinary word
        (
            "Extensible markup language XML",
            "Extensible markup language (XML)",
            ["XML", "Extensible markup language"],
        ),
        (
            "Customer relationship management CRM software",
            "Customer relationship management (CRM)",
            ["CRM", "Customer relationship management", "CRM software"],
        ),
    ],
)
def test_onet_names(example: str, name: str, aliases: list[str]) -> None:
    got_name, got_aliases = onet_names(example)
    assert got_name == name
    assert [a for a, _ in got_aliases] == aliases


def test_small_helpers() -> None:
    assert slugify("C++") == "cpp"
    assert slugify("C#") == "csharp"
    assert slugify(".NET") == "dotnet"
    assert slugify("Node.js") == "nodejs"
    assert slugify("Microsoft SQL Server") == "microsoft-sql-server"
    assert strip_parenthetical("Python (computer programming)") == "Python"
