"""SMTP with STARTTLS or implicit TLS and a login, against aiosmtpd with a real certificate (made
here, trusted through SSL_CERT_FILE); the password comes from NETMSG_SMTP_PASSWORD."""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from netmsg_tui.config import Settings
from netmsg_tui.mail.smtp import SmtpError, send

from .conftest import SmtpSink, free_port

USER, PASSWORD = "netmsg", "correct horse battery staple"


@pytest.fixture
def server_tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A certificate for 127.0.0.1 that the client trusts (SSL_CERT_FILE), and its context."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any):  # noqa: ANN201
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # aiosmtpd answers 235 or 535


def mail() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "noreply@network.test"
    message["To"] = "jana@parts.example, jana@mobile.example"
    message["Subject"] = "Secure"
    message.set_content("over TLS")
    return message


def settings_for(settings: Settings, port: int, security: str) -> Settings:
    smtp = replace(settings.smtp, port=port, security=security, username=USER)
    return replace(settings, smtp=smtp)


def test_starttls_with_login(
    server_tls: ssl.SSLContext, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    sink = SmtpSink(
        port,
        tls_context=server_tls,
        require_starttls=True,
        auth_required=True,
        authenticator=authenticator,
    )
    sink.start()
    try:
        config = settings_for(settings, port, "starttls")
        with pytest.raises(SmtpError, match="No SMTP password for netmsg@127.0.0.1"):
            send(mail(), config.smtp)
        monkeypatch.setenv("NETMSG_SMTP_PASSWORD", "wrong")
        with pytest.raises(SmtpError, match="refused the login: 535"):
            send(mail(), config.smtp)
        monkeypatch.setenv("NETMSG_SMTP_PASSWORD", PASSWORD)
        assert send(mail(), config.smtp) == []
        (got,) = sink.wait_for(1)
        assert sorted(got.rcpt_tos) == ["jana@mobile.example", "jana@parts.example"]
        plain = settings_for(settings, port, "none")
        with pytest.raises(SmtpError):  # the server insists on STARTTLS first
            send(mail(), plain.smtp)
    finally:
        sink.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_with_login(
    server_tls: ssl.SSLContext, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    sink = SmtpSink(
        port,
        implicit_tls=server_tls,
        auth_required=True,
        auth_require_tls=False,  # the whole connection is TLS already
        authenticator=authenticator,
    )
    sink.start()
    monkeypatch.setenv("NETMSG_SMTP_PASSWORD", PASSWORD)
    try:
        assert send(mail(), settings_for(settings, port, "tls").smtp) == []
        assert len(sink.wait_for(1)) == 1
    finally:
        sink.stop()
