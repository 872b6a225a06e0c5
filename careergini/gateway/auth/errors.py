from careergini.core.errors import Conflict, Unauthorized


class EmailTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("An account with this email already exists. Log in instead.")


class InvalidCredentials(Unauthorized):
    def __init__(self) -> None:
        super().__init__("Email or password is wrong.")


class InvalidRefreshToken(Unauthorized):
    def __init__(self, detail: str = "The session has expired. Log in again.") -> None:
        super().__init__(detail)


class RefreshTokenReuse(Unauthorized):
    """A rotated refresh token came back: someone copied it. The family is revoked for good."""

    keep_changes = True

    def __init__(self) -> None:
        super().__init__(
            "This refresh token was already used. Every session of this login has been signed "
            "out as a precaution. Log in again."
        )
