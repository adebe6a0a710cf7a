"""Needs: recorded from a completed screening, and moved along by the care team."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.intake import sensitive
from alongside.intake.models import Need, ScreeningResponse
from alongside.intake.services.access import visible_person
from alongside.lib.errors import NotPermitted
from alongside.lib.validation import full_clean
from alongside.people import sensitivity
from alongside.people.sensitivity import disclosure_for


def need_identify(actor: Any, response: ScreeningResponse, kind: str, at: Any) -> None:
    """Record a need from a screening, unless the same need is already open."""
    person = response.person
    if Need.objects.filter(person=person, kind=kind, status__in=Need.OPEN_STATUSES).exists():
        return
    need = Need(person=person, kind=kind, source_response=response, identified_at=at)
    full_clean(need, validate_constraints=False)
    try:
        with transaction.atomic():
            need.save()
    except IntegrityError:
        return  # another screening completed at the same moment opened it: one is enough
    audit.record_for_person(
        actor=actor, action=Action.CREATE, person=person, obj=need, detail={"kind": kind}
    )


# ---------------------------------------------------------------- need status


NEED_CHANGED = gettext_lazy(
    "Someone else changed this need to “%(current)s” while you were looking. Nothing was "
    "changed; check the record and choose again."
)


@transaction.atomic
def need_set_status(*, actor: Any, need: Need, status: str, expected: str | None) -> Need:
    """Move a need between identified, being addressed, resolved and not wanted. Only the
    person's care team may. `expected` is the status the actor saw: if someone changed it
    since, nothing is changed (ValidationError with code "stale"), so two people updating
    the same need never silently undo each other. None skips that check."""
    person = visible_person(actor, need.person)
    disclosure = disclosure_for(actor, person)
    if not disclosure.on_team:
        raise NotPermitted(_("Only the person’s care team can change the status of a need."))
    if sensitive.is_sensitive_need(need.kind) and not disclosure.sensitive:
        raise NotPermitted(str(sensitivity.RESTRICTED))
    if status not in Need.Status.values:
        raise ValidationError({"status": _("Choose one of the listed statuses.")})
    need = Need.objects.select_for_update().get(pk=need.pk)
    old = need.status
    if expected is not None and old != expected:
        raise ValidationError(NEED_CHANGED % {"current": Need.Status(old).label}, code="stale")
    if status == old:
        return need
    reopening = status in Need.OPEN_STATUSES and old not in Need.OPEN_STATUSES
    if (
        reopening
        and Need.objects.filter(person_id=need.person_id, kind=need.kind)
        .filter(status__in=Need.OPEN_STATUSES)
        .exclude(pk=need.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "status": _(
                    "%(name)s already has an open “%(need)s” need; update that one instead."
                )
                % {"name": person.first_name, "need": need.get_kind_display()}
            }
        )
    need.status = status
    need.full_clean(validate_constraints=False)
    need.save(update_fields=["status"])
    audit.record_for_person(
        actor=actor,
        action=Action.UPDATE,
        person=person,
        obj=need,
        fields=["status"],
        detail={"from": old, "to": status},
    )
    return need
