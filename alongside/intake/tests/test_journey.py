"""Intake on the journey timeline: a completed screening, an urgent flag raised and acted
on each write an entry whose summary is neutral and whose details (scores, the flag's
reason) are the care team's. Raising a flag runs the person's follow-up rules on commit."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.urls import reverse
from django.utils import timezone

from alongside.intake import services
from alongside.intake.follow_up import URGENT_FLAG
from alongside.intake.models import UrgentFlag
from alongside.intake.tests.conftest import Screen
from alongside.intake.tests.test_responses import NOT_AT_ALL, SEVERAL, phq9
from alongside.people.models import TimelineEntry
from alongside.tasks import background, rules
from alongside.tasks.models import Task
from alongside.tasks.tests.factories import make_rule
from conftest import signed_in_in_spanish


def entries(person: Any) -> list[tuple[str, str, bool]]:
    return list(
        TimelineEntry.objects.filter(person=person, kind__startswith="intake.")
        .order_by("id")
        .values_list("kind", "summary", "sensitive")
    )


def test_a_completed_screening_goes_on_the_journey_with_its_scores_as_details(
    world: Any, screen: Screen
) -> None:
    response = screen("phq-9", phq9(NOT_AT_ALL))
    entry = TimelineEntry.objects.get(person=world.person, kind="intake.screening_completed")
    assert entry.summary == "Screening completed: Patient Health Questionnaire-9 (PHQ-9)"
    assert entry.sensitive and entry.subject_id == response.pk
    assert "0" in entry.details and entry.details not in entry.summary
    assert entry.occurred_at == response.completed_at


def test_an_urgent_flag_and_what_was_done_go_on_the_journey_without_the_reason_in_the_summary(
    world: Any, screen: Screen
) -> None:
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    flag = UrgentFlag.objects.get()
    services.urgent_flag_acknowledge(
        actor=world.coordinator, flag=flag, action="could_not_reach", note="No answer."
    )
    services.urgent_flag_acknowledge(actor=world.coordinator, flag=flag, action="contacted")
    assert entries(world.person) == [
        (
            "intake.screening_completed",
            "Screening completed: Patient Health Questionnaire-9 (PHQ-9)",
            True,
        ),
        ("intake.urgent_flag_raised", "Urgent screening result raised", True),
        ("intake.urgent_flag_acknowledged", "Urgent screening result: attempt recorded", True),
        ("intake.urgent_flag_acknowledged", "Urgent screening result acted on", True),
    ]
    raised = TimelineEntry.objects.get(kind="intake.urgent_flag_raised")
    assert raised.details == flag.reason and raised.subject_id == flag.pk
    attempt = TimelineEntry.objects.filter(kind="intake.urgent_flag_acknowledged").first()
    assert attempt is not None and "No answer." in attempt.details


def test_raising_a_flag_runs_the_persons_rules_once_it_commits(
    world: Any, screen: Screen, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # The worker's part, done in this process: evaluate the rules for the person.
    worker = SimpleNamespace(
        enqueue=lambda person_id: rules.evaluate_for_person(person_id, timezone.now())
    )
    monkeypatch.setattr(background, "evaluate_person_rules", worker)
    rule = make_rule(
        world, trigger=URGENT_FLAG, days=0, deadline="hours", deadline_amount=4, title="Call now"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    assert not Task.objects.filter(rule=rule).exists()
    for callback in callbacks:
        callback()
    task = Task.objects.get(rule=rule)
    assert task.person == world.person and task.is_open


def test_a_spanish_reader_reads_the_screenings_journey_in_spanish(
    client: Any, world: Any, screen: Screen
) -> None:
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    journey = signed_in_in_spanish(client, world.coordinator).get(
        reverse("people:timeline", args=[world.person.pk])
    )
    page = journey.content.decode()
    assert "Evaluación completada: Patient Health Questionnaire-9 (PHQ-9)" in page
    assert "Resultado urgente de una evaluación emitido" in page
    assert "Screening completed:" not in page and "Urgent screening result" not in page


def test_a_spanish_reader_reads_what_was_done_about_an_urgent_result_in_spanish(
    client: Any, world: Any, screen: Screen
) -> None:
    """The journey's details of an urgent result acted on store what was done in English
    ("Tried, but could not reach them. No answer."): the action is read in Spanish, the
    worker's note as written."""
    from tests.language import english_left

    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    flag = UrgentFlag.objects.get()
    services.urgent_flag_acknowledge(
        actor=world.coordinator, flag=flag, action="could_not_reach", note="No answer at home."
    )
    services.urgent_flag_acknowledge(actor=world.coordinator, flag=flag, action="contacted")
    address = reverse("people:timeline", args=[world.person.pk])
    client.force_login(world.coordinator)
    english = client.get(address).content.decode()
    assert "Tried, but could not reach them. No answer at home." in english
    page = signed_in_in_spanish(client, world.coordinator).get(address).content.decode()
    said = "Lo intenté, pero no pude comunicarme. No answer at home."  # the note as written
    assert said in page and "Me comuniqué con la persona" in page
    assert "Tried, but" not in page and "Contacted the person" not in page
    # The instrument's own words (its flag's reason, its scores' names and bands) are its
    # data, translated by the instrument, not by the catalog.
    instrument = ["Positive answer to PHQ-9 item 9 (thoughts of death or self-harm)"]
    names = [world.person.display_name, f"· {world.person.display_name}", world.housing.name]
    left = english_left(
        page[page.index("<main") :],
        english[english.index("<main") :],
        allowed=[said, *instrument, *names, "total: 1 (minimal)"],
    )
    assert left == []
