"""core.mail against a real SMTP server on loopback (aiosmtpd): plain, STARTTLS with a login,
and the failures (nobody listening, a refused login, a header injection, no server set)."""

from __future__ import annotations

import datetime as dt
import email
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from careergini.config import MailSettings
from careergini.core.errors import InvalidInput
from careergini.core.mail import Mailer, MailNotConfigured, MailUnavailable, OutgoingMail


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Inbox:
    """What the loopback SMTP server received: (envelope recipients, parsed message)."""

    received: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def plain_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _check_login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"app", b"s3cret")
    return AuthResult(success=ok)


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[Inbox, int, Path]]:
    cert, key = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        server_hostname="localhost",
        tls_context=context,
        require_starttls=True,
        authenticator=_check_login,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield inbox, port, cert
    finally:
        controller.stop()


def mail_settings(**values: Any) -> MailSettings:
    base: dict[str, Any] = {
        "smtp_host": "127.0.0.1",
        "smtp_security": "none",
        "smtp_from": "CareerGini <noreply@careers.example.org>",
        "smtp_timeout": 5.0,
    }
    return MailSettings(**(base | values))


async def test_a_plain_message_reaches_the_server(plain_server: tuple[Inbox, int]) -> None:
    inbox, port = plain_server
    mailer = Mailer(mail_settings(smtp_port=port))
    assert mailer.configured
    await mailer.send(
        OutgoingMail(
            to="Ada <ada@example.org>",
            subject="Unlock your account",
            text="Open https://x/unlock?t=1",
            html="<p>Open <a href='https://x/unlock?t=1'>this link</a></p>",
        )
    )
    assert len(inbox.received) == 1
    recipients, message = inbox.received[0]
    assert recipients == ["ada@example.org"]
    assert message["From"] == "CareerGini <noreply@careers.example.org>"
    assert message["Subject"] == "Unlock your account"
    assert message["Message-ID"].endswith("@careers.example.org>")
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "https://x/unlock?t=1" in parts["text/plain"].get_payload(decode=True).decode()
    assert "this link" in parts["text/html"].get_payload(decode=True).decode()


async def test_starttls_and_login(tls_server: tuple[Inbox, int, Path]) -> None:
    inbox, port, cert = tls_server
    settings = mail_settings(
        smtp_host="localhost",
        smtp_port=port,
        smtp_security="starttls",
        smtp_username="app",
        smtp_password="s3cret",
        smtp_ca_file=str(cert),
    )
    await Mailer(settings).send(OutgoingMail(to="bo@example.org", subject="Hi", text="Body"))
    assert [r for r, _ in inbox.received] == [["bo@example.org"]]


async def test_a_wrong_password_is_a_503(tls_server: tuple[Inbox, int, Path]) -> None:
    inbox, port, cert = tls_server
    settings = mail_settings(
        smtp_host="localhost",
        smtp_port=port,
        smtp_security="starttls",
        smtp_username="app",
        smtp_password="wrong",
        smtp_ca_file=str(cert),
    )
    with pytest.raises(MailUnavailable) as caught:
        await Mailer(settings).send(OutgoingMail(to="bo@example.org", subject="Hi", text="x"))
    assert caught.value.status_code == 503
    assert "refused the login" in caught.value.detail
    assert inbox.received == []


async def test_an_untrusted_certificate_is_refused(tls_server: tuple[Inbox, int, Path]) -> None:
    inbox, port, _ = tls_server
    settings = mail_settings(smtp_host="localhost", smtp_port=port, smtp_security="starttls")
    with pytest.raises(MailUnavailable):
        await Mailer(settings).send(OutgoingMail(to="bo@example.org", subject="Hi", text="x"))
    assert inbox.received == []


async def test_nobody_listening_is_a_503() -> None:
    mailer = Mailer(mail_settings(smtp_port=free_port()))
    with pytest.raises(MailUnavailable) as caught:
        await mailer.send(OutgoingMail(to="a@example.org", subject="s", text="t"))
    assert caught.value.to_body()["dependency"] == "mail"


async def test_header_injection_and_bad_addresses_are_refused(
    plain_server: tuple[Inbox, int],
) -> None:
    inbox, port = plain_server
    mailer = Mailer(mail_settings(smtp_port=port))
    with pytest.raises(InvalidInput, match="one line"):
        await mailer.send(
            OutgoingMail(to="a@example.org", subject="Hi\r\nBcc: x@evil.example", text="t")
        )
    with pytest.raises(InvalidInput, match="not an email address"):
        await mailer.send(OutgoingMail(to="nobody", subject="Hi", text="t"))
    assert inbox.received == []


async def test_without_a_host_nothing_is_sent() -> None:
    mailer = Mailer(MailSettings(smtp_host=""))
    assert not mailer.configured
    with pytest.raises(MailNotConfigured):
        await mailer.send(OutgoingMail(to="a@example.org", subject="s", text="t"))
