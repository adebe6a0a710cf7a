import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from alongside.audit.models import AuditEvent
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.people import services
from alongside.people.models import Enrollment, RecordChange
from conftest import make_person


def test_it_registers_a_person_with_profile_enrollment_history_and_audit(world):
    person = world.person
    assert person.profile.important_to == "Being there for my kids."
    enrollment = person.enrollments.get()
    assert enrollment.status == Enrollment.Status.REFERRED
    assert enrollment.primary_coordinator == world.coordinator
    created = AuditEvent.objects.filter(person_id=person.pk, action="create")
    assert {e.object_type for e in created} == {
        "people.person",
        "people.profile",
        "people.enrollment",
    }
    assert RecordChange.objects.filter(person=person, action="create").count() == 3


def test_it_keeps_field_names_but_never_values_in_the_audit_trail(world):
    services.profile_update(
        actor=world.coordinator,
        person=world.person,
        data={"approach_with_care": "Secret words"},
        version=None,
    )
    event = AuditEvent.objects.filter(object_type="people.profile").latest("id")
    assert event.fields == ["approach_with_care"]
    assert "Secret words" not in str(event.payload())


def test_it_refuses_a_stale_update_instead_of_overwriting(world):
    person = world.person
    services.person_update(
        actor=world.coordinator, person=person, data={"pronouns": "she/they"}, version=1
    )
    with pytest.raises(StaleVersion, match="changed since you opened it") as stale:
        services.person_update(
            actor=world.supervisor, person=person, data={"pronouns": "he/him"}, version=1
        )
    assert stale.value.current_version == 2
    person.refresh_from_db()
    assert person.pronouns == "she/they"


def test_it_keeps_the_persons_words_exactly_as_written(world):
    words = "  I want to\n\n   keep my garden.  \t"
    profile = services.profile_update(
        actor=world.coordinator, person=world.person, data={"hopes": words}, version=None
    )
    profile.refresh_from_db()
    assert profile.hopes == words


def test_it_lets_only_the_care_team_change_approach_with_care(world):
    with pytest.raises(NotPermitted, match="care team can change approach-with-care"):
        services.profile_update(
            actor=world.admin,
            person=world.person,
            data={"approach_with_care": "changed"},
            version=None,
        )
    services.profile_update(
        actor=world.admin,
        person=world.person,
        data={"strengths": "Stubborn in a good way"},
        version=None,
    )


def test_it_requires_a_reason_to_close_an_enrollment(world):
    enrollment = world.person.enrollments.get()
    with pytest.raises(ValidationError, match="Say why the enrollment is closing") as error:
        services.enrollment_update(
            actor=world.coordinator, enrollment=enrollment, data={"status": "closed"}, version=None
        )
    assert "closure_reason" in error.value.message_dict
    closed = services.enrollment_update(
        actor=world.coordinator,
        enrollment=enrollment,
        data={"status": "closed", "closure_reason": "moved"},
        version=None,
    )
    assert closed.ended_on is not None


def test_it_allows_one_open_enrollment_per_program(world):
    with pytest.raises(ValidationError, match="already has an open enrollment in this program"):
        services.enrollment_create(
            actor=world.coordinator,
            person=world.person,
            program=world.housing,
            data={"status": "active"},
        )


def test_it_refuses_enrollment_in_a_program_the_actor_does_not_work_in(world):
    with pytest.raises(NotPermitted, match="You can only enroll people in programs you work in"):
        services.enrollment_create(
            actor=world.coordinator,
            person=world.person,
            program=world.wellness,
            data={"status": "referred"},
        )
    with pytest.raises(NotPermitted, match="You can only register people in your own programs"):
        make_person(world.coordinator, world.other_program)


def test_it_validates_and_normalizes_phone_numbers(world):
    with pytest.raises(ValidationError, match="Enter a valid phone number") as error:
        services.contact_point_create(
            actor=world.coordinator, person=world.person, data={"kind": "phone", "value": "12"}
        )
    assert "value" in error.value.message_dict
    phone = services.contact_point_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "phone", "value": "(212) 555-0187"},
    )
    assert phone.normalized == "+12125550187"
    assert not phone.may_leave_voicemail and not phone.may_text  # safe by default


def test_it_rejects_half_given_safe_hours(world):
    import datetime as dt

    with pytest.raises(ValidationError, match="Give both the start and the end of the safe hours"):
        services.contact_point_create(
            actor=world.coordinator,
            person=world.person,
            data={"kind": "phone", "value": "212 555 0187", "safe_hours_start": dt.time(9)},
        )


def test_it_rolls_back_everything_when_a_write_fails(world):
    before = (AuditEvent.objects.count(), RecordChange.objects.count())
    with pytest.raises(ValidationError, match="Enter the person's legal first name"):
        services.person_update(
            actor=world.coordinator,
            person=world.person,
            data={"legal_given_name": "  "},
            version=None,
        )
    assert (AuditEvent.objects.count(), RecordChange.objects.count()) == before


def test_it_checks_the_enrollment_rules_the_database_also_enforces(world):
    enrollment = world.person.enrollments.get()
    with pytest.raises(ValidationError, match="on or after the start date") as error:
        services.enrollment_update(
            actor=world.coordinator,
            enrollment=enrollment,
            data={
                "status": "closed",
                "closure_reason": "moved",
                "started_on": dt.date(2026, 3, 1),
                "ended_on": dt.date(2026, 2, 1),
            },
            version=None,
        )
    assert list(error.value.message_dict) == ["ended_on"]
    reopened = services.enrollment_create(
        actor=world.admin,
        person=world.person,
        program=world.wellness,
        data={"status": "active"},
    )
    assert reopened.status == "active"  # another program: not a second open enrollment


def test_a_recorded_contact_only_moves_last_contact_forward(world):
    person = world.person
    later = dt.datetime(2026, 12, 3, 15, 0, tzinfo=dt.UTC)
    services.record_contact(person=person, at=later)
    services.record_contact(person=person, at=later - dt.timedelta(days=2))
    person.refresh_from_db()
    assert person.last_contacted_at == later
    with pytest.raises(ValueError, match="timezone-aware"):
        services.record_contact(person=person, at=dt.datetime(2026, 12, 4, 9, 0))  # noqa: DTZ001 - the naive time is the point
