"""axe-core (vendored under tests/web/axe/, MPL-2.0) run in the page: the accessibility rules
a screen must pass, counted by impact."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).with_name("axe") / "axe.min.js"
BLOCKING = {"critical", "serious"}


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return its violations (id, impact, nodes)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # Evaluated through the debugger protocol, so the app's CSP (script-src 'self') allows it.
        page.evaluate(_axe_source() + "\n;void 0")
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
          const result = await window.axe.run(document, {resultTypes: ['violations']});
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
          }));
        }"""
    )
    return found


def assert_accessible(page: Page, screen: str) -> list[dict[str, Any]]:
    """Fail on any critical or serious axe violation; return the lesser ones for the record."""
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{screen}: {blocking}"
    return violations
