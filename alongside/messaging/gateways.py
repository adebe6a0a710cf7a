"""The ways a message leaves: one `Channel` interface, email through Django's email
machinery, texts through a pluggable SMS gateway (SMS_GATEWAY: console, file, twilio)."""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.utils import timezone

logger = logging.getLogger("alongside.messaging")
TIMEOUT = 15


class SendFailed(Exception):
    """The provider refused or could not be reached; the message is marked failed."""


@dataclass(frozen=True)
class Outgoing:
    to: str
    body: str
    subject: str = ""
    status_callback: str = ""


class Channel(Protocol):
    def send(self, message: Outgoing) -> str:
        """Send; return the provider's id for the message. Raise SendFailed."""
        ...


class EmailChannel:
    def send(self, message: Outgoing) -> str:
        message_id = make_msgid(domain="alongside")
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.to],
            headers={"Message-ID": message_id},
        )
        try:
            email.send()
        except OSError as error:
            raise SendFailed(str(error)) from error
        return message_id.strip("<>")[:64]


class ConsoleGateway:
    """The demo's default: texts are written to the log, never sent."""

    def send(self, message: Outgoing) -> str:
        sid = f"console-{uuid.uuid4().hex[:24]}"
        logger.info("Text to %s (%s): %s", message.to, sid, message.body)
        return sid


class FileGateway:
    """Texts appended as JSON lines to SMS_FILE_PATH, for demos and tests."""

    def send(self, message: Outgoing) -> str:
        sid = f"file-{uuid.uuid4().hex[:24]}"
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {
            "sid": sid,
            "to": message.to,
            "body": message.body,
            "at": timezone.now().isoformat(),
        }
        with path.open("a", encoding="utf-8") as file:
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
        return sid


class TwilioGateway:
    """Twilio's Programmable Messaging API: POST {base}/2010-04-01/Accounts/{sid}/Messages.json
    with HTTP basic auth and the form fields To, From, Body, StatusCallback."""

    def __init__(
        self, *, base: str = "", account_sid: str = "", auth_token: str = "", from_number: str = ""
    ) -> None:
        self.base = (base or settings.TWILIO_API_BASE).rstrip("/")
        self.account_sid = account_sid or settings.TWILIO_ACCOUNT_SID
        self.auth_token = auth_token or settings.TWILIO_AUTH_TOKEN
        self.from_number = from_number or settings.TWILIO_FROM_NUMBER

    def send(self, message: Outgoing) -> str:
        fields = {"To": message.to, "From": self.from_number, "Body": message.body}
        if message.status_callback:
            fields["StatusCallback"] = message.status_callback
        account = urllib.parse.quote(self.account_sid, safe="")
        url = f"{self.base}/2010-04-01/Accounts/{account}/Messages.json"
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 (the base is configuration, https)
            url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise SendFailed(_twilio_error(error)) from error
        except (OSError, ValueError) as error:
            raise SendFailed(f"Twilio could not be reached: {error}") from error
        sid = answer.get("sid") if isinstance(answer, dict) else None
        if not isinstance(sid, str) or not sid:
            raise SendFailed("Twilio answered without a message id")
        return sid[:64]


def _twilio_error(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read() or b"{}")
    except ValueError:
        body = {}
    code = body.get("code", "") if isinstance(body, dict) else ""
    text = body.get("message", "") if isinstance(body, dict) else ""
    return f"Twilio refused the text ({error.code} {code}): {text}".strip()[:300]


def sms_gateway() -> Channel:
    gateways: dict[str, type[Channel]] = {
        "console": ConsoleGateway,
        "file": FileGateway,
        "twilio": TwilioGateway,
    }
    return gateways[settings.SMS_GATEWAY]()


def channel_for(name: str) -> Channel:
    return EmailChannel() if name == "email" else sms_gateway()
