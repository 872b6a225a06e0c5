"""Fixtures for the coach: the LLM gateway's (Ollama stand-in, fake clock, gateway factory) and
the coach on a real server (tests/agents/chat_support.py)."""

from tests.agents.chat_support import make_coach  # noqa: F401
from tests.llm.conftest import clock, make_gateway, ollama  # noqa: F401
