"""Errors of the skills engine."""

from __future__ import annotations

from careergini.core.errors import NotFound


class UnknownRole(NotFound):
    def __init__(self, role_id: str, suggestions: list[str]) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f'No role with id "{role_id}". Find one with GET /api/roles/search?q=...{hint}',
            extra={"suggestions": suggestions},
        )
