"""Screenings, needs and flags in the audit browser's words: named by instrument and day,
and never by anything the sensitivity rule withholds from the reader."""

from __future__ import annotations

from typing import Any

from django.utils import formats, timezone

from alongside.audit.readable import names_for
from alongside.intake.models import Need, UrgentFlag
from alongside.intake.tests.conftest import Screen
from alongside.intake.tests.test_responses import NEARLY, NOT_AT_ALL, SEVERAL, phq9


def test_a_screening_is_named_by_its_instrument_and_day(world: Any, screen: Screen) -> None:
    response = screen("phq-9", phq9(NOT_AT_ALL))
    day = formats.date_format(timezone.localtime(response.started_at), "MONTH_DAY_FORMAT")
    names = names_for(world.admin, {"intake.screeningresponse": [str(response.pk)]})
    assert names["intake.screeningresponse"] == {str(response.pk): f"Screening: PHQ-9, {day}"}
    assert names_for(world.outsider, {"intake.screeningresponse": [str(response.pk)]}) == {
        "intake.screeningresponse": {}
    }


def test_a_sensitive_need_and_a_flag_keep_their_details_from_others(
    world: Any, screen: Screen
) -> None:
    screen("phq-9", phq9(NEARLY, **{"44260-8": SEVERAL}))
    need = Need.objects.get(person=world.person, kind=Need.Kind.DEPRESSION)
    flag = UrgentFlag.objects.get(person=world.person)
    wanted = {"intake.need": [str(need.pk)], "intake.urgentflag": [str(flag.pk)]}
    for reader in (world.admin, world.coordinator):
        names = names_for(reader, wanted)
        assert flag.reason not in names["intake.urgentflag"][str(flag.pk)]
        assert names["intake.urgentflag"][str(flag.pk)].startswith("Urgent flag raised ")
    assert names_for(world.admin, wanted)["intake.need"][str(need.pk)] == (
        "Need (details restricted to the care team)"
    )
    assert names_for(world.coordinator, wanted)["intake.need"][str(need.pk)] == "Need: Mood"
