"""Errors of the analysis domain: targets that cannot be analysed."""

from __future__ import annotations

from careergini.core.errors import InvalidInput


class InvalidJobId(InvalidInput):
    """A job_id that is not a posting id at all (422)."""


class PostingWithoutDescription(InvalidInput):
    """The posting has no text to analyse, only its title and company (422)."""
