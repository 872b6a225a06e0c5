"""Skill extraction: precise matches, spans, and the classic false positives that must not match."""

from __future__ import annotations

import itertools

import pytest

from careergini.skills.extraction import (
    SkillExtractor,
    alias_key,
    extract_skill_ids,
    extract_skills,
    tokenize,
)
from careergini.skills.taxonomy import (
    MODE_CASE,
    MODE_CUE,
    MODE_OFF,
    MODE_STRONG,
    Skill,
    Taxonomy,
)


def found(text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.skill_id) for m in extract_skills(text)]


def ids(text: str) -> set[str]:
    return extract_skill_ids(text)


# ---------------------------------------------------------------------------------------------
# What must be found, with the exact surface


@pytest.mark.parametrize(
    ("text", "surface", "skill_id"),
    [
        ("Wrote the engine in C++ and the tools in C#.", "C++", "cpp"),
        ("Wrote the engine in C++ and the tools in C#.", "C#", "csharp"),
        ("Migrated services to .NET 8 last year.", ".NET 8", "dotnet"),
        ("Backend on Node.js with Express.js.", "Node.js", "nodejs"),
        ("Set up CI/CD for every repository.", "CI/CD", "ci-cd"),
        ("Operated k8s clusters on bare metal.", "k8s", "kubernetes"),
        ("Rewrote the proxy in golang.", "golang", "go"),
        ("Frontend in JS and TypeScript.", "JS", "javascript"),
        ("Tuned Postgres queries.", "Postgres", "postgresql"),
        ("Models with scikit-learn.", "scikit-learn", "scikit-learn"),
        ("Models with scikit learn.", "scikit learn", "scikit-learn"),
        ("Trained CNNs in TensorFlow.", "TensorFlow", "tensorflow"),
        ("Deployed to AWS and GCP.", "AWS", "aws"),
        ("Deployed to AWS and GCP.", "GCP", "gcp"),
        ("Designed REST APIs for partners.", "REST APIs", "rest"),
        ("Applied machine learning to fraud.", "machine learning", "machine-learning"),
        ("Applied machine-learning to fraud.", "machine-learning", "machine-learning"),
        ("Python, R, SQL", "R", "r"),
        ("Statistical modelling in R for the clinic.", "R", "r"),
        ("Firmware written in C for STM32.", "C", "c"),
        ("Languages: Go, Rust, Swift", "Go", "go"),
        ("Languages: Go, Rust, Swift", "Rust", "rust"),
        ("Languages: Go, Rust, Swift", "Swift", "swift"),
        ("Built the CLI in Go and Python.", "Go", "go"),
        ("Migrated the billing service from Python to Go.", "Go", "go"),
        ("Senior Go developer", "Go", "go"),
        ("Microservices with Java and Spring, Hibernate.", "Spring", "spring"),
        ("Built APIs with Spring Boot.", "Spring Boot", "spring-boot"),
        ("Config management with Chef, Puppet and Ansible.", "Chef", "chef"),
        ("Config management with Chef, Puppet and Ansible.", "Puppet", "puppet"),
        ("Proficient in Word, Excel and Outlook.", "Word", "word"),
        ("Proficient in Word, Excel and Outlook.", "Excel", "excel"),
        ("Proficient in Word, Excel and Outlook.", "Outlook", "outlook"),
        ("Advanced knowledge of excel and pivot tables.", "excel", "excel"),
        ("Objective-C and Swift for iOS apps.", "Objective-C", "objective-c"),
        ("Ran Microsoft SQL Server and MySQL.", "Microsoft SQL Server", "sql-server"),
        ("A/B testing of the onboarding flow.", "A/B testing", "ab-testing"),
        ("Stored procedures in T-SQL and PL/SQL.", "T-SQL", "t-sql"),
        ("Stored procedures in T-SQL and PL/SQL.", "PL/SQL", "pl-sql"),
        ("Strong communication skills.", "communication skills", "communication"),
        ("C#/.NET developer", ".NET", "dotnet"),
        ("Data pipelines with Apache Spark and Airflow.", "Apache Spark", "spark"),
        ("Data pipelines with Apache Spark and Airflow.", "Airflow", "airflow"),
        ("Runs on Red Hat Enterprise Linux.", "Red Hat Enterprise Linux", "rhel"),
    ],
)
def test_finds_skill_with_exact_surface(text: str, surface: str, skill_id: str) -> None:
    assert (surface, skill_id) in found(text)


def test_longest_match_wins() -> None:
    mentions = found("Maintained Microsoft SQL Server 2019 databases.")
    assert mentions[0] == ("Microsoft SQL Server", "sql-server")
    assert ("SQL", "sql") not in mentions
    assert found("Ruby on Rails apps") == [("Ruby on Rails", "rails")]


def test_spans_index_the_input_text() -> None:
    text = "Skills:\n  Python 3, C++ and  k8s;\tPostgreSQL (Postgres)\nGo · Rust"
    mentions = extract_skills(text)
    assert [m.skill_id for m in mentions] == [
        "python",
        "cpp",
        "kubernetes",
        "postgresql",
        "postgresql",
        "go",
        "rust",
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_mention_carries_name_and_category() -> None:
    (mention,) = extract_skills("Wrote it in golang.")
    assert mention.name == "Go"
    assert mention.category == "language"
    assert (mention.start, mention.end, mention.surface) == (12, 18, "golang")


def test_extract_skill_ids_deduplicates() -> None:
    assert ids("Python, then more Python, and python3.") == {"python"}


def test_empty_and_skill_free_text() -> None:
    assert extract_skills("") == []
    assert extract_skills("We had a lovely walk by the sea on Sunday.") == []


# ---------------------------------------------------------------------------------------------
# What must not be found


@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        ("We go to market in Q3 with a go-to-market plan.", "go"),
        ("Go to the office and we go home.", "go"),
        ("The project will go live in May.", "go"),
        ("Grade C in maths; vitamin C; C-suite stakeholders.", "c"),
        ("Plan B and Plan C were both rejected.", "c"),
        ("John C. Smith signed it.", "c"),
        ("Our R&D team grew to 40.", "r"),
        ("A, B, R, S were the options.", "r"),
        ("I excel at building rapport with clients.", "excel"),
        ("Excel at delivering on time, every time.", "excel"),
        ("Swift delivery of all projects.", "swift"),
        ("Known for swift responses.", "swift"),
        ("Spring 2019 intern at the museum.", "spring"),
        ("Joined in Spring and left in the fall.", "spring"),
        ("Grew up in the rust belt.", "rust"),
        ("Sales lead for the Rust Belt region.", "rust"),
        ("Worked as a chef in a hotel kitchen.", "chef"),
        ("Head Chef at The Ivy.", "chef"),
        ("Built a puppet theatre for children.", "puppet"),
        ("Make sure every release is tested.", "make"),
        ("Less is more.", "less"),
        ("Played dart at the pub every Friday.", "dart"),
        ("Ruby Jones was my manager.", "ruby"),
        ("Access to the building is restricted.", "ms-access"),
        ("Ran the Project management office.", "ms-project"),
        ("React to incidents within 15 minutes.", "react"),
        ("Our teams react quickly.", "react"),
        ("See https://github.com/example/python-tools for details.", "python"),
        ("Joined the team at Aston Recruitment last year.", "recruitment"),
        ("Reported to the Procurement Manager.", "procurement"),
        ("MARKETING EXPERIENCE", "marketing"),
        ("Oracle Corporation is a vendor.", "oracle-database"),
        ("References: Dr. Sarah Jenkins, on request.", "jenkins"),
        ("Gave 5 ML of saline.", "machine-learning"),
    ],
)
def test_does_not_find_false_positive(text: str, skill_id: str) -> None:
    assert skill_id not in ids(text), found(text)


def test_ambiguous_alias_needs_context_but_list_context_is_enough() -> None:
    assert "go" not in ids("Go")
    assert "go" in ids("Go, Python")
    assert "r" in ids("Python/R")
    assert "c" in ids("C/C++")
    # A list of ambiguous words alone proves nothing.
    assert ids("Go, Swift, Rust") == set()


def test_skills_section_heading_gives_context() -> None:
    text = "TECHNICAL SKILLS\nGo · Rust · Dart\n\nEXPERIENCE\nGo to the office daily"
    mentions = found(text)
    assert mentions == [("Go", "go"), ("Rust", "rust"), ("Dart", "dart")]


def test_strong_aliases_ignore_weak_triggers() -> None:
    # "in" is enough for R and Go, not for words that are also names or seasons.
    assert "r" in ids("Analysis in R.")
    assert "spring" not in ids("Started in Spring.")
    assert "spring" in ids("Proficient in Spring.")
    assert "ruby" not in ids("Lunch with Ruby.")
    assert "ruby" in ids("Experience with Ruby.")


def test_case_sensitive_aliases() -> None:
    assert "windows" in ids("Administered Windows and Linux servers.")
    assert "windows" not in ids("Cleaned the windows.")
    assert "sas" in ids("Analysis in SAS.")
    assert "sas" not in ids("The sas was late.")


def test_hyphen_and_dash_variants() -> None:
    assert "scikit-learn" in ids("scikit\u2011learn")  # non-breaking hyphen from a PDF
    assert "ci-cd" in ids("continuous-integration")


# ---------------------------------------------------------------------------------------------
# Tokenizer and matcher on a tiny taxonomy


def test_tokenizer_keeps_technology_punctuation() -> None:
    keys = [t.key for t in tokenize("C++, C#, .NET, Node.js, ASP.NET, R&D, CI/CD, e-mail.")]
    assert keys == [
        "c++",
        ",",
        "c#",
        ",",
        ".net",
        ",",
        "node.js",
        ",",
        "asp.net",
        ",",
        "r&d",
        ",",
        "ci",
        "/",
        "cd",
        ",",
        "e",
        "-",
        "mail",
        ".",
    ]
    assert alias_key("Scikit-Learn") == "scikit learn"


def _tiny() -> Taxonomy:
    return Taxonomy(
        [
            Skill("sql", "SQL", "language"),
            Skill("sql-server", "SQL Server", "database", aliases=("MSSQL",)),
            Skill(
                "go",
                "Go",
                "language",
                aliases=("golang",),
                match_modes=(("Go", MODE_CUE),),
            ),
            Skill("win", "Windows", "os", match_modes=(("Windows", MODE_CASE),)),
            Skill("sp", "Spring", "framework", match_modes=(("Spring", MODE_STRONG),)),
            Skill(
                "sh",
                "Shell scripting",
                "language",
                aliases=("Shell",),
                match_modes=(("Shell", MODE_OFF),),
            ),
            Skill("api", "REST API", "method"),
        ]
    )


def test_matcher_on_tiny_taxonomy() -> None:
    extractor = SkillExtractor(_tiny())
    got = [
        (m.surface, m.skill_id)
        for m in extractor.extract(
            "SQL Server and SQL; windows, Windows; Shell; REST APIs; in Go; in Spring"
        )
    ]
    assert got == [
        ("SQL Server", "sql-server"),
        ("SQL", "sql"),
        ("Windows", "win"),
        ("REST APIs", "api"),
        ("Go", "go"),
    ]


def test_custom_taxonomy_is_used_and_cached() -> None:
    tiny = _tiny()
    assert extract_skill_ids("MSSQL and golang", tiny) == {"sql-server", "go"}
    assert extract_skill_ids("MSSQL and golang", tiny) == {"sql-server", "go"}


def test_bullet_item_gives_context() -> None:
    jd = "Nice to have\n- Go\n- Terraform\n\nCulture\n- Go the extra mile"
    assert found(jd) == [("Go", "go"), ("Terraform", "terraform")]
