"""Reading and changing people, profiles, enrollments and contact points."""

import datetime as dt

from alongside.api.tests.conftest import assert_error
from alongside.audit.models import AuditEvent
from alongside.people.models import ContactPoint, Enrollment, Person, Profile
from conftest import make_person


def _events(user, action):
    return AuditEvent.objects.filter(actor_id=user.pk, action=action).order_by("id")


def test_it_shows_a_person_with_their_names_pronouns_and_profile(world, api_as):
    response = api_as(world.coordinator).get(f"/people/{world.person.pk}")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    body = response.json()
    assert body["display_name"] == "Lupe Hernández"
    assert (body["preferred_name"], body["pronouns"]) == ("Lupe", "she/her")
    assert body["legal_given_name"] == "Guadalupe"
    assert body["date_of_birth"] == "1984-03-09"
    assert body["version"] == 1
    assert body["profile"]["important_to"] == "Being there for my kids."
    assert [e["program_name"] for e in body["enrollments"]] == ["Housing Navigation"]
    assert body["enrollments"][0]["primary_coordinator"]["pronouns"] == "they/them"
    assert body["contact_points"] == []


def test_it_audits_reading_a_person(world, api_as):
    api_as(world.coordinator).get(f"/people/{world.person.pk}")
    event = _events(world.coordinator, "view").get()
    assert (event.person_id, event.channel) == (world.person.pk, "api")
    assert event.object_type == "people.person"


def test_it_lists_people_a_page_at_a_time_with_the_total(world, api_as):
    for name in ["Bea", "Cai", "Dev", "Eli"]:
        make_person(
            world.coordinator, world.housing, legal_given_name=name, legal_family_name="Zed"
        )
    api = api_as(world.coordinator)
    first = api.get("/people", {"limit": 2}).json()
    assert (first["count"], first["limit"], first["offset"]) == (5, 2, 0)
    assert [p["legal_given_name"] for p in first["results"]] == ["Guadalupe", "Bea"]
    third = api.get("/people", {"limit": 2, "page": 3}).json()
    assert [p["legal_given_name"] for p in third["results"]] == ["Eli"]
    assert third["offset"] == 4
    by_offset = api.get("/people", {"limit": 2, "offset": 1}).json()
    assert [p["legal_given_name"] for p in by_offset["results"]] == ["Bea", "Cai"]
    beyond = api.get("/people", {"offset": 500}).json()
    assert beyond["results"] == [] and beyond["count"] == 5


def test_it_audits_lists_with_the_people_shown(world, api_as):
    api_as(world.coordinator).get("/people")
    event = _events(world.coordinator, "list").get()
    assert event.detail["ids"] == [world.person.pk]
    assert event.detail["count"] == 1


def test_it_searches_and_audits_the_search(world, api_as):
    make_person(world.coordinator, world.housing, legal_given_name="Bea", legal_family_name="Zed")
    api = api_as(world.coordinator)
    found = api.get("/people", {"q": "hernandez"}).json()
    assert [p["id"] for p in found["results"]] == [world.person.pk]
    assert found["count"] == 1
    assert api.get("/people", {"q": "1984-03-09"}).json()["count"] == 1
    event = _events(world.coordinator, "search").last()
    assert event.detail["query"] == "1984-03-09"


def test_it_pages_through_search_results_with_the_total(world, api_as):
    for name in ["Bea", "Cai", "Dev"]:
        make_person(
            world.coordinator, world.housing, legal_given_name=name, legal_family_name="Zed"
        )
    api = api_as(world.coordinator)
    first = api.get("/people", {"q": "zed", "limit": 2}).json()
    assert (first["count"], len(first["results"])) == (3, 2)
    rest = api.get("/people", {"q": "zed", "limit": 2, "page": 2}).json()
    assert (rest["count"], len(rest["results"]), rest["offset"]) == (3, 1, 2)
    seen = {p["id"] for p in first["results"]} | {p["id"] for p in rest["results"]}
    assert len(seen) == 3


def test_it_keeps_records_out_of_caches(world, api_as):
    response = api_as(world.coordinator).get(f"/people/{world.person.pk}")
    assert response["Cache-Control"] == "no-store"


def test_it_registers_a_person(world, api_as):
    body = {
        "program_id": world.housing.pk,
        "legal_given_name": " Nguyễn Thị ",
        "legal_family_name": "Lan",
        "preferred_name": "Lan",
        "pronouns": "she/her",
        "date_of_birth": "1990-07-01",
        "gender_identity": "  woman, in my words  ",
        "primary_coordinator_id": world.coordinator.pk,
        "profile": {"important_to": "  My mother's cooking.\n\n  Sundays.  "},
    }
    response = api_as(world.coordinator).post("/people", body)
    assert response.status_code == 201, response.content
    created = response.json()
    person = Person.objects.get(pk=created["id"])
    assert response["Location"] == f"/api/v1/people/{person.pk}"
    assert response["ETag"] == '"1"'
    assert created["display_name"] == "Lan Lan"
    assert person.legal_given_name == "Nguyễn Thị"  # names are trimmed, as in the forms
    assert person.gender_identity == "  woman, in my words  "  # own words are not
    assert person.profile.important_to == "  My mother's cooking.\n\n  Sundays.  "
    enrollment = person.enrollments.get()
    assert (enrollment.program, enrollment.status) == (world.housing, "referred")
    assert enrollment.primary_coordinator == world.coordinator
    assert _events(world.coordinator, "create").filter(person_id=person.pk).exists()


def test_it_keeps_unicode_and_right_to_left_names_exactly(world, api_as):
    name = "مريم"
    response = api_as(world.coordinator).post(
        "/people",
        {
            "program_id": world.housing.pk,
            "legal_given_name": name,
            "legal_family_name": "‏الحسن",
            "pronouns": "هي",
        },
    )
    assert response.status_code == 201
    fetched = api_as(world.coordinator).get(f"/people/{response.json()['id']}").json()
    assert fetched["legal_given_name"] == name
    assert fetched["legal_family_name"] == "‏الحسن"


def test_it_updates_a_person_and_records_the_change(world, api_as):
    response = api_as(world.coordinator).patch(
        f"/people/{world.person.pk}",
        {"preferred_name": "Lupita", "pronouns": "she/they", "date_of_birth": None},
        **{"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    body = response.json()
    assert (body["display_name"], body["pronouns"], body["version"]) == (
        "Lupita Hernández",
        "she/they",
        2,
    )
    assert body["date_of_birth"] is None
    event = _events(world.coordinator, "update").get()
    assert event.fields == ["date_of_birth", "preferred_name", "pronouns"]


def test_it_clears_text_fields_sent_as_null(world, api_as):
    response = api_as(world.coordinator).patch(
        f"/people/{world.person.pk}", {"preferred_name": None, "version": 1}
    )
    assert response.json()["display_name"] == "Guadalupe Hernández"


def test_it_reads_and_replaces_the_profile_exactly_as_written(world, api_as):
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}/profile"
    read = api.get(path)
    assert read["ETag"] == '"1"'
    words = "  I like mornings.\n\tAnd my dog, Café ☕.  "
    response = api.put(path, {"hopes": words, "version": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["hopes"] == words
    assert body["important_to"] == ""  # PUT replaces: a section left out is cleared
    assert body["approach_with_care"] == "Please knock; loud voices are hard for me."
    assert response["ETag"] == '"2"'
    assert Profile.objects.get(person=world.person).hopes == words
    assert _events(world.coordinator, "update").get().object_type == "people.profile"


def test_it_enrolls_a_person_and_changes_the_enrollment(world, api_as):
    api = api_as(world.admin)
    created = api.post(
        f"/people/{world.person.pk}/enrollments",
        {
            "program_id": world.wellness.pk,
            "status": "active",
            "started_on": "2025-01-06",
            "primary_coordinator_id": world.colleague.pk,
        },
    )
    assert created.status_code == 201, created.content
    enrollment = created.json()
    assert enrollment["program_name"] == "Wellness Recovery"
    assert enrollment["primary_coordinator"]["id"] == world.colleague.pk
    listed = api.get(f"/people/{world.person.pk}/enrollments").json()
    assert {e["program_id"] for e in listed} == {world.housing.pk, world.wellness.pk}

    closed = api.patch(
        f"/enrollments/{enrollment['id']}",
        {
            "status": "closed",
            "closure_reason": "goals_met",
            "version": 1,
        },
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"
    assert closed.json()["ended_on"] is not None
    assert closed["ETag"] == '"2"'


def test_it_explains_enrollment_rules(world, api_as):
    api = api_as(world.coordinator)
    enrollment = world.person.enrollments.get()
    no_reason = api.patch(f"/enrollments/{enrollment.pk}", {"status": "closed", "version": 1})
    assert "closure_reason" in assert_error(no_reason, 422)["fields"]
    backwards = api.patch(
        f"/enrollments/{enrollment.pk}",
        {"started_on": "2025-02-01", "ended_on": "2025-01-01", "version": 1},
    )
    assert assert_error(backwards, 422)["fields"]
    twice = api.post(f"/people/{world.person.pk}/enrollments", {"program_id": world.housing.pk})
    assert assert_error(twice, 422)["fields"]
    stranger = api.patch(
        f"/enrollments/{enrollment.pk}", {"primary_coordinator_id": world.outsider.pk, "version": 1}
    )
    assert "primary_coordinator_id" in assert_error(stranger, 422)["fields"]
    assert Enrollment.objects.get(pk=enrollment.pk).version == 1


def test_it_manages_contact_points_with_safe_contact_rules(world, api_as):
    api = api_as(world.coordinator)
    created = api.post(
        f"/people/{world.person.pk}/contact-points",
        {
            "kind": "phone",
            "value": "(212) 555-0147",
            "label": "work",
            "may_text": False,
            "safe_hours_start": "09:00",
            "safe_hours_end": "17:00",
            "safety_note": "Use the work phone only.",
        },
    )
    assert created.status_code == 201, created.content
    contact = created.json()
    assert contact["normalized"] == "+12125550147"
    assert (contact["may_leave_voicemail"], contact["may_text"]) == (False, False)
    assert contact["safe_hours_start"] == "09:00:00"
    assert created["Location"] == f"/api/v1/contact-points/{contact['id']}"

    listed = api.get(f"/people/{world.person.pk}/contact-points").json()
    assert [c["id"] for c in listed] == [contact["id"]]

    changed = api.patch(
        f"/contact-points/{contact['id']}", {"may_text": True, "label": None}, **{"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["may_text"], changed.json()["label"]) == (True, "")

    stale = api.delete(f"/contact-points/{contact['id']}", **{"If-Match": '"1"'})
    assert_error(stale, 409, "stale_version")
    gone = api.delete(f"/contact-points/{contact['id']}", **{"If-Match": '"2"'})
    assert gone.status_code == 204
    assert not ContactPoint.objects.exists()
    actions = [e.action for e in AuditEvent.objects.filter(object_type="people.contactpoint")]
    assert actions == ["create", "update", "delete"]


def test_it_explains_a_bad_phone_number_or_email(world, api_as):
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}/contact-points"
    phone = assert_error(api.post(path, {"kind": "phone", "value": "call me maybe"}), 422)
    assert phone["fields"]["value"][0].startswith("Enter a valid phone number")
    email = assert_error(api.post(path, {"kind": "email", "value": "not-an-email"}), 422)
    assert email["fields"] == {"value": ["Enter a valid email address."]}
    half = assert_error(
        api.post(path, {"kind": "email", "value": "a@b.org", "safe_hours_start": "09:00"}), 422
    )
    assert "safe_hours_end" in half["fields"]


def test_it_keeps_a_long_lower_cased_address_storable(world, api_as):
    response = api_as(world.coordinator).post(
        f"/people/{world.person.pk}/contact-points", {"kind": "address", "value": "İ" * 300}
    )
    assert response.status_code == 201, response.content
    assert len(ContactPoint.objects.get().normalized) <= 300


def test_it_updates_dates_in_the_persons_timezone_free_form(world, api_as):
    response = api_as(world.coordinator).patch(
        f"/people/{world.person.pk}", {"date_of_birth": "1984-03-10", "version": 1}
    )
    assert Person.objects.get(pk=world.person.pk).date_of_birth == dt.date(1984, 3, 10)
    assert response.json()["date_of_birth"] == "1984-03-10"


def test_it_keeps_the_audit_chain_intact(world, api_as):
    from alongside.audit.selectors import verify_chain

    api = api_as(world.coordinator)
    api.get("/people")
    api.get(f"/people/{world.person.pk}")
    api.patch(f"/people/{world.person.pk}", {"pronouns": "she/they", "version": 1})
    api.get("/people", {"q": "lupe"})
    report = verify_chain()
    assert report.ok, report
    assert report.checked == AuditEvent.objects.count()
