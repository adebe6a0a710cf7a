"""What every write on a screening checks first: that the actor may see the person (and,
for sensitive questions, is on their care team), or that the person answers through a
usable link; the response locked against concurrent edits; the audit event named."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.intake import selectors, sensitive
from alongside.intake.models import InstrumentVersion, ScreeningLink, ScreeningResponse
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.people.models import Person
from alongside.people.sensitivity import disclosure_for


def visible_person(actor: Any, person: Person) -> Person:
    """The person, if the actor may see them; otherwise Person.DoesNotExist (a 404)."""
    return Person.objects.visible_to(actor).get(pk=person.pk)


def has_sensitive_items(version: InstrumentVersion) -> bool:
    return bool(sensitive.sensitive_items(version.definition))


def may_ask(actor: Any, person: Person, version: InstrumentVersion) -> None:
    """An instrument with sensitive questions is for those who may see their answers."""
    if has_sensitive_items(version) and not disclosure_for(actor, person).sensitive:
        raise NotPermitted(
            _(
                "This screening asks sensitive questions, so only the person's care team can "
                "fill it in."
            )
        )


def askable_versions(actor: Any, person: Person) -> QuerySet[InstrumentVersion]:
    """The instruments the actor may start for the person today: the organization's active
    ones that `may_ask` allows (only the care team asks sensitive questions)."""
    versions = selectors.active_versions(person.organization)
    if disclosure_for(actor, person).sensitive:
        return versions
    return versions.filter(pk__in=[v.pk for v in versions if not has_sensitive_items(v)])


def authorize(actor: Any, response: ScreeningResponse, link: ScreeningLink | None) -> None:
    """Staff must be able to see the person (and, for sensitive questions, be on their
    care team); the person answering through a link (no account, actor None) is
    authorized by that link, for that one screening only."""
    if link is None:
        person = visible_person(actor, response.person)
        may_ask(actor, person, response.instrument_version)
    elif link.response_id != response.pk or not link_is_usable(link):
        raise ScreeningLink.DoesNotExist


def locked(response: ScreeningResponse, expected_version: int | None) -> ScreeningResponse:
    current = (
        ScreeningResponse.objects.select_for_update()
        .select_related("instrument_version", "person")
        .get(pk=response.pk)
    )
    if current.is_completed:
        raise ValidationError(_("This screening is already completed; start a new one to redo it."))
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current.version)
    return current


def record_response(actor: Any, action: Action, response: ScreeningResponse, **extra: Any) -> None:
    if actor is None:
        # The person, answering through a link: say so, since there is no user to name.
        extra["detail"] = {**extra.get("detail", {}), "via": "link"}
    audit.record_for_person(
        actor=actor, action=action, person=response.person, obj=response, **extra
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_is_usable(link: ScreeningLink) -> bool:
    return (
        link.revoked_at is None
        and link.expires_at > timezone.now()
        and link.response.status == ScreeningResponse.Status.IN_PROGRESS
    )
