"""Outgoing email over SMTP (``CAREERGINI_SMTP_*``).

The standard library's ``smtplib`` does the talking, in a worker thread so the event loop never
waits on a mail server. One connection per message: the app sends few (unlock links, digests),
and a fresh connection never finds a stale one closed by the server.
"""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import anyio.to_thread

from careergini.config import MailSettings
from careergini.core.errors import InvalidInput, Unavailable
from careergini.core.logging import get_logger

log = get_logger(__name__)

_POLICY = email.policy.default.clone(max_line_length=998)


class MailNotConfigured(Unavailable):
    """No SMTP server is set (``CAREERGINI_SMTP_HOST`` is empty)."""

    def __init__(self) -> None:
        super().__init__(
            "Email is not configured on this server: the operator sets CAREERGINI_SMTP_HOST "
            "(and CAREERGINI_SMTP_FROM) to send mail."
        )


class MailUnavailable(Unavailable):
    """The SMTP server could not be reached or refused the message."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"The mail server could not send the message ({reason}). Try again later.",
            headers={"Retry-After": "60"},
            extra={"dependency": "mail", "retry_after": 60},
        )


class _LoginRefused(Exception):
    pass


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    html: str | None = None
    # Extra headers (name, value), e.g. List-Unsubscribe for digests.
    headers: tuple[tuple[str, str], ...] = ()


def _one_line(value: str, what: str) -> str:
    # A CR or LF in a header would let the value add headers of its own.
    if "\r" in value or "\n" in value:
        raise InvalidInput(f"The {what} must be one line.")
    return value


def _address(value: str, what: str) -> str:
    _one_line(value, what)
    name, addr = parseaddr(value)
    if "@" not in addr or addr.startswith("@") or addr.endswith("@"):
        raise InvalidInput(f"The {what} {value!r} is not an email address.")
    return str(Address(display_name=name, addr_spec=addr)) if name else addr


class Mailer:
    """Sends email through the configured SMTP server."""

    def __init__(self, settings: MailSettings) -> None:
        self._settings = settings

    @property
    def configured(self) -> bool:
        """Say whether an SMTP server is set, so that features offering mail can say so."""
        return bool(self._settings.smtp_host)

    def build(self, mail: OutgoingMail) -> EmailMessage:
        """Return the MIME message for ``mail`` (plain text, with an HTML alternative if given)."""
        # Headers are not folded below the 998-character limit of RFC 5322: a long URL in
        # List-Unsubscribe must stay one <...> value, not become RFC 2047 encoded words.
        message = EmailMessage(policy=_POLICY)
        message["From"] = _address(self._settings.smtp_from, "sender (CAREERGINI_SMTP_FROM)")
        message["To"] = _address(mail.to, "recipient")
        message["Subject"] = _one_line(mail.subject, "subject")
        message["Date"] = formatdate(localtime=False, usegmt=True)
        domain = parseaddr(self._settings.smtp_from)[1].rpartition("@")[2] or "localhost"
        message["Message-ID"] = make_msgid(domain=domain)
        for name, value in mail.headers:
            message[_one_line(name, "header name")] = _one_line(value, f"{name} header")
        message.set_content(mail.text)
        if mail.html is not None:
            message.add_alternative(mail.html, subtype="html")
        return message

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self._settings.smtp_ca_file:
            context.load_verify_locations(cafile=self._settings.smtp_ca_file)
        return context

    def _send_now(self, message: EmailMessage) -> None:
        settings = self._settings
        client: smtplib.SMTP
        if settings.smtp_security == "ssl":
            client = smtplib.SMTP_SSL(
                settings.smtp_host,
                settings.smtp_port,
                timeout=settings.smtp_timeout,
                context=self._tls_context(),
            )
        else:
            client = smtplib.SMTP(
                settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout
            )
        with client:
            if settings.smtp_security == "starttls":
                client.starttls(context=self._tls_context())
            if settings.smtp_username:
                try:
                    client.login(settings.smtp_username, settings.smtp_password)
                except smtplib.SMTPNotSupportedError:
                    raise
                except smtplib.SMTPException as exc:
                    # Some servers hang up on a refused login instead of answering 535.
                    raise _LoginRefused() from exc
            client.send_message(message)

    async def send(self, mail: OutgoingMail) -> None:
        """Send one message; an unreachable or refusing server is a 503 (MailUnavailable)."""
        if not self.configured:
            raise MailNotConfigured()
        message = self.build(mail)
        try:
            await anyio.to_thread.run_sync(self._send_now, message)
        except _LoginRefused as exc:
            log.error("mail.auth_failed", error=type(exc.__cause__).__name__)
            raise MailUnavailable("the server refused the login") from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise InvalidInput("The mail server refused the recipient address.") from exc
        except smtplib.SMTPNotSupportedError as exc:
            log.error("mail.unsupported", error=str(exc))
            raise MailUnavailable("the server does not support what is configured") from exc
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("mail.send_failed", error=type(exc).__name__)
            raise MailUnavailable(type(exc).__name__) from exc
        log.info("mail.sent", subject_chars=len(mail.subject))
