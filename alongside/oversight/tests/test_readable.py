"""The audit browser in words: records named as people read them (through the namers
apps register), search terms for those allowed to read them, and a filter by name."""

import pytest
from django.urls import reverse

from alongside.audit import services as audit
from alongside.audit.readable import ObjectNamer, kind_of, names_for, object_namers
from alongside.audit.services import Action
from alongside.oversight.describe import sees_search_terms
from alongside.oversight.tests.test_views import AUDIT_LIST
from alongside.people import services as people
from alongside.people.selectors import people_search
from conftest import make_person


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    return client


def page_of(admin_client, **params):
    response = admin_client.get(reverse("audit:list"), params)
    assert response.status_code == 200
    return response


def test_it_names_people_and_records_instead_of_types_and_numbers(admin_client, world):
    phone = people.contact_point_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "phone", "value": "+1 212 555 0100"},
    )
    page = page_of(admin_client).content.decode()
    assert "Contact point: Phone" in page and "Lupe Hernández" in page
    assert "Enrollment in Housing Navigation" in page
    assert f"people.contactpoint #{phone.pk}" not in page and "people.person" not in page
    assert "Changed: date of birth, " in page


def test_it_names_nothing_the_viewer_may_not_see(world):
    elsewhere = make_person(world.outsider, world.other_program, legal_given_name="Kofi")
    names = names_for(world.admin, {"people.person": [str(world.person.pk), str(elsewhere.pk)]})
    assert names["people.person"] == {str(world.person.pk): "Lupe Hernández"}
    assert names_for(world.outsider, {"people.person": [str(world.person.pk)]}) == {
        "people.person": {}
    }


def test_it_shows_a_denied_attempt_by_number_only(admin_client, world):
    audit.record(
        actor=world.coordinator,
        action=Action.DENIED,
        object_type="people.person",
        object_id=world.person.pk,
        organization_id=world.org.pk,
        detail={"method": "GET", "path": f"/people/{world.person.pk}/"},
    )
    row = page_of(admin_client, outcome="denied").content.decode()
    assert f"Person #{world.person.pk}" in row and "Lupe" not in row.split("<tbody>")[1]


def test_it_falls_back_to_the_kind_of_record(world):
    assert kind_of("people.supportcontact") == "Support contact"
    assert kind_of("x.y") == "x.y"


def test_it_shows_search_terms_to_organization_admins_only(admin_client, world):
    people_search(world.coordinator, "lupe")
    page = page_of(admin_client, action="search").content.decode()
    assert "Searched for “lupe” · 1 result" in page
    assert sees_search_terms(world.admin, world.org.pk)
    for someone in (world.supervisor, world.coordinator, world.outsider):
        assert not sees_search_terms(someone, world.org.pk)
    assert not sees_search_terms(world.admin, world.other_org.pk)


def test_it_filters_by_a_persons_name_among_the_people_the_viewer_sees(admin_client, world):
    other = make_person(world.coordinator, world.housing, legal_given_name="Bartholomew")
    elsewhere = make_person(world.outsider, world.other_program, legal_given_name="Lupita")
    shown = page_of(admin_client, name="lupe").context["events"]
    assert shown and {e.person_id for e in shown} == {world.person.pk}
    assert other.pk not in {e.person_id for e in shown}
    assert elsewhere.pk not in {e.person_id for e in shown}
    assert page_of(admin_client, name="nobody-called-this").context["events"] == []


def test_a_namer_is_asked_once_per_page_however_many_events_name_it(world, admin_client):
    calls = []

    def names(viewer, ids):
        calls.append(sorted(ids))
        return {i: f"Thing {i}" for i in ids}

    object_namers.register(ObjectNamer(key="test.thing", names=names))
    try:
        for n in range(1, 6):
            audit.record(
                actor=world.admin,
                action=Action.VIEW,
                object_type="test.thing",
                object_id=n,
                organization_id=world.org.pk,
            )
        page = page_of(admin_client).content.decode()
    finally:
        object_namers.unregister("test.thing")
    assert calls == [["1", "2", "3", "4", "5"]]
    assert "Viewed</span> Thing 5" in page


def test_it_pins_the_query_count_of_a_page_of_many_people(
    admin_client, world, django_assert_num_queries
):
    def add(count):
        for n in range(count):
            person = make_person(world.coordinator, world.housing, legal_given_name=f"P{n}")
            people.contact_point_create(
                actor=world.coordinator,
                person=person,
                data={"kind": "email", "value": f"p{n}@x.org"},
            )

    add(2)
    # the list's own queries, then one per kind of record on the page: people,
    # enrollments, contact points, and profiles and languages (no namer: no query)
    expected = AUDIT_LIST + 3
    with django_assert_num_queries(expected):
        page_of(admin_client)
    add(10)
    with django_assert_num_queries(expected):
        page_of(admin_client)
