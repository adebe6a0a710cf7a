"""The scheduling set-up screens (/manage/<org>/scheduling/): organization admins add and
change appointment types, rooms, opening hours and staff availability; everyone else,
and another organization's rows, get 404; a stale edit is a 409 that overwrites nothing;
every write is audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.scheduling import configure
from alongside.scheduling.models import (
    AppointmentType,
    AvailabilityChange,
    AvailabilityPattern,
    OpeningHours,
    Room,
)
from alongside.scheduling.tests.factories import (
    ZONE,
    make_location,
    make_pattern,
    make_room,
    make_type,
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(world, name: str, *args) -> str:
    return reverse(f"manage:{name}", args=[world.org.pk, *args])


TYPE_POST = {
    "program": "",
    "name": "Counselling",
    "duration_minutes": "50",
    "modalities": ["in_person", "video"],
    "roles": ["clinician"],
    "buffer_before_minutes": "5",
    "buffer_after_minutes": "10",
    "interpreter_needed": "on",
    "capacity": "1",
    "sensitive": "on",
    "is_active": "on",
}


def test_it_lists_the_set_up_for_an_admin_and_links_it_from_the_calendar(world):
    kind = make_type(world, name="Housing check-in")
    location = make_location(world)
    make_room(location, "Blue room")
    admin = client_for(world.admin)
    page = admin.get(url(world, "scheduling")).content.decode()
    assert "Housing check-in" in page and "Eastside clinic" in page and "Casey Nguyen" in page
    assert url(world, "scheduling-type-edit", kind.pk) in page
    calendar = admin.get(reverse("scheduling:calendar")).content.decode()
    assert url(world, "scheduling") in calendar
    coordinator_calendar = client_for(world.coordinator).get(reverse("scheduling:calendar"))
    assert url(world, "scheduling") not in coordinator_calendar.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "scheduler", "outsider"])
def test_it_is_not_found_for_anyone_but_the_organizations_admins(world, persona):
    kind = make_type(world)
    response = client_for(getattr(world, persona)).get(url(world, "scheduling-type-edit", kind.pk))
    assert response.status_code == 404


def test_it_does_not_find_another_organizations_rows(world):
    other_kind = make_type(world, program=world.other_program)
    other_room = make_room(make_location(world, organization=world.other_org))
    admin = client_for(world.admin)
    assert admin.get(url(world, "scheduling-type-edit", other_kind.pk)).status_code == 404
    assert admin.get(url(world, "scheduling-room-edit", other_room.pk)).status_code == 404
    assert admin.get(url(world, "scheduling-staff", world.outsider.pk)).status_code == 404


def test_it_adds_an_appointment_type_audited(world):
    response = client_for(world.admin).post(
        url(world, "scheduling-type-add"), TYPE_POST | {"program": world.housing.pk}
    )
    assert response.status_code == 302
    kind = AppointmentType.objects.get(name="Counselling")
    assert (kind.duration_minutes, kind.modalities, kind.roles) == (
        50,
        ["in_person", "video"],
        ["clinician"],
    )
    assert kind.sensitive and kind.buffer_after_minutes == 10 and kind.program == world.housing
    event = AuditEvent.objects.get(object_type="scheduling.appointmenttype", action="create")
    assert event.actor_id == world.admin.pk and event.organization_id == world.org.pk


def test_it_shows_field_errors_linked_to_their_fields(world):
    response = client_for(world.admin).post(
        url(world, "scheduling-type-add"),
        TYPE_POST | {"program": world.housing.pk, "duration_minutes": "2", "modalities": []},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'href="#id_duration_minutes"' in page
    assert re.search(r'<fieldset aria-describedby="[^"]*id_modalities_error"', page)
    assert 'aria-invalid="true"' in page
    assert not AppointmentType.objects.filter(name="Counselling").exists()


def test_it_refuses_more_than_one_seat_for_a_one_to_one_type(world):
    response = client_for(world.admin).post(
        url(world, "scheduling-type-add"),
        TYPE_POST | {"program": world.housing.pk, "capacity": "8"},
    )
    assert response.status_code == 422
    assert "Only a group session has more than one seat." in response.content.decode()


def test_it_refuses_a_program_of_another_organization(world):
    response = client_for(world.admin).post(
        url(world, "scheduling-type-add"), TYPE_POST | {"program": world.other_program.pk}
    )
    assert response.status_code == 422
    assert not AppointmentType.objects.filter(name="Counselling").exists()


def test_it_answers_409_to_an_edit_of_a_type_someone_else_changed(world):
    kind = make_type(world, name="Check-in")
    admin = client_for(world.admin)
    stale = TYPE_POST | {"name": "Mine", "version": kind.version}
    configure.type_save(
        actor=world.admin, organization=world.org, kind=kind, data={"name": "Theirs"}
    )
    response = admin.post(url(world, "scheduling-type-edit", kind.pk), stale)
    assert response.status_code == 409
    assert "Someone else saved changes" in response.content.decode()
    kind.refresh_from_db()
    assert kind.name == "Theirs" and kind.version == 2
    again = admin.post(
        url(world, "scheduling-type-edit", kind.pk), TYPE_POST | {"name": "Mine", "version": 2}
    )
    assert again.status_code == 302
    kind.refresh_from_db()
    assert kind.name == "Mine" and kind.version == 3


def test_its_services_refuse_anyone_but_an_admin(world):
    with pytest.raises(NotPermitted, match="Only this organization's admins"):
        configure.type_save(
            actor=world.supervisor,
            organization=world.org,
            program=world.housing,
            data={"name": "X"},
        )
    kind = make_type(world)
    with pytest.raises(StaleVersion, match="now version 1"):
        configure.type_save(
            actor=world.admin, organization=world.org, kind=kind, data={"name": "Y"}, version=7
        )


def test_it_adds_and_edits_a_room_and_opening_hours(world):
    location = make_location(world)
    admin = client_for(world.admin)
    response = admin.post(
        url(world, "scheduling-room-add", location.pk),
        {"name": "Quiet room", "seats": "3", "is_active": "on"},
    )
    assert response.status_code == 302
    room = Room.objects.get(name="Quiet room")
    response = admin.post(
        url(world, "scheduling-room-edit", room.pk),
        {"name": "Quiet room", "seats": "4", "is_active": "on", "version": room.version},
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.seats, room.version, room.location) == (4, 2, location)
    hours = {"weekday": "1", "opens": "09:00", "closes": "17:00"}
    assert admin.post(url(world, "scheduling-location", location.pk), hours).status_code == 302
    overlapping = hours | {"opens": "16:00", "closes": "19:00"}
    response = admin.post(url(world, "scheduling-location", location.pk), overlapping)
    assert response.status_code == 422
    assert "overlap" in response.content.decode()
    page = admin.get(url(world, "scheduling-location", location.pk)).content.decode()
    assert "Tuesday" in page and "Quiet room" in page
    row = OpeningHours.objects.get(location=location)
    assert admin.post(url(world, "scheduling-hours-remove", row.pk)).status_code == 302
    assert not OpeningHours.objects.filter(location=location).exists()
    assert AuditEvent.objects.filter(object_type="scheduling.openinghours").count() == 2


def test_it_sets_a_staff_members_weekly_availability(world):
    location = make_location(world)
    admin = client_for(world.admin)
    data = {
        "weekday": "2",
        "starts": "17:00",
        "ends": "20:00",
        "time_zone": ZONE,
        "location": location.pk,
        "modalities": ["in_person", "phone"],
        "valid_from": "2026-03-01",
        "is_walk_in": "on",
    }
    response = admin.post(url(world, "scheduling-pattern-add", world.coordinator.pk), data)
    assert response.status_code == 302
    pattern = AvailabilityPattern.objects.get(staff=world.coordinator)
    assert (pattern.weekday, pattern.starts, pattern.is_walk_in) == (2, dt.time(17), True)
    bad = admin.post(
        url(world, "scheduling-pattern-edit", pattern.pk),
        data | {"time_zone": "Mars/Olympus", "ends": "16:00", "version": 1},
    )
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "not a known time zone" in text and "The end must be after the start." in text
    page = admin.get(url(world, "scheduling-staff", world.coordinator.pk)).content.decode()
    assert "Wednesday" in page and "Walk-in" in page
    assert admin.post(url(world, "scheduling-pattern-remove", pattern.pk)).status_code == 302
    assert not AvailabilityPattern.objects.filter(pk=pattern.pk).exists()


def test_it_answers_409_to_a_stale_pattern_edit(world):
    pattern = make_pattern(world)
    configure.pattern_save(
        actor=world.admin, organization=world.org, pattern=pattern, data={"starts": dt.time(8)}
    )
    response = client_for(world.admin).post(
        url(world, "scheduling-pattern-edit", pattern.pk),
        {
            "weekday": "0",
            "starts": "10:00",
            "ends": "17:00",
            "time_zone": ZONE,
            "modalities": ["phone"],
            "valid_from": "2026-01-01",
            "version": "1",
        },
    )
    assert response.status_code == 409
    pattern.refresh_from_db()
    assert pattern.starts == dt.time(8)


def test_it_records_time_off_in_the_given_zone(world):
    admin = client_for(world.admin)
    data = {
        "kind": "time_off",
        "first_day": "2026-03-09",
        "starts": "09:00",
        "last_day": "2026-03-10",
        "ends": "17:00",
        "time_zone": ZONE,
        "modalities": ["in_person"],
        "reason": "Training",
    }
    response = admin.post(url(world, "scheduling-change-add", world.coordinator.pk), data)
    assert response.status_code == 302
    change = AvailabilityChange.objects.get(staff=world.coordinator)
    # 9:00 in New York on 9 March 2026 is after the spring change: UTC-4.
    assert change.starts_at == dt.datetime(2026, 3, 9, 13, tzinfo=dt.UTC)
    assert change.ends_at == dt.datetime(2026, 3, 10, 21, tzinfo=dt.UTC)
    backwards = admin.post(
        url(world, "scheduling-change-add", world.coordinator.pk), data | {"last_day": "2026-03-08"}
    )
    assert backwards.status_code == 422
    assert admin.post(url(world, "scheduling-change-remove", change.pk)).status_code == 302
    assert AuditEvent.objects.filter(object_type="scheduling.availabilitychange").count() == 2


def test_a_staff_member_of_another_organization_gets_no_availability(world):
    with pytest.raises(ValidationError, match="staff member of this organization"):
        configure.pattern_save(
            actor=world.admin,
            organization=world.org,
            staff=world.outsider,
            data={
                "weekday": 0,
                "starts": dt.time(9),
                "ends": dt.time(10),
                "time_zone": ZONE,
                "valid_from": dt.date(2026, 1, 1),
            },
        )


def test_time_off_needs_no_ways_to_meet_but_extra_availability_does(world):
    admin = client_for(world.admin)
    data = {
        "kind": "time_off",
        "first_day": "2026-03-09",
        "starts": "09:00",
        "last_day": "2026-03-10",
        "ends": "17:00",
        "time_zone": ZONE,
    }
    response = admin.post(url(world, "scheduling-change-add", world.coordinator.pk), data)
    assert response.status_code == 302
    assert AvailabilityChange.objects.get(staff=world.coordinator).kind == "time_off"
    extra = admin.post(
        url(world, "scheduling-change-add", world.coordinator.pk), data | {"kind": "addition"}
    )
    assert extra.status_code == 422
    assert "Choose at least one way to meet." in extra.content.decode()


def test_a_type_of_an_inactive_program_can_still_be_edited(world):
    kind = make_type(world, name="Check-in")
    world.housing.is_active = False
    world.housing.save(update_fields=["is_active"])
    response = client_for(world.admin).post(
        url(world, "scheduling-type-edit", kind.pk),
        TYPE_POST | {"name": "Renamed", "version": kind.version},
    )
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.name == "Renamed" and kind.program == world.housing


def test_the_pages_show_ways_to_meet_by_their_labels(world):
    kind = make_type(world, name="Housing check-in", modalities=["in_person", "phone"])
    make_pattern(world, weekday=0, modalities=["home_visit"])
    admin = client_for(world.admin)
    overview = admin.get(url(world, "scheduling")).content.decode()
    assert "In person, Phone" in overview and "in_person" not in overview
    staff = admin.get(url(world, "scheduling-staff", world.coordinator.pk)).content.decode()
    assert "Home visit" in staff and "home_visit" not in staff
    assert kind.modality_labels == "In person, Phone"
    from django.utils.functional import Promise

    from alongside.organizations.contributions import manage_sections

    section = next(s for s in manage_sections if s.key == "scheduling")
    assert isinstance(section.label, Promise)


def test_removing_weekly_availability_someone_else_changed_is_a_409(world):
    pattern = make_pattern(world, weekday=0)
    admin = client_for(world.admin)
    page = admin.get(url(world, "scheduling-staff", world.coordinator.pk)).content.decode()
    assert f'name="version" value="{pattern.version}"' in page
    configure.pattern_save(
        actor=world.admin,
        organization=world.org,
        pattern=pattern,
        data={"ends": dt.time(18)},
        version=pattern.version,
    )
    stale = admin.post(
        url(world, "scheduling-pattern-remove", pattern.pk), {"version": pattern.version}
    )
    assert stale.status_code == 409
    assert "Someone else changed this weekly availability" in stale.content.decode()
    assert AvailabilityPattern.objects.filter(pk=pattern.pk).exists()
    fresh = admin.post(
        url(world, "scheduling-pattern-remove", pattern.pk), {"version": pattern.version + 1}
    )
    assert fresh.status_code == 302
    assert not AvailabilityPattern.objects.filter(pk=pattern.pk).exists()


@pytest.mark.parametrize("version", ["9" * 5000, "99999999999999999999", "two"])
def test_removing_weekly_availability_with_a_version_that_is_not_one_is_a_409(world, version):
    pattern = make_pattern(world, weekday=0)
    admin = client_for(world.admin)
    response = admin.post(url(world, "scheduling-pattern-remove", pattern.pk), {"version": version})
    assert response.status_code == 409
    assert AvailabilityPattern.objects.filter(pk=pattern.pk).exists()


def test_a_type_with_appointments_keeps_its_kind_and_enough_seats(world):
    from alongside.scheduling import groups
    from alongside.scheduling.tests.services_helpers import NOW as MONDAY
    from alongside.scheduling.tests.services_helpers import TEN, bookable, choice
    from conftest import make_person

    group = bookable(world, is_group=True, capacity=3, name="Peer group")
    # A Monday at ten, weeks ahead of today: a coming session whenever the test runs.
    day = timezone.localdate() + dt.timedelta(days=14)
    coming = TEN.replace(year=day.year, month=day.month, day=day.day) + dt.timedelta(
        days=-day.weekday()
    )
    session = groups.session_create(
        actor=world.supervisor,
        choice=choice(world, group, coming, override="a group"),
        now=MONDAY,
    )
    for name in ("Ana", "Bo"):
        person = make_person(world.coordinator, world.housing, legal_given_name=name)
        groups.seat_book(actor=world.coordinator, session=session, person=person, now=MONDAY)
    admin = client_for(world.admin)
    edit = url(world, "scheduling-type-edit", group.pk)
    post = TYPE_POST | {"name": "Peer group", "is_group": "on", "version": group.version}
    low = admin.post(edit, post | {"capacity": "1"})
    assert low.status_code == 422
    assert "A coming session already has 2 seats taken" in low.content.decode()
    one_to_one = admin.post(edit, {k: v for k, v in post.items() if k != "is_group"})
    assert one_to_one.status_code == 422
    assert "cannot change between one-to-one and group" in one_to_one.content.decode()
    group.refresh_from_db()
    assert group.is_group and group.capacity == 3
    assert admin.post(edit, post | {"capacity": "2"}).status_code == 302


def _manage_part(html: str) -> str:
    """The set-up screen itself: after the administration menu, before the datalist."""
    start = html.index("</nav>", html.index('class="subnav"')) + len("</nav>")
    return "<html>" + html[start : html.index("<datalist")] + "</html>"


def test_the_set_up_screens_are_all_in_spanish_for_a_spanish_reader(world):
    """Every set-up screen, with its rows and a refused form, drawn in Spanish has no
    English left (tests/language.py), beyond the organization's own names."""
    from alongside.accounts.models import User
    from alongside.organizations.models import Program
    from tests.language import english_left

    kind = make_type(world, name="Counselling", is_group=True, capacity=4)
    location = make_location(world, name="Eastside clinic")
    room = make_room(location, name="Room 2")
    OpeningHours.objects.create(location=location, weekday=0, opens=dt.time(9), closes=dt.time(17))
    pattern = make_pattern(world, weekday=1, location=location, is_walk_in=True)
    configure.change_add(
        actor=world.admin,
        organization=world.org,
        staff=world.coordinator,
        data={
            "kind": "time_off",
            "starts_at": timezone.now() + dt.timedelta(days=3),
            "ends_at": timezone.now() + dt.timedelta(days=4),
            "time_zone": ZONE,
            "location": None,
            "modalities": ["phone"],
            "is_walk_in": False,
            "reason": "",
        },
    )
    pages: list[tuple[Any, ...]] = [
        ("scheduling",),
        ("scheduling-type-add",),
        ("scheduling-type-edit", kind.pk),
        ("scheduling-location", location.pk),
        ("scheduling-room-add", location.pk),
        ("scheduling-room-edit", room.pk),
        ("scheduling-staff", world.coordinator.pk),
        ("scheduling-pattern-add", world.coordinator.pk),
        ("scheduling-pattern-edit", pattern.pk),
        ("scheduling-change-add", world.coordinator.pk),
    ]
    admin = client_for(world.admin)
    names = [
        world.org.name,
        world.housing.name,
        "Counselling",
        "Eastside clinic",
        "Room 2",
        ZONE,
        *(str(user) for user in User.objects.all()),
        *Program.objects.values_list("name", flat=True),
        "Video",  # the same word in Spanish
    ]
    for name, *args in pages:
        address = url(world, name, *args)
        english = admin.get(address).content.decode()
        response = admin.get(address, headers={"accept-language": "es"})
        assert response.status_code == 200, name
        left = english_left(
            _manage_part(response.content.decode()), _manage_part(english), allowed=names
        )
        assert left == [], (name, left)
    refused = {"name": "", "duration_minutes": "x", "capacity": "3"}
    english = admin.post(url(world, "scheduling-type-add"), refused).content.decode()
    spanish: str = admin.post(
        url(world, "scheduling-type-add"), refused, headers={"accept-language": "es"}
    ).content.decode()
    assert "Elija al menos una forma de reunirse." in spanish
    assert english_left(_manage_part(spanish), _manage_part(english), allowed=names) == []
