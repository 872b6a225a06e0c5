"""Token estimates without a tokenizer, and trimming a conversation to a role's prompt budget.

The estimate is deliberately pessimistic: 3.5 ASCII characters a token (the models' tokenizers
average about 4 on English prose) and one token for every other character (CJK, emoji), plus a
few tokens of chat-template overhead per message. Over-estimating only trims a little early;
under-estimating would let Ollama cut the prompt itself, silently, from the front.

Trimming, in order, until the estimate fits:
1. the oldest turns between the system prompt and the latest user turn are dropped, replaced by
   one short deterministic digest (role and first words of each dropped message);
2. long ``<data>`` documents (see ``prompts.wrap_untrusted``) are shortened in the middle,
   keeping their beginning and end.
The system prompt and the latest user turn are never dropped, and only their data blocks are
ever shortened. If the instructions alone exceed the budget, :class:`LLMPromptTooLong`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from careergini.llm.errors import LLMPromptTooLong
from careergini.llm.prompts import CONTEXT_DIGEST, DATA_BLOCK, wrap_untrusted

CHARS_PER_TOKEN = 3.5
MESSAGE_OVERHEAD = 4  # role markers and separators of the chat template
REPLY_PRIMING = 3
MIN_DOCUMENT_CHARS = 200
_SNIPPET_CHARS = 80
_SPACES = re.compile(r"\s+")

Message = dict[str, str]


def estimate_tokens(text: str) -> int:
    """Return a conservative token count for text."""
    ascii_chars = len(text.encode("ascii", "ignore"))
    return math.ceil(ascii_chars / CHARS_PER_TOKEN + (len(text) - ascii_chars))


def estimate_message_tokens(message: Mapping[str, str]) -> int:
    return estimate_tokens(message.get("content") or "") + MESSAGE_OVERHEAD


def estimate_messages(messages: Sequence[Mapping[str, str]]) -> int:
    """Return a conservative token count for a whole chat request."""
    return sum(estimate_message_tokens(m) for m in messages) + REPLY_PRIMING


@dataclass(frozen=True)
class TrimReport:
    tokens_before: int
    tokens_after: int
    dropped_messages: int = 0
    shortened_documents: int = 0

    @property
    def trimmed(self) -> bool:
        return bool(self.dropped_messages or self.shortened_documents)


def _snippet(content: str) -> str:
    text = DATA_BLOCK.sub(lambda m: "[document]", content)
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= _SNIPPET_CHARS else text[: _SNIPPET_CHARS - 1].rstrip() + "…"


def _digest(dropped: Sequence[Mapping[str, str]], allowance: int) -> Message:
    """Summarise dropped messages in at most ``allowance`` tokens, keeping the most recent."""
    lines = [f"- {m.get('role', 'user')}: {_snippet(m.get('content') or '')}" for m in dropped]
    kept: list[str] = []
    used = 0
    for line in reversed(lines):
        cost = estimate_tokens(line) + 1
        if used + cost > allowance:
            break
        kept.insert(0, line)
        used += cost
    if len(kept) < len(lines):
        kept.insert(0, f"- ({len(lines) - len(kept)} older message(s) without a summary)")
    body = wrap_untrusted("\n".join(kept), source="earlier_conversation")
    return {"role": "system", "content": CONTEXT_DIGEST.render(count=len(dropped), digest=body)}


def _shorten(inner: str, cut: int) -> str:
    keep = max(MIN_DOCUMENT_CHARS, len(inner) - cut)
    if keep >= len(inner):
        return inner
    head = keep * 2 // 3
    tail = keep - head
    left_out = len(inner) - keep
    marker = f"\n[... {left_out} characters left out to fit the model's context ...]\n"
    return inner[:head] + marker + inner[len(inner) - tail :]


def _shorten_documents(messages: list[Message], budget: int) -> int:
    """Shorten the largest data blocks until the messages fit; return how many were shortened."""
    shortened: set[tuple[int, int]] = set()
    for _ in range(50):
        excess = estimate_messages(messages) - budget
        if excess <= 0:
            break
        blocks = [
            (len(match.group(2)), index, number)
            for index, message in enumerate(messages)
            for number, match in enumerate(DATA_BLOCK.finditer(message.get("content") or ""))
            if len(match.group(2)) > MIN_DOCUMENT_CHARS + 100
        ]
        if not blocks:
            break
        _, index, number = max(blocks)
        cut = math.ceil(excess * CHARS_PER_TOKEN * 1.1) + 120
        content = messages[index]["content"]
        match = list(DATA_BLOCK.finditer(content))[number]
        replaced = match.group(1) + _shorten(match.group(2), cut) + match.group(3)
        messages[index] = {
            **messages[index],
            "content": content[: match.start()] + replaced + content[match.end() :],
        }
        shortened.add((index, number))
    return len(shortened)


def fit_messages(
    messages: Sequence[Mapping[str, str]], budget: int
) -> tuple[list[Message], TrimReport]:
    """Return the messages trimmed to ``budget`` estimated tokens, and what was done."""
    original = [dict(m) for m in messages]
    before = estimate_messages(original)
    if before <= budget:
        return original, TrimReport(tokens_before=before, tokens_after=before)

    head_end = 0
    while head_end < len(original) and original[head_end].get("role") == "system":
        head_end += 1
    last_user = max(
        (i for i, m in enumerate(original) if m.get("role") == "user" and i >= head_end),
        default=len(original) - 1,
    )
    last_user = max(last_user, head_end)
    head, middle, tail = original[:head_end], original[head_end:last_user], original[last_user:]

    allowance = max(40, min(200, budget // 10))
    fixed = estimate_messages(head + tail)
    kept_tokens = [estimate_message_tokens(m) for m in middle]
    dropped = 0
    digest: list[Message] = []
    while dropped < len(middle):
        dropped += 1
        digest = [_digest(middle[:dropped], allowance)]
        total = fixed + estimate_message_tokens(digest[0]) + sum(kept_tokens[dropped:])
        if total <= budget:
            break
    trimmed = head + digest + middle[dropped:] + tail

    shortened = 0
    if estimate_messages(trimmed) > budget:
        shortened = _shorten_documents(trimmed, budget)
    after = estimate_messages(trimmed)
    if after > budget:
        raise LLMPromptTooLong(
            f"The request is too long for the model: about {after} tokens of instructions, "
            f"over the budget of {budget}. Shorten the question or the documents."
        )
    report = TrimReport(
        tokens_before=before,
        tokens_after=after,
        dropped_messages=dropped,
        shortened_documents=shortened,
    )
    return trimmed, report
