"""Writes to a person's enrollments (re-exported by people.services, where callers find
them): enrolling, changing status or coordinator, each with its journey entry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.lib.english import in_english
from alongside.lib.errors import NotPermitted
from alongside.organizations.models import Program
from alongside.people import timeline
from alongside.people.models import Enrollment, Person
from alongside.people.permissions import can_manage_program
from alongside.people.record_writes import child_create, child_update

ENROLLMENT_FIELDS = (
    "status",
    "referred_on",
    "started_on",
    "ended_on",
    "closure_reason",
    "closure_note",
    "primary_coordinator",
)


def _refuse_merge_reason(data: Mapping[str, Any], current: str = "") -> None:
    reason = data.get("closure_reason")
    if reason == Enrollment.ClosureReason.MERGED and current != reason:
        raise ValidationError(
            {
                "closure_reason": _(
                    "Only a merge of two records closes an enrollment for this reason."
                )
            }
        )


@transaction.atomic
def enrollment_create(
    *, actor: Actor, person: Person, program: Program, data: Mapping[str, Any]
) -> Enrollment:
    if not can_manage_program(actor, program) or program.organization_id != person.organization_id:
        raise NotPermitted("You can only enroll people in programs you work in.")
    _refuse_merge_reason(data)
    enrollment = child_create(
        actor=actor,
        person=person,
        instance=Enrollment(person=person, program=program),
        data=data,
        fields=ENROLLMENT_FIELDS,
    )
    timeline.add_entry(
        person=person,
        kind="people.enrollment_created",
        occurred_at=timezone.now(),
        summary=f"{program.name}: {in_english(enrollment.get_status_display)}",
        actor=actor,
        program=program,
        subject=enrollment,
    )
    return enrollment


@transaction.atomic
def enrollment_update(
    *, actor: Actor, enrollment: Enrollment, data: Mapping[str, Any], version: int | None
) -> Enrollment:
    if not can_manage_program(actor, enrollment.program):
        raise NotPermitted("You can only change enrollments in programs you work in.")
    _refuse_merge_reason(data, enrollment.closure_reason)
    data = dict(data)
    if data.get("status") == Enrollment.Status.CLOSED and not data.get("ended_on"):
        data["ended_on"] = enrollment.ended_on or timezone.localdate()
    before = (in_english(enrollment.get_status_display), enrollment.primary_coordinator_id)
    updated = child_update(
        actor=actor,
        person=enrollment.person,
        instance=enrollment,
        data=data,
        fields=ENROLLMENT_FIELDS,
        version=version,
    )
    _enrollment_timeline(actor, updated, *before)
    return updated


def _enrollment_timeline(
    actor: Any, enrollment: Enrollment, status_before: str, coordinator_before: int | None
) -> None:
    """The journey entries for what changed in an enrollment: its status, its
    primary coordinator."""
    program = enrollment.program
    status = in_english(enrollment.get_status_display)
    if status != status_before:
        summary = f"{program.name}: {status_before} → {status}"
        if enrollment.closure_reason:
            summary += f" ({in_english(enrollment.get_closure_reason_display)})"
        _enrollment_entry(actor, enrollment, "people.enrollment_status_changed", summary)
    if enrollment.primary_coordinator_id != coordinator_before:
        coordinator = enrollment.primary_coordinator
        who = (coordinator.get_full_name() or coordinator.get_username()) if coordinator else ""
        summary = in_english(
            lambda: (
                _("%(program)s: primary coordinator is now %(who)s")
                % {"program": program.name, "who": who}
                if who
                else _("%(program)s: no primary coordinator") % {"program": program.name}
            )
        )
        _enrollment_entry(actor, enrollment, "people.enrollment_coordinator_changed", summary)


def _enrollment_entry(actor: Any, enrollment: Enrollment, kind: str, summary: str) -> None:
    timeline.add_entry(
        person=enrollment.person,
        kind=kind,
        occurred_at=timezone.now(),
        summary=summary,
        actor=actor,
        program=enrollment.program,
        subject=enrollment,
    )
