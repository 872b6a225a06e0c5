"""Agents: the LLM gateway (``agents.llm``), the supervisor graph and its agents, chat."""
