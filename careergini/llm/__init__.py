"""The LLM gateway: every call to the model server goes through :class:`LLMGateway`.

Routes get it as ``LLMDep`` (declared in ``careergini.runtime.deps``, next to the other clients
the lifespan owns); services receive it as a keyword argument.
"""

from careergini.llm.errors import (
    LLMBadOutput,
    LLMBusy,
    LLMError,
    LLMPromptTooLong,
    LLMStreamInterrupted,
    LLMUnavailable,
)
from careergini.llm.gateway import LLMGateway
from careergini.llm.prompts import DATA_RULE, Prompt, get_prompt, wrap_untrusted
from careergini.llm.schemas import Completion, StreamEvent, UsageReport

__all__ = [
    "DATA_RULE",
    "Completion",
    "LLMBadOutput",
    "LLMBusy",
    "LLMError",
    "LLMGateway",
    "LLMPromptTooLong",
    "LLMStreamInterrupted",
    "LLMUnavailable",
    "Prompt",
    "StreamEvent",
    "UsageReport",
    "get_prompt",
    "wrap_untrusted",
]
