"""Errors of the profile domain: a document that holds no resume, a user without a profile."""

from __future__ import annotations

from careergini.core.errors import Conflict, InvalidInput


class NoResumeContent(InvalidInput):
    """The document was read but holds nothing recognisable as a resume (422)."""


class NoProfileYet(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "Import a resume first (Profile, import a resume): the analysis compares your "
            "profile with the job, and you have no profile yet."
        )
