"""Urgent flags: raised by PHQ-9 item 9 and the AHC safety questions, emailed to the
person's coordinator and the program's supervisors without any screening content."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.intake import services
from alongside.intake.models import Need, UrgentFlag, UrgentFlagAction
from alongside.intake.tests.conftest import DECLINE, Screen
from alongside.intake.tests.test_responses import NOT_AT_ALL, SEVERAL, phq9
from alongside.lib.errors import NotPermitted

SOMETIMES = "LA10082-8"
NO = "LA32-8"


def ahc(safety: list[str]) -> dict[str, Any]:
    return {
        "71802-3": "LA31993-1",
        "88122-7": "LA28398-8",
        "88123-5": "LA28398-8",
        "93030-5": NO,
        "96779-4": NO,
        "95618-5": safety[0],
        "95617-7": safety[1],
        "95616-9": safety[2],
        "95615-1": safety[3],
    }


def test_it_raises_an_urgent_flag_for_phq9_item_nine(
    world: Any, screen: Screen, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    flag = UrgentFlag.objects.get(person=world.person)
    assert flag.response == response and flag.is_open
    assert "988" in flag.guidance
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["casey@example.org", "sam@example.org"]


def test_it_emails_no_screening_content(
    world: Any, screen: Screen, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    message = mail.outbox[0]
    text = f"{message.subject} {message.body}".lower()
    assert message.subject == "An urgent screening result needs your attention"
    assert f"/people/{world.person.pk}/" in message.body
    for secret in ["better off dead", "hurting yourself", "phq", "several days", "item 9"]:
        assert secret not in text
    assert "lupe" not in text and "hernández" not in text


def test_it_raises_no_flag_when_item_nine_is_not_at_all_or_declined(
    world: Any, screen: Screen, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        screen("phq-9", phq9(NOT_AT_ALL))
        screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": DECLINE}))
    assert not UrgentFlag.objects.exists()
    assert mail.outbox == []


def test_it_flags_a_positive_ahc_safety_screen_and_derives_the_need(
    world: Any, screen: Screen, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = screen("ahc-hrsn-core", ahc([SOMETIMES, SOMETIMES, SOMETIMES, "LA10066-1"]))
    assert response.scores.get(name="safety").value == 11
    need = Need.objects.get(person=world.person)
    assert (need.kind, need.source_response) == ("unsafe_relationship", response)
    assert UrgentFlag.objects.get().reason.startswith("Interpersonal safety")
    assert len(mail.outbox) == 1
    assert "hurt" not in mail.outbox[0].body and "safety" not in mail.outbox[0].body.lower()


def test_it_does_not_flag_an_ahc_safety_score_of_ten(
    world: Any, screen: Screen, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        screen("ahc-hrsn-core", ahc([SOMETIMES, SOMETIMES, "LA10066-1", "LA10066-1"]))
    assert not UrgentFlag.objects.exists() and not Need.objects.exists()
    assert mail.outbox == []


def test_it_does_not_email_colleagues_outside_the_persons_programs(
    world: Any, screen: Screen
) -> None:
    recipients = services.urgent_recipients(world.person)
    assert recipients == ["casey@example.org", "sam@example.org"]


def test_it_closes_a_flag_once_and_says_who_closed_it(world: Any, screen: Screen) -> None:
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    flag = UrgentFlag.objects.get()
    taken = services.urgent_flag_acknowledge(
        actor=world.supervisor, flag=flag, action="safety_plan", note="Plan made by phone."
    )
    first = taken.flag.acknowledged_at
    assert taken.closes_flag and first is not None
    with pytest.raises(services.FlagClosed, match="Sam .* already closed this on"):
        services.urgent_flag_acknowledge(actor=world.coordinator, flag=flag, action="contacted")
    flag.refresh_from_db()
    assert (flag.acknowledged_by, flag.acknowledged_at) == (world.supervisor, first)
    assert [(a.kind, a.note, a.taken_by) for a in flag.actions.all()] == [
        ("safety_plan", "Plan made by phone.", world.supervisor)
    ]


def test_could_not_reach_records_an_attempt_and_keeps_the_flag_open(
    world: Any, screen: Screen
) -> None:
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    flag = UrgentFlag.objects.get()
    for note in ["Called twice, no answer; no voicemail per her rules.", "Tried again at 4."]:
        taken = services.urgent_flag_acknowledge(
            actor=world.coordinator, flag=flag, action="could_not_reach", note=note
        )
        assert not taken.closes_flag and taken.flag.is_open
    services.urgent_flag_acknowledge(actor=world.coordinator, flag=flag, action="contacted")
    flag.refresh_from_db()
    assert not flag.is_open and flag.acknowledged_by == world.coordinator
    assert [a.kind for a in flag.actions.all()] == [
        "could_not_reach",
        "could_not_reach",
        "contacted",
    ]


@pytest.mark.parametrize("action", ["could_not_reach", "other"])
def test_it_needs_a_note_to_say_what_happened(world: Any, screen: Screen, action: str) -> None:
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    flag = UrgentFlag.objects.get()
    with pytest.raises(ValidationError, match="Add a note"):
        services.urgent_flag_acknowledge(
            actor=world.coordinator, flag=flag, action=action, note=" "
        )
    assert UrgentFlag.objects.get().is_open and not UrgentFlagAction.objects.exists()


def test_it_refuses_an_action_that_is_not_on_the_list(world: Any, screen: Screen) -> None:
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    with pytest.raises(ValidationError, match="Choose what you did"):
        services.urgent_flag_acknowledge(
            actor=world.coordinator, flag=UrgentFlag.objects.get(), action="seen"
        )


def test_the_database_refuses_an_attempt_without_a_note(world: Any, screen: Screen) -> None:
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    with pytest.raises(IntegrityError, match="urgent_flag_action_note_when_required|CHECK"):
        UrgentFlagAction.objects.create(
            flag=UrgentFlag.objects.get(), kind="other", note="", taken_at=timezone.now()
        )


def test_only_the_care_team_acts_on_a_flag(world: Any, screen: Screen) -> None:
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    with pytest.raises(NotPermitted, match="Only the person's care team"):
        services.urgent_flag_acknowledge(
            actor=world.scheduler, flag=UrgentFlag.objects.get(), action="contacted"
        )


def test_each_action_is_audited_without_its_note(world: Any, screen: Screen) -> None:
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    flag = UrgentFlag.objects.get()
    services.urgent_flag_acknowledge(
        actor=world.coordinator, flag=flag, action="could_not_reach", note="Secret detail"
    )
    services.urgent_flag_acknowledge(actor=world.coordinator, flag=flag, action="referred")
    events = AuditEvent.objects.filter(
        object_type__in=["intake.urgentflagaction", "intake.urgentflag"],
        action__in=["create", "update"],
    ).order_by("id")
    assert [(e.object_type, e.action, e.detail.get("action")) for e in events][-3:] == [
        ("intake.urgentflagaction", "create", "could_not_reach"),
        ("intake.urgentflagaction", "create", "referred"),
        ("intake.urgentflag", "update", "referred"),
    ]
    assert all(e.person_id == world.person.pk for e in events)
    assert "Secret detail" not in str(list(events.values()))
