"""Where a digest goes: pluggable senders named in settings.NOTIFY_SENDERS.

A sender has a `name`, says whether it leaves the platform (`external`), and `send()`s one
message, returning False when it had nowhere to send it (no address, or nothing configured:
then it logs what it would have sent, so a quiet deployment still leaves a trace).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from anjian.accounts.models import User
from anjian.notifications.models import Kind, Notification

logger = logging.getLogger("anjian.notifications")


@dataclass(frozen=True)
class Message:
    recipient: User
    subject: str
    body: str
    kind: str = Kind.DIGEST
    link: str = ""


class Sender(Protocol):
    name: str
    external: bool

    def send(self, message: Message) -> bool: ...


class InAppSender:
    """A notification row, read on /notifications/."""

    name = "in_app"
    external = False

    def send(self, message: Message) -> bool:
        Notification.objects.create(
            recipient=message.recipient,
            kind=message.kind,
            text=f"{message.subject}\n{message.body}",
            link=message.link,
        )
        return True


class EmailSender:
    """Email through Django's email backend, once settings.EMAIL_HOST names a server."""

    name = "email"
    external = True

    def send(self, message: Message) -> bool:
        address = message.recipient.email
        if not settings.EMAIL_HOST:
            logger.info("email not configured; not sent to %s: %s", address or "-", message.subject)
            return False
        if not address:
            return False
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [address])
        return True


SmsGateway = Callable[[str, str], None]


def log_sms(phone: str, text: str) -> None:
    """The SMS gateway used when none is configured: the message goes to the log."""
    logger.info("SMS gateway not configured; to %s: %s", phone, text)


class SmsSender:
    """A text message through settings.SMS_GATEWAY, a dotted path to a callable
    `(phone, text) -> None` that raises on failure; without one, the text is logged."""

    name = "sms"
    external = True

    def __init__(self, gateway: SmsGateway | None = None) -> None:
        path = getattr(settings, "SMS_GATEWAY", "")
        self.gateway: SmsGateway = gateway or (import_string(path) if path else log_sms)

    def send(self, message: Message) -> bool:
        phone = message.recipient.phone
        if not phone:
            return False
        self.gateway(phone, f"{message.subject}：{message.body}"[: settings.SMS_MAX_CHARS])
        return True


def load_senders(paths: Iterable[str] | None = None) -> list[Sender]:
    """The senders named in settings.NOTIFY_SENDERS (dotted paths to classes)."""
    names = settings.NOTIFY_SENDERS if paths is None else paths
    return [import_string(path)() for path in names]
