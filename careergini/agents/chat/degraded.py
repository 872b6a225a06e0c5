"""The degraded answer: the tools' results rendered with Jinja2 templates, without the model.

Each tool has a template named after it (``templates/<tool>.jinja``); a failed tool renders its
hint (``failed.jinja``), a tool without a template its digest (``generic.jinja``). The answer
opens with a banner that says plainly that the model is offline (or busy).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from careergini.agents.results import ToolResult
from careergini.agents.state import DegradedReason

TEMPLATES = Path(__file__).resolve().parent / "templates"
OFFLINE_BANNER = "The AI model is offline right now, so here is what the analysis shows:"
BUSY_BANNER = "The AI model is busy right now, so here is what the analysis shows:"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Markdown text for the chat, not HTML: the client renders it (and escapes it) itself.
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - Markdown for the chat, escaped by the client
    )


def render_result(result: ToolResult) -> str:
    """Render one tool result as Markdown."""
    env = _environment()
    name = result["tool"] if result["ok"] else "failed"
    try:
        template = env.get_template(f"{name}.jinja")
    except TemplateNotFound:
        template = env.get_template("generic.jinja")
    return template.render(
        title=result["title"], data=result["data"], digest=result["digest"]
    ).strip()


def render_degraded(results: Sequence[ToolResult], *, reason: DegradedReason) -> str:
    """Render the banner and every tool result, or what the coach can do without the model."""
    env = _environment()
    parts = [env.get_template("banner.jinja").render(reason=reason).strip()]
    if results:
        parts.extend(render_result(result) for result in results)
    else:
        parts.append(env.get_template("no_tools.jinja").render().strip())
    return "\n\n".join(parts) + "\n"
