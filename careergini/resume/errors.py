"""The resume builder's errors, in the core ``AppError`` family."""

from __future__ import annotations

from collections.abc import Sequence

from careergini.core.errors import Conflict, InvalidInput, NotFound


class NoProfileForResume(Conflict):
    """There is no profile to build a resume from (409)."""

    def __init__(self) -> None:
        super().__init__(
            "You have no profile yet, and a tailored resume or cover letter is built only from "
            "facts in your profile. Import a resume first (POST /api/profile/imports), a LinkedIn "
            "export or your GitHub account."
        )


class UnknownTemplate(InvalidInput):
    """The request names a template that does not exist (422)."""

    def __init__(self, name: str, valid: Sequence[str]) -> None:
        super().__init__(
            f'No template named "{name}". Choose one of: {", ".join(valid)}.',
            extra={"valid_templates": list(valid)},
        )


class UnknownPosition(InvalidInput):
    """An exclusion names a position key the profile does not have (422)."""

    def __init__(self, keys: Sequence[str], valid: Sequence[str]) -> None:
        super().__init__(
            f"No position with key {', '.join(repr(k) for k in keys)} in your profile. "
            "GET /api/profile lists the keys of your positions (work[].key).",
            extra={"valid_keys": list(valid)},
        )


class UnknownItem(InvalidInput):
    """A change names a bullet or paragraph the document does not have (422)."""


class UnsupportedFacts(InvalidInput):
    """An edit states facts the profile does not support (422); nothing is saved."""

    def __init__(
        self, where: str, reasons: Sequence[str], *, position_key: str | None = None
    ) -> None:
        place = "to that position in your profile" if position_key else "to your profile"
        super().__init__(
            f"Your edit of {where} states facts your profile does not support: "
            f"{'; '.join(reasons)}. If they are true, add them {place} (Profile, edit the "
            "position's bullets), then make this edit again.",
            extra={"unsupported": list(reasons), "position_key": position_key},
        )


class ResumeNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such resume.")


class CoverLetterNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such cover letter.")


class ChangedMeanwhile(Conflict):
    """The version was edited or deleted while the model reworded it (409): the user's wins."""

    def __init__(self, what: str, *, again: str, deleted: bool = False) -> None:
        if deleted:
            detail = (
                f"The {what} was deleted while the model was rewording it, so the model's version "
                f"was not saved. To make a new one, {again} again."
            )
        else:
            detail = (
                f"The {what} was changed (edited) while the model was rewording it, so the "
                "model's version was not applied and your changes are kept. To get the model's "
                f"wording, make a new version: {again} again with the same target."
            )
        super().__init__(detail)
