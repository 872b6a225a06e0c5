"""Token errors."""

from __future__ import annotations

from careergini.core.errors import Forbidden


class MissingScope(Forbidden):
    """The token lacks the scope this action needs."""
