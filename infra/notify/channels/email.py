"""E-mail over SMTP (aiosmtplib): `MINQING_SMTP_URL=smtp[s]://user:pass@host:port?from=addr[&starttls=1]`."""
from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from infra.notify.channels.base import DeliveryFailed, Outgoing
from models.notification_text import subject


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    tls: bool = False       # smtps://: TLS from the first byte
    starttls: bool = False  # upgrade a plain connection

    @classmethod
    def from_url(cls, url: str) -> "SmtpServer":
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        tls = parts.scheme == "smtps"
        sender = (query.get("from") or [""])[0]
        if not parts.hostname or "@" not in sender:
            raise ValueError("MINQING_SMTP_URL needs a host and ?from=sender@example.org")
        return cls(parts.hostname, parts.port or (465 if tls else 25), sender,
                   unquote(parts.username) if parts.username else None,
                   unquote(parts.password) if parts.password else None,
                   tls, (query.get("starttls") or ["0"])[0] in ("1", "true", "yes"))


def email_for(message: Outgoing, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"] = sender, message.address or ""
    mail["Subject"] = subject(message.kind, message.tracking_code)
    mail["Message-ID"] = f"<{message.notification_id}@minqing>"  # the same notification, the same id
    mail.set_content(message.text)
    return mail


class EmailChannel:
    name = "email"

    def __init__(self, server: SmtpServer, timeout: float) -> None:
        self._server, self._timeout = server, timeout

    async def send(self, message: Outgoing) -> None:
        if not message.address:
            raise DeliveryFailed("no e-mail address", permanent=True)
        s = self._server
        try:
            await aiosmtplib.send(email_for(message, s.sender), hostname=s.host, port=s.port, username=s.username,
                                  password=s.password, use_tls=s.tls, start_tls=s.starttls, timeout=self._timeout)
        except aiosmtplib.SMTPRecipientsRefused as error:
            raise DeliveryFailed(f"the mail server refused {message.address}: {error}", permanent=True) from None
        except aiosmtplib.SMTPResponseException as error:
            raise DeliveryFailed(f"the mail server answered {error.code} {error.message}",
                                 permanent=500 <= error.code < 600) from None
