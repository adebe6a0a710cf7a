"""`alongside find_duplicates`: the batch report over each organization's people."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alongside.audit.models import AuditEvent
from alongside.matching.models import DuplicatePair
from alongside.matching.services import person_merge
from alongside.people import services
from conftest import make_person


def run(*args: str) -> str:
    out = StringIO()
    call_command("find_duplicates", "--workers", "1", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def population(world):
    twin = make_person(
        world.coordinator,
        world.housing,
        legal_given_name="Lupe",
        legal_family_name="Hernandez",
        date_of_birth=dt.date(1984, 3, 9),
    )
    again = make_person(  # day and month swapped, same phone
        world.admin,
        world.wellness,
        legal_given_name="Marcus",
        legal_family_name="Bell",
        date_of_birth=dt.date(1990, 11, 4),
    )
    marcus = make_person(
        world.admin,
        world.wellness,
        legal_given_name="Marcus",
        legal_family_name="Bell",
        date_of_birth=dt.date(1990, 4, 11),
    )
    for who in (again, marcus):
        services.contact_point_create(
            actor=world.admin, person=who, data={"kind": "phone", "value": "212-555-0143"}
        )
    make_person(world.coordinator, world.housing, legal_given_name="Amara")
    make_person(
        world.outsider,
        world.other_program,
        legal_given_name="Lupe",
        legal_family_name="Hernandez",
        date_of_birth=dt.date(1984, 3, 9),
    )
    return twin, again, marcus


def pairs(org):
    return {
        (p.person_a_id, p.person_b_id): p for p in DuplicatePair.objects.filter(organization=org)
    }


def test_it_finds_the_generated_duplicates_with_reasons(world, population):
    twin, again, marcus = population
    output = run("--organization", "riverbend")
    found = pairs(world.org)
    lupe = found[(world.person.pk, twin.pk)]
    assert lupe.decision == "likely" and lupe.status == "open"
    assert "same date of birth" in lupe.reasons
    assert "first name is a nickname" in lupe.reasons
    assert found[(again.pk, marcus.pk)].decision == "likely"
    assert "same phone number" in found[(again.pk, marcus.pk)].reasons
    assert len(found) == 2
    assert "riverbend: 5 people, 2 likely" in output
    assert not DuplicatePair.objects.filter(organization=world.other_org).exists()
    event = AuditEvent.objects.filter(object_type="matching.duplicatepair").latest("id")
    assert event.channel == "command" and event.detail["pairs"] == 2


def test_it_never_pairs_people_of_two_organizations(world, population):
    run()
    for pair in DuplicatePair.objects.select_related("person_a", "person_b"):
        assert (
            pair.person_a.organization_id == pair.person_b.organization_id == (pair.organization_id)
        )


def test_running_it_again_updates_rather_than_duplicates(world, population):
    twin, again, marcus = population
    run()
    first = pairs(world.org)
    pair = first[(again.pk, marcus.pk)]
    pair.status = "not_the_same"
    pair.reviewed_by = world.admin
    pair.save()
    run()
    second = pairs(world.org)
    assert {k: v.pk for k, v in second.items()} == {k: v.pk for k, v in first.items()}
    assert second[(again.pk, marcus.pk)].status == "not_the_same"  # the review stays
    assert second[(world.person.pk, twin.pk)].found_at == first[(world.person.pk, twin.pk)].found_at


def test_it_drops_unreviewed_pairs_no_longer_found_and_skips_merged_people(world, population):
    twin, again, marcus = population
    run()
    person_merge(actor=world.admin, survivor=world.person, merged=twin, reason="Same person.")
    output = run("--organization", "riverbend")
    found = pairs(world.org)
    # The merged pair keeps its "merged" review; nothing else involves the merged record.
    assert found[(world.person.pk, twin.pk)].status == "merged"
    assert "4 people" in output


def test_it_names_an_unknown_organization(db):
    with pytest.raises(CommandError, match="No organization"):
        run("--organization", "nowhere")
