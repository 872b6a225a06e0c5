"""Write the built taxonomy: the compact document the app loads, as reproducible gzip JSON."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from careergini.skills.taxonomy import FORMAT_VERSION
from careergini.skills.taxonomy_build.builder import Builder, Draft
from careergini.skills.taxonomy_build.names import esco_id


def taxonomy_document(builder: Builder, sources: dict[str, str]) -> dict[str, Any]:
    """Return the taxonomy file's document: the skills by id, with short keys and no empties."""
    skills = [
        _skill_item(draft, builder) for draft in sorted(builder.drafts.values(), key=lambda d: d.id)
    ]
    return {
        "format": FORMAT_VERSION,
        "sources": sources,
        "families": builder.curated["families"],
        "skills": skills,
    }


def _skill_item(draft: Draft, builder: Builder) -> dict[str, Any]:
    aliases = [a for a in draft.aliases if a != draft.name]
    modes = {a: m for a, m in draft.aliases.items() if m is not None}
    src_fields: dict[str, Any] = {
        "esco": [esco_id(u) for u in draft.esco_uris],
        "onet": draft.onet,
        "linguist": draft.linguist,
        "icon": draft.icon,
        "curated": int(draft.curated),
    }
    item: dict[str, Any] = {"id": draft.id, "n": draft.name, "c": draft.category}
    optional = {
        "a": aliases,
        "m": modes,
        "s": {k: v for k, v in src_fields.items() if v},
        "h": int(draft.hot),
        "d": int(draft.in_demand),
        "p": len(draft.onet_occupations) + draft.esco_occupations,
        "b": [b for b in draft.broader if b in builder.drafts],
        "f": draft.families,
        "r": draft.related,
        "g": draft.groups[:4],
    }
    item.update({k: v for k, v in optional.items() if v})
    return item


def write_gzip_json(path: Path, doc: dict[str, Any]) -> int:
    """Write a document as compact, reproducible gzip JSON; return its size in bytes."""
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode()
    with (
        path.open("wb") as fh,
        gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0) as gz,
    ):
        gz.write(raw)
    return path.stat().st_size
