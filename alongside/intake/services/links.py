"""Links that let the person answer one screening on their own device."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from alongside.audit.services import Action
from alongside.intake.models import ScreeningLink, ScreeningResponse
from alongside.intake.services.access import (
    authorize,
    link_is_usable,
    locked,
    record_response,
    token_hash,
    visible_person,
)

LINK_LIFETIME = dt.timedelta(days=7)


@transaction.atomic
def link_create(*, actor: Any, response: ScreeningResponse) -> tuple[ScreeningLink, str]:
    """A new link for the person to answer this screening on their own device. Returns
    the link and its token; only the token's hash is kept, so it is shown once."""
    authorize(actor, response, None)
    response = locked(response, None)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ScreeningLink.objects.create(
        response=response,
        token_hash=token_hash(token),
        created_by=actor,
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    record_response(actor, Action.CREATE, response, detail={"link": link.pk})
    return link, token


@transaction.atomic
def link_revoke(*, actor: Any, link: ScreeningLink) -> ScreeningLink:
    link = (
        ScreeningLink.objects.select_for_update().select_related("response__person").get(pk=link.pk)
    )
    visible_person(actor, link.response.person)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        record_response(
            actor, Action.UPDATE, link.response, detail={"link": link.pk, "revoked": True}
        )
    return link


def link_language(token: str) -> str | None:
    """The language of the screening behind a link, usable or not (to say in it that the
    link no longer works); None for a token no link has."""
    return (
        ScreeningLink.objects.filter(token_hash=token_hash(token))
        .values_list("response__language", flat=True)
        .first()
    )


def link_for_token(token: str) -> ScreeningLink:
    """The usable link with this token, or ScreeningLink.DoesNotExist."""
    link = (
        ScreeningLink.objects.select_related("response__instrument_version__instrument")
        .select_related("response__person")
        .get(token_hash=token_hash(token))
    )
    if not link_is_usable(link):
        raise ScreeningLink.DoesNotExist
    return link
