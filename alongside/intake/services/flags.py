"""Urgent flags: raised when a screening completes, announced by email after commit, and
acted on by the care team."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import Membership, Role
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.intake.models import ScreeningResponse, UrgentFlag, UrgentFlagAction
from alongside.intake.services import journey
from alongside.intake.services.access import visible_person
from alongside.lib.errors import NotPermitted
from alongside.lib.validation import full_clean
from alongside.people.models import Enrollment, Person
from alongside.people.sensitivity import disclosure_for
from alongside.tasks.background import evaluate_person_later

URGENT_SUBJECT = "An urgent screening result needs your attention"


def flags_raise(
    actor: Any, response: ScreeningResponse, rules: list[dict[str, str]], at: dt.datetime
) -> list[UrgentFlag]:
    """Raise a flag for each urgent rule a completed screening met, and tell the people
    who must act once the screening is saved."""
    flags = [
        UrgentFlag.objects.create(
            person=response.person,
            response=response,
            reason=rule["reason"],
            guidance=rule["guidance"],
            raised_at=at,
        )
        for rule in rules
    ]
    for flag in flags:
        audit.record_for_person(actor=actor, action=Action.CREATE, person=response.person, obj=flag)
        journey.flag_raised(actor, flag)
    if flags:
        notify_on_commit(response.person)
        # The rules for this person run as soon as the flag is saved, so its follow-up
        # task appears now rather than at the next sweep.
        evaluate_person_later(response.person.pk)
    return flags


def urgent_recipients(person: Person) -> list[str]:
    """Email addresses of the person's primary coordinators and the supervisors of the
    programs they are enrolled in."""
    enrollments = list(
        Enrollment.objects.filter(
            person=person, status__in=Enrollment.OPEN_STATUSES
        ).select_related("primary_coordinator")
    )
    addresses = {
        e.primary_coordinator.email
        for e in enrollments
        if e.primary_coordinator is not None and e.primary_coordinator.is_active
    }
    addresses |= set(
        Membership.objects.filter(
            role=Role.SUPERVISOR,
            program_id__in=[e.program_id for e in enrollments],
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )
    return sorted(a for a in addresses if a)


def notify_on_commit(person: Person) -> None:
    """Tell the people who must act, after commit. The message carries no screening
    content, not even the instrument's name: only that something needs attention."""
    link = settings.SITE_URL.rstrip("/") + reverse("people:detail", args=[person.pk])
    recipients = urgent_recipients(person)
    if not recipients:
        return
    body = (
        f"{URGENT_SUBJECT}.\n\n"
        f"Please sign in to Alongside to see it and follow your program's protocol:\n{link}\n"
    )

    def send() -> None:
        send_mail(URGENT_SUBJECT, body, None, recipients)

    # robust: a mail server that is down must not undo a recorded screening; the flag
    # stays open on the person's record until someone acknowledges it.
    transaction.on_commit(send, robust=True)


class FlagClosed(ValidationError):
    """The flag was closed by someone else while the actor was looking at it."""


def _closed_message(flag: UrgentFlag) -> str:
    when = formats.date_format(timezone.localtime(flag.acknowledged_at), "DATETIME_FORMAT")
    who = flag.acknowledged_by or _("a former staff member")
    return _("%(who)s already closed this on %(when)s. Nothing more was recorded.") % {
        "who": who,
        "when": when,
    }


def _checked(action: str, note: str) -> str:
    """The note, once the action and note make sense together; ValidationError naming
    the field otherwise."""
    if action not in UrgentFlagAction.Kind.values:
        raise ValidationError({"action": _("Choose what you did.")})
    note = note.strip()
    if action in UrgentFlagAction.NOTE_REQUIRED and not note:
        raise ValidationError(
            {"note": _("Add a note: who you tried and how, or what you did instead.")}
        )
    return note


def ensure_may_act(actor: Any, flag: UrgentFlag) -> None:
    """Only the person's care team acts on a flag: NotPermitted for anyone else who sees
    the person (Person.DoesNotExist for anyone who does not)."""
    person = visible_person(actor, flag.person)
    if not disclosure_for(actor, person).sensitive:
        raise NotPermitted(_("Only the person's care team can act on an urgent result."))


@transaction.atomic
def urgent_flag_acknowledge(
    *, actor: Any, flag: UrgentFlag, action: str, note: str = ""
) -> UrgentFlagAction:
    """Record what the actor did about an urgent flag (`UrgentFlagAction.Kind`), with a
    note (required for "could not reach" and "something else"). Only the person's care
    team may. Every action but "could not reach" closes the flag in the actor's name; an
    attempt that did not reach the person keeps it open, so it stays in front of the
    team. A flag someone else closed meanwhile is left alone: FlagClosed says who and
    when. The note is not copied into the audit trail: it may say what was answered."""
    ensure_may_act(actor, flag)
    note = _checked(action, note)
    # Only the flag row is locked: who closed it may be nobody (an outer join).
    flag = (
        UrgentFlag.objects.select_for_update(of=("self",))
        .select_related("person", "acknowledged_by")
        .get(pk=flag.pk)
    )
    if flag.acknowledged_at is not None:
        raise FlagClosed(_closed_message(flag), code="closed")
    now = timezone.now()
    taken = UrgentFlagAction(flag=flag, kind=action, note=note, taken_by=actor, taken_at=now)
    full_clean(taken)
    taken.save()
    audit.record_for_person(
        actor=actor,
        action=Action.CREATE,
        person=flag.person,
        obj=taken,
        detail={"flag": flag.pk, "action": action},
    )
    if taken.closes_flag:
        flag.acknowledged_by = actor
        flag.acknowledged_at = now
        flag.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit.record_for_person(
            actor=actor,
            action=Action.UPDATE,
            person=flag.person,
            obj=flag,
            fields=["acknowledged_at"],
            detail={"action": action},
        )
    journey.flag_acknowledged(actor, flag, taken)
    taken.flag = flag
    return taken
