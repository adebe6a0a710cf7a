"""Handing a device over to the person for a screening, and taking it back.

While it is handed over, the staff member's signed-in session is held to that screening
(`middleware.HandedOverMiddleware`); staff take it back with their password. Whoever holds
the device holds a signed-in session, so each wrong password is recorded and a few of them
end the session."""

from __future__ import annotations

import enum
from collections.abc import MutableMapping
from typing import Any

from alongside.accounts.actors import Actor
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.intake.middleware import KIOSK
from alongside.intake.models import ScreeningResponse

FAILURES = "intake_kiosk_failures"
HAND_BACK_ATTEMPTS = 5


class HandBack(enum.Enum):
    RETURNED = "returned"  # the device is the staff member's again
    TRY_AGAIN = "try again"
    SIGN_OUT = "sign out"  # too many wrong passwords: end the session


def hand_over(session: MutableMapping[str, Any], response: ScreeningResponse) -> None:
    """Hold the session to this screening until staff take the device back."""
    session[KIOSK] = response.pk


def is_handed_over(session: MutableMapping[str, Any], pk: int) -> bool:
    return session.get(KIOSK) == pk


def hand_back(
    *, actor: Actor, session: MutableMapping[str, Any], pk: int, password_ok: bool
) -> HandBack:
    """Staff asking for the device back from screening `pk`, with their password right
    or wrong; recorded either way. The HAND_BACK_ATTEMPTS-th wrong one in a row answers
    SIGN_OUT."""
    if password_ok:
        del session[KIOSK]
        session.pop(FAILURES, None)
        audit.record(actor=actor, action=Action.UPDATE, object_type="intake.kiosk", object_id=pk)
        return HandBack.RETURNED
    failures = session.get(FAILURES, 0) + 1
    session[FAILURES] = failures
    audit.record(actor=actor, action=Action.LOGIN_FAILED, object_type="intake.kiosk", object_id=pk)
    return HandBack.SIGN_OUT if failures >= HAND_BACK_ATTEMPTS else HandBack.TRY_AGAIN
