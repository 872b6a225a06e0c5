"""The learning domain's expected failures, in the core ``AppError`` family."""

from __future__ import annotations

from careergini.core.errors import AppError, Conflict, InvalidInput, NotFound, Unavailable


class RoleNotFound(NotFound):
    """No role matches the title or id given as ``target_role`` (404, with close matches)."""

    def __init__(self, query: str, suggestions: list[dict[str, str]]) -> None:
        hint = ""
        if suggestions:
            names = ", ".join(s["title"] for s in suggestions)
            hint = f" Close titles: {names}."
        super().__init__(
            f'No role is known by the title "{query}". Try a common title such as "data '
            f'engineer" or "frontend developer".{hint}',
            extra={
                "suggestions": [s["id"] for s in suggestions],
                "suggested_roles": suggestions,
            },
        )


class UnknownSkill(NotFound):
    """The skill is not in the taxonomy (404, with close matches)."""

    def __init__(self, query: str, suggestions: list[dict[str, str]]) -> None:
        hint = ""
        if suggestions:
            hint = " Did you mean: " + ", ".join(s["name"] for s in suggestions) + "?"
        super().__init__(
            f'No skill matches "{query}". Find one with GET /api/skills/search?q=...{hint}',
            extra={"suggestions": suggestions},
        )


class NotAJob(InvalidInput):
    """The job description has no skills CareerGini recognises: nothing to plan from (422)."""


class TaskNotFound(NotFound):
    """The roadmap has no task with this id (it may have been re-planned)."""


class QuizAlreadyAnswered(Conflict):
    """A quiz takes one set of answers (409)."""


class SessionFinished(Conflict):
    """Every question of the interview session has been answered (409)."""


class NoQuestions(Unavailable):
    """The bank has no questions for the skill and the AI model could not write any (503)."""


class ChangedMeanwhile(Conflict):
    """The resource changed while the AI model worked: its version is not applied (409).

    A background task fails with this; the deterministic result stays as the user left it.
    """


class ModelOutputRejected(AppError):
    """The AI model answered, but nothing it wrote passed the checks (502).

    A background task fails with this; the deterministic result stays.
    """

    status_code = 502
