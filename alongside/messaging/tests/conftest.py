from collections.abc import Iterator
from typing import Any

import pytest

from alongside.messaging.purposes import Purpose, purposes
from alongside.messaging.tests import twilio_server


@pytest.fixture
def twilio(settings: Any) -> Iterator[twilio_server.TwilioServer]:
    """Texts go to the test gateway on 127.0.0.1, through our Twilio adapter."""
    httpd, state = twilio_server.start()
    settings.SMS_GATEWAY = "twilio"
    settings.TWILIO_API_BASE = state.url
    settings.TWILIO_ACCOUNT_SID = twilio_server.ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = twilio_server.AUTH_TOKEN
    settings.TWILIO_FROM_NUMBER = twilio_server.FROM_NUMBER
    settings.MESSAGING_PUBLIC_URL = "https://alongside.example.org"
    settings.MESSAGING_QUIET_HOURS = "21:00-08:00"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def test_purpose() -> Iterator[Purpose]:
    purpose = Purpose(key="tests.hello", label="Test message", on_confirm=lambda m: "confirmed")
    purposes.register(purpose)
    try:
        yield purpose
    finally:
        purposes.unregister(purpose.key)
