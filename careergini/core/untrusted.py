"""Cheap, linear checks on untrusted text before a parser sees it."""

from __future__ import annotations

import re

# Deep enough for any real document (a JSON Resume is 4-5 levels, a job feed 6-8), far below
# the depth at which json.loads or a recursive walk of the result runs out of stack.
MAX_JSON_DEPTH = 64
# A JSON string literal (escapes included): brackets inside one do not nest.
_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET_RE = re.compile(r"[\[\]{}]")


def json_depth(text: str, *, stop_at: int = MAX_JSON_DEPTH) -> int:
    """Return how deeply the JSON text nests arrays and objects (counted up to stop_at + 1)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET_RE.finditer(_JSON_STRING_RE.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_at:
                    break
        else:
            depth = max(0, depth - 1)
    return deepest


def looks_like_json(text: str) -> bool:
    """Say whether the text starts as a JSON object or array would."""
    return text.lstrip()[:1] in ("{", "[")
