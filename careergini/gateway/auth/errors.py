from careergini.core.errors import Conflict, Unauthorized


class EmailTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("An account with this email already exists. Log in instead.")


class InvalidCredentials(Unauthorized):
    # The failure's audit event and throttle count are kept.
    keep_changes = True

    def __init__(self, detail: str = "Email or password is wrong.") -> None:
        super().__init__(detail)


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


class TwoFactorRequired(Unauthorized):
    """The password is right; the account asks for its second factor too."""

    def __init__(self) -> None:
        super().__init__(
            "Enter the 6-digit code from your authenticator app (or a recovery code) in `otp`.",
            extra={"two_factor_required": True},
        )


class InvalidSecondFactor(Unauthorized):
    keep_changes = True

    def __init__(
        self, detail: str = "The code is wrong or was used already. Enter the current code."
    ) -> None:
        super().__init__(detail)


class NoPasswordSet(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "This account signs in through a provider and has no password. Sign in with the "
            "provider, then link or set a password on the Account page."
        )


class LastAdmin(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "This is the last active admin: make another account an admin first "
            "(`careergini users promote EMAIL`)."
        )
