"""Everything is reached through `Person.objects.visible_to`: out of scope reads as 404."""

import pytest

from alongside.api.tests.conftest import assert_error
from alongside.audit.models import AuditEvent
from alongside.people import services
from alongside.people.models import ContactPoint, Enrollment, Person, Profile


@pytest.fixture
def contact(world):
    return services.contact_point_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "phone", "value": "(212) 555-0147", "label": "mobile"},
    )


def _endpoints(world, contact):
    person, enrollment = world.person.pk, world.person.enrollments.get().pk
    return [
        ("GET", f"/people/{person}", None),
        ("PATCH", f"/people/{person}", {"pronouns": "they/them", "version": 1}),
        ("GET", f"/people/{person}/profile", None),
        ("PUT", f"/people/{person}/profile", {"important_to": "x", "version": 1}),
        ("GET", f"/people/{person}/enrollments", None),
        ("POST", f"/people/{person}/enrollments", {"program_id": world.wellness.pk}),
        ("PATCH", f"/enrollments/{enrollment}", {"status": "active", "version": 1}),
        ("GET", f"/people/{person}/contact-points", None),
        ("POST", f"/people/{person}/contact-points", {"kind": "email", "value": "a@b.org"}),
        ("PATCH", f"/contact-points/{contact.pk}", {"label": "work", "version": 1}),
        ("DELETE", f"/contact-points/{contact.pk}", None),
    ]


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_it_answers_404_for_every_endpoint_outside_the_users_scope(world, api_as, contact, persona):
    api = api_as(getattr(world, persona))
    before = (
        Person.objects.get(pk=world.person.pk).version,
        ContactPoint.objects.count(),
        Enrollment.objects.count(),
        Profile.objects.get(person=world.person).version,
    )
    for method, path, body in _endpoints(world, contact):
        response = api.send(method, path, body, **{"If-Match": '"1"'})
        assert_error(response, 404, "not_found")
    after = (
        Person.objects.get(pk=world.person.pk).version,
        ContactPoint.objects.count(),
        Enrollment.objects.count(),
        Profile.objects.get(person=world.person).version,
    )
    assert after == before
    assert not AuditEvent.objects.filter(
        actor_id=getattr(world, persona).pk, person_id=world.person.pk
    ).exists()


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "scheduler", "admin"])
def test_it_lets_the_persons_program_staff_and_admin_read_everything(
    world, api_as, contact, persona
):
    api = api_as(getattr(world, persona))
    for method, path, _ in _endpoints(world, contact):
        if method == "GET":
            assert api.get(path).status_code == 200, path


def test_it_lists_only_people_in_scope(world, api_as):
    from conftest import make_person

    make_person(world.colleague, world.wellness, legal_given_name="Wren")
    make_person(world.outsider, world.other_program, legal_given_name="Oskar")

    def names(user):
        return {p["legal_given_name"] for p in api_as(user).get("/people").json()["results"]}

    assert names(world.coordinator) == {"Guadalupe"}
    assert names(world.colleague) == {"Wren"}
    assert names(world.outsider) == {"Oskar"}
    assert names(world.admin) == {"Guadalupe", "Wren"}
    search = api_as(world.colleague).get("/people", {"q": "Guadalupe"}).json()
    assert search["results"] == [] and search["count"] == 0


def test_it_treats_unknown_and_huge_ids_as_not_found(world, api_as):
    api = api_as(world.coordinator)
    for person_id in (999_999, 2**63, 10**30, -1, 0):
        assert_error(api.get(f"/people/{person_id}"), 404)
        assert_error(api.patch(f"/people/{person_id}", {"version": 1}), 404)
    assert_error(api.patch(f"/contact-points/{10**40}", {"version": 1}), 404)
    assert_error(api.delete(f"/contact-points/{10**40}", **{"If-Match": '"1"'}), 404)
    assert_error(api.patch(f"/enrollments/{2**64}", {"version": 1}), 404)


def test_it_refuses_with_403_what_the_user_can_see_but_not_change(world, api_as):
    wellness = services.enrollment_create(
        actor=world.admin, person=world.person, program=world.wellness, data={"status": "active"}
    )
    response = api_as(world.coordinator).patch(
        f"/enrollments/{wellness.pk}", {"status": "paused", "version": 1}
    )
    assert_error(response, 403, "forbidden")
    assert Enrollment.objects.get(pk=wellness.pk).status == "active"


def test_it_refuses_a_program_the_user_does_not_work_in(world, api_as):
    api = api_as(world.coordinator)
    for program in (world.wellness, world.other_program):
        response = api.post("/people", {"program_id": program.pk, "legal_given_name": "Ana"})
        assert assert_error(response, 422)["fields"] == {
            "program_id": ["Choose an active program you work in."]
        }
        enroll = api.post(f"/people/{world.person.pk}/enrollments", {"program_id": program.pk})
        assert "program_id" in assert_error(enroll, 422)["fields"]
    assert Person.objects.count() == 1


def test_it_shows_approach_with_care_only_to_the_care_team(world, api_as):
    path = f"/people/{world.person.pk}/profile"
    care = api_as(world.coordinator).get(path).json()
    assert care["approach_with_care"] == "Please knock; loud voices are hard for me."
    admin = api_as(world.admin)
    # Issue 7: a restricted marker (that a note exists, and whom to speak with), not null.
    assert admin.get(path).json()["approach_with_care"]["restricted"] is True
    person = admin.get(f"/people/{world.person.pk}").json()
    assert person["profile"]["approach_with_care"]["restricted"] is True
    assert "loud voices" not in admin.get(path).content.decode()


def test_it_refuses_approach_with_care_changes_from_outside_the_care_team(world, api_as):
    admin = api_as(world.admin)
    path = f"/people/{world.person.pk}/profile"
    refused = admin.put(path, {"approach_with_care": "Something else", "version": 1})
    assert_error(refused, 403)
    # Sections they can see remain theirs to edit, and the hidden note is kept.
    allowed = admin.put(path, {"important_to": "My garden.", "version": 1})
    assert allowed.status_code == 200, allowed.content
    assert allowed.json()["approach_with_care"]["restricted"] is True  # not null (issue 7)
    profile = Profile.objects.get(person=world.person)
    assert profile.approach_with_care == "Please knock; loud voices are hard for me."
    assert profile.important_to == "My garden."
