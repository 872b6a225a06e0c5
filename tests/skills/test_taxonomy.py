"""The shipped taxonomy and role catalogue: contents, lookups, relations, autocomplete."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from careergini.skills.extraction import alias_key
from careergini.skills.taxonomy import (
    CATEGORIES,
    FORMAT_VERSION,
    MODES,
    Skill,
    Taxonomy,
    load_roles,
    load_taxonomy,
)


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return load_taxonomy()


def test_loaded_once_and_large_enough(tax: Taxonomy) -> None:
    assert load_taxonomy() is tax
    assert len(tax) > 3000


def test_shipped_files_are_small() -> None:
    data = resources.files("careergini.skills").joinpath("data")
    assert data.joinpath("taxonomy.json.gz").read_bytes().__len__() < 2_000_000
    assert data.joinpath("roles.json.gz").read_bytes().__len__() < 4_000_000


def test_python(tax: Taxonomy) -> None:
    python = tax["python"]
    assert python.name == "Python"
    assert python.category == "language"
    assert python.hot and python.in_demand
    assert python.popularity > 50
    assert python.sources.onet == ("Python",)
    assert python.sources.linguist == "Python"
    assert python.sources.simple_icons == "python"
    assert python.sources.esco_uris[0].startswith("http://data.europa.eu/esco/skill/")
    assert "python3" in python.aliases
    assert python.is_technology


def test_hot_flags_come_from_onet(tax: Taxonomy) -> None:
    for sid in ("javascript", "sql", "excel", "aws", "docker", "kubernetes", "react", "go"):
        assert tax[sid].hot, sid
    assert not tax["haskell"].hot
    assert tax["scikit-learn"].in_demand


def test_aliases_resolve_by_name(tax: Taxonomy) -> None:
    assert tax.by_name("Postgres").id == "postgresql"
    assert tax.by_name("k8s").id == "kubernetes"
    assert tax.by_name("GOLANG").id == "go"
    assert tax.by_name("  node.js ").id == "nodejs"
    assert tax.by_name("Structured query language SQL").id == "sql"  # O*NET's name
    assert tax.by_name("Python (computer programming)").id == "python"  # ESCO's name
    assert tax.by_name("no such skill") is None
    assert tax.get("no-such-id") is None
    assert "python" in tax and "nope" not in tax


def test_ambiguous_names_keep_their_match_mode(tax: Taxonomy) -> None:
    assert tax["go"].mode_of("Go") == "w"
    assert tax["go"].mode_of("golang") is None
    assert tax["spring"].mode_of("Spring") == "s"
    assert tax["windows"].mode_of("Windows") == "c"


def test_relational_databases_are_related(tax: Taxonomy) -> None:
    assert "postgresql" in {s.id for s in tax.related("mysql")}
    assert "mysql" in {s.id for s in tax.related("postgresql")}
    members = {s.id for s in tax.family_members("relational-databases")}
    assert {"mysql", "postgresql", "sql-server", "oracle-database", "sqlite"} <= members
    assert tax.families["relational-databases"] == "Relational databases"


def test_frontend_frameworks_are_related(tax: Taxonomy) -> None:
    related = [s.id for s in tax.related("react")]
    assert {"vue", "angular", "svelte"} <= set(related)
    assert "react" not in related
    assert len(tax.related("react", limit=3)) == 3
    assert tax.related("no-such-id") == []


def test_broader_and_narrower(tax: Taxonomy) -> None:
    assert "python" in tax["django"].broader
    assert "django" in {s.id for s in tax.narrower("python")}
    assert "javascript" in {s.id for s in tax.related("react")}


def test_esco_relations_are_kept(tax: Taxonomy) -> None:
    with_relations = [s for s in tax if s.related]
    assert len(with_relations) > 300
    assert all(r in tax for s in with_relations for r in s.related)


def test_integrity(tax: Taxonomy) -> None:
    owners: dict[str, str] = {}
    for skill in tax:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", skill.id), skill.id
        assert skill.category in CATEGORIES, skill
        assert all(b in tax for b in skill.broader), skill.id
        assert all(f in tax.families for f in skill.families), skill.id
        modes = dict(skill.match_modes)
        assert set(modes.values()) <= set(MODES)
        for alias in (skill.name, *skill.aliases):
            if modes.get(alias) == "x":
                continue
            key = alias_key(alias)
            # One text never names two skills.
            assert owners.setdefault(key, skill.id) == skill.id, (alias, owners[key], skill.id)


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("py", "python"),
        ("Python", "python"),
        ("post", "postgresql"),
        ("java", "java"),
        ("c", "c"),
        ("c+", "cpp"),
        ("c#", "csharp"),
        (".ne", "dotnet"),
        ("k8", "kubernetes"),
        ("golang", "go"),
        ("react", "react"),
    ],
)
def test_search_first_hit(tax: Taxonomy, q: str, first: str) -> None:
    assert tax.search(q)[0].id == first


def test_search_ranking_and_limits(tax: Taxonomy) -> None:
    java = [s.id for s in tax.search("java", limit=5)]
    assert java[:2] == ["java", "javascript"]
    assert len(tax.search("a", limit=7)) == 7
    assert tax.search("") == [] and tax.search("   ") == []
    assert tax.search("zzzzqqq") == []
    # A later word of a name matches too, after the prefix matches.
    assert "sql-server" in [s.id for s in tax.search("server", limit=10)]


def test_search_order_on_a_small_taxonomy() -> None:
    tiny = Taxonomy(
        [
            Skill("sparkle", "Sparkle", "tool", popularity=500),
            Skill("spark", "Apache Spark", "data_ml", aliases=("Spark",), hot=True),
            Skill("sp", "SP", "tool"),
            Skill("sparql", "SPARQL", "language", popularity=3),
        ]
    )
    # Exact alias first, then names by prefix (hot/in-demand, then popularity), then aliases.
    assert [s.id for s in tiny.search("spark")] == ["spark", "sparkle"]
    assert [s.id for s in tiny.search("spar")] == ["sparkle", "sparql", "spark"]


def test_document_format_is_checked() -> None:
    with pytest.raises(ValueError, match="format"):
        Taxonomy.from_document({"format": FORMAT_VERSION + 1, "skills": []})


def test_roles() -> None:
    roles = load_roles()
    assert load_roles() is roles
    assert len(roles) > 4000
    devs = roles.get("onet:15-1252.00")
    assert devs is not None and devs.title == "Software Developers"
    assert devs.source == "onet" and devs.job_zone == 4
    assert {"python", "javascript", "git"} <= set(devs.hot_technology_ids)
    assert "Android Developer" in devs.alt_titles
    assert devs.related_role_ids
    tax = load_taxonomy()
    assert all(sid in tax for r in roles for sid in r.skill_ids)

    scientist = roles.search("data scientist", source="esco")[0]
    assert scientist.title == "data scientist"
    assert {"data-science", "statistics"} <= set(scientist.essential_skill_ids)
    assert scientist.essential_other  # ESCO skills outside the taxonomy keep their names
    assert roles.search("software developer")[0].title.lower().startswith("software developer")
