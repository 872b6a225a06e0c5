"""Set aside lines addressed to an AI model: the JD is data, nothing written in it is followed."""

from __future__ import annotations

import re

from careergini.skills.jd.document import PhysicalLine
from careergini.skills.jd.words import has_any, phrases

_INSTRUCTION_RE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)*"
    r"(?:previous|prior|above|earlier|preceding|other|system)\s+(?:instructions?|prompts?|"
    r"directions?|rules|messages?)|\bsystem\s+prompt\b|"
    r"\byou\s+are\s+(?:now\s+)?(?:an?\s+)?(?:ai|llm|language\s+model|chatbot|chatgpt|gpt)\b|"
    r"\b(?:ai|llm|language\s+model|chatbot|gpt)s?\s*,\s*(?:please\s+)?(?:ignore|rate|score|give|"
    r"rank)\b|\b(?:give|rate|score|rank)\s+(?:this|the|every|each)\s+(?:candidate|applicant|"
    r"resume|cv)\b|<\|im_start\|>|\[/?INST\]|^\s*(?:system|assistant)\s*:",
    re.IGNORECASE,
)


# Every alternative of _INSTRUCTION_RE holds one of these; most lines hold none.
_INSTRUCTION_HINTS = phrases(
    "ignore|disregard|forget|override|system|you are|ai,|llm|gpt|chatbot|model,|candidate|"
    "applicant|resume|cv|im_start|inst]|assistant"
)


def set_aside_instructions(
    physical: list[PhysicalLine],
) -> tuple[list[PhysicalLine], list[str]]:
    """Drop lines addressed to an AI model ("ignore previous instructions..."), with a warning.

    They are not part of the job: nothing is read from them, so they can't add a skill or a
    years figure either. Whoever shows the JD to a model later can see the warning.
    """
    flagged = [
        line.number
        for line in physical
        if has_any(line.text.lower(), _INSTRUCTION_HINTS) and _INSTRUCTION_RE.search(line.text)
    ]
    if not flagged:
        return physical, []
    where = ", ".join(str(n) for n in flagged[:5])
    warning = (
        f"instruction_like_text: line {where} reads like an instruction to an AI model; "
        "it was set aside and nothing in it was followed or parsed"
    )
    return [line for line in physical if line.number not in flagged], [warning]
