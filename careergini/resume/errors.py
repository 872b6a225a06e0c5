"""The resume builder's errors, in the core ``AppError`` family."""

from __future__ import annotations

from collections.abc import Sequence

from careergini.core.errors import Conflict, InvalidInput, NotFound


class NoProfileForResume(Conflict):
    """There is no profile to build a resume from (409)."""

    def __init__(self) -> None:
        super().__init__(
            "You have no profile yet, and a tailored resume or cover letter is built only from "
            "facts in your profile. Import a resume first (Profile, import), a LinkedIn export "
            "or your GitHub account."
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
            "A position you chose to leave out is no longer in your profile (an import was "
            "removed or read again). Reload your profile and choose the positions again.",
            extra={"unknown_keys": list(keys), "valid_keys": list(valid)},
        )


class UnknownItem(InvalidInput):
    """A change names a bullet or paragraph the document does not have (422)."""


class UnsupportedFacts(InvalidInput):
    """An edit states facts the profile does not support (422); nothing is saved.

    For a bullet the answer offers to add the edited line to that position of the profile
    (``add_to_profile``): once it is there, the same edit passes.
    """

    def __init__(
        self,
        where: str,
        reasons: Sequence[str],
        *,
        position_key: str | None = None,
        position: str | None = None,
        text: str | None = None,
    ) -> None:
        offer = None
        if position_key and text:
            place = f"your position {position}" if position else "that position"
            advice = (
                f"If it is true, add this line to {place} in your profile (Add to my profile), "
                "then make this edit again: it will pass."
            )
            offer = {"section": "work", "position_key": position_key, "bullet": text}
            if position:
                offer["position"] = position
        else:
            advice = (
                "If it is true, add it to your profile first (Profile, edit your positions), "
                "then make this edit again."
            )
        super().__init__(
            f"Your edit of {where} states facts your profile does not support: "
            f"{'; '.join(reasons)}. {advice}",
            extra={
                "unsupported": list(reasons),
                "position_key": position_key,
                "add_to_profile": offer,
            },
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
