"""Build the skills taxonomy and the role catalogue shipped inside the package.

    python -m careergini.skills.build_taxonomy [--data ../shared/data] [--out DIR_OR_FILE]

Reads the public data sets (ESCO v1.2.0, O*NET 29.2 Technology Skills and occupations,
linguist-languages and simple-icons) plus the hand-kept ``data/curated.json``, and writes two
gzip JSON files next to each other: ``taxonomy.json.gz`` (skills) and ``roles.json.gz`` (ESCO and
O*NET occupations with their skills mapped to taxonomy ids). The app reads only these files; run
this again when a new ESCO or O*NET release comes out.

How entries are merged, in order of authority:
1. ``curated.json``: the core technologies, methods and soft skills, with their aliases, how each
   alias may be matched, families and broader skills. Curated aliases win every conflict.
2. linguist-languages: programming languages (data and markup formats only when curated).
3. O*NET Technology Skills: product names ("Microsoft Excel", "Oracle Java") with Hot Technology
   and In Demand flags; names are cleaned (vendor prefixes, "software", embedded acronyms) and
   merged by name into existing skills; the long tail keeps only products that two or more
   occupations list, or that are hot or in demand.
4. ESCO digital skills and transversal skills, with their alternative labels, hierarchy and
   skill-to-skill relations; generic concepts keep only alternative labels that are variants of
   the concept (ESCO lists unrelated products as synonyms of broad concepts).
5. simple-icons: only an icon slug and brand aliases for skills that already exist.

An alias that is an ordinary English word ("Go", "Swift", "Access") is never matched on its own:
curated ones say how much context they need, long-tail ones are kept for search only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from careergini.skills.taxonomy_build.builder import Builder
from careergini.skills.taxonomy_build.roles import build_roles
from careergini.skills.taxonomy_build.sources import common_words, read_csv, read_jsonl
from careergini.skills.taxonomy_build.writing import taxonomy_document, write_gzip_json

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"


def build(
    data: Path,
    taxonomy_path: Path,
    roles_path: Path | None = None,
    *,
    curated_path: Path | None = None,
) -> dict[str, Any]:
    """Build both files from a data directory; return a small report."""
    started = time.perf_counter()
    curated = json.loads((curated_path or PACKAGE_DATA / "curated.json").read_text("utf-8"))
    builder = Builder(curated, common_words(data))
    builder.add_curated()
    aliases_dir = data / "aliases"
    builder.add_linguist(json.loads((aliases_dir / "linguist-languages.json").read_text("utf-8")))
    onet_rows = list(read_csv(data / "onet" / "Technology Skills.csv"))
    builder.add_onet(onet_rows)
    esco = data / "esco"
    builder.add_esco(list(read_csv(esco / "digitalSkillsCollection_en.csv")), transversal=False)
    transversal = esco / "transversalSkillsCollection_en.csv"
    builder.add_esco(list(read_csv(transversal, optional=True)), transversal=True)
    builder.add_simple_icons(json.loads((aliases_dir / "simple-icons.json").read_text("utf-8")))
    builder.add_esco_hierarchy(read_csv(esco / "broaderRelationsSkillPillar_en.csv", optional=True))
    builder.add_esco_relations(read_csv(esco / "skillSkillRelations_en.csv", optional=True))
    profiles = read_jsonl(esco / "esco_occupation_profiles_derived.jsonl")
    builder.count_esco_occupations(profiles)

    sources = {
        "esco": "ESCO v1.2.0, European Commission",
        "onet": "O*NET 29.2 Database, U.S. Department of Labor/ETA (CC BY 4.0)",
        "linguist": "linguist-languages (MIT)",
        "simple_icons": "simple-icons (CC0)",
    }
    taxonomy = taxonomy_document(builder, sources)
    roles = build_roles(builder, profiles, data / "onet", onet_rows)
    roles["sources"] = {"esco": sources["esco"], "onet": sources["onet"]}
    roles_path = roles_path or taxonomy_path.with_name("roles.json.gz")
    taxonomy_path.parent.mkdir(parents=True, exist_ok=True)
    roles_path.parent.mkdir(parents=True, exist_ok=True)
    sizes = {
        taxonomy_path.name: write_gzip_json(taxonomy_path, taxonomy),
        roles_path.name: write_gzip_json(roles_path, roles),
    }
    return {
        "skills": len(taxonomy["skills"]),
        "esco_roles": len(roles["esco"]),
        "onet_roles": len(roles["onet"]),
        "bytes": sizes,
        "seconds": round(time.perf_counter() - started, 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the builder from the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data directory")
    parser.add_argument(
        "--out",
        type=Path,
        default=PACKAGE_DATA / "taxonomy.json.gz",
        help="taxonomy file, or a directory (roles.json.gz is written next to the taxonomy)",
    )
    args = parser.parse_args(argv)
    out = args.out if args.out.suffix == ".gz" else args.out / "taxonomy.json.gz"
    if not (args.data / "esco").is_dir():
        print(f"no ESCO data under {args.data}: pass --data", file=sys.stderr)
        return 2
    report = build(args.data, out)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
