"""Every person URL, for every persona: their team sees it, others get 404."""

import pytest
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.people.models import ContactPoint, Identifier, PersonLanguage, SupportContact


def person_urls(world):
    person = world.person
    contact = ContactPoint.objects.create(
        person=person, kind="phone", value="555-201-4471", normalized="+15552014471"
    )
    support = SupportContact.objects.create(person=person, name="Rosa", relationship="family")
    identifier = Identifier.objects.create(
        person=person, kind="mrn", issuer="Mercy", value="A1", normalized="A1"
    )
    language = PersonLanguage.objects.create(person=person, language="es")
    enrollment = person.enrollments.get()
    pk = person.pk
    return [
        reverse("people:detail", args=[pk]),
        reverse("people:edit", args=[pk]),
        reverse("people:profile", args=[pk]),
        reverse("people:history", args=[pk]),
        reverse("people:contact-add", args=[pk]),
        reverse("people:contact-edit", args=[pk, contact.pk]),
        reverse("people:support-add", args=[pk]),
        reverse("people:support-edit", args=[pk, support.pk]),
        reverse("people:identifier-add", args=[pk]),
        reverse("people:language-add", args=[pk]),
        reverse("people:enrollment-add", args=[pk]),
        reverse("people:enrollment-edit", args=[pk, enrollment.pk]),
    ], [
        reverse("people:contact-delete", args=[pk, contact.pk]),
        reverse("people:support-delete", args=[pk, support.pk]),
        reverse("people:identifier-delete", args=[pk, identifier.pk]),
        reverse("people:language-delete", args=[pk, language.pk]),
    ]


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "admin", "scheduler"])
def test_it_shows_every_page_to_people_who_may_see_the_person(client, world, persona):
    pages, _ = person_urls(world)
    client.force_login(getattr(world, persona))
    for url in pages:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_it_answers_404_to_everyone_else(client, world, persona):
    pages, deletes = person_urls(world)
    client.force_login(getattr(world, persona))
    for url in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"legal_given_name": "X"}).status_code == 404, url
    for url in deletes:
        assert client.post(url).status_code == 404, url
    assert ContactPoint.objects.filter(person=world.person).exists()


def test_it_sends_anonymous_visitors_to_sign_in(client, world):
    pages, deletes = person_urls(world)
    for url in [*pages, *deletes, reverse("people:list"), reverse("people:export")]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_it_hides_out_of_scope_people_from_search_and_lists(client, world):
    link = reverse("people:detail", args=[world.person.pk])
    client.force_login(world.colleague)
    assert link not in client.get(reverse("people:list")).content.decode()
    assert link not in client.get(reverse("people:list"), {"q": "Lupe"}).content.decode()
    client.force_login(world.coordinator)
    assert link in client.get(reverse("people:list"), {"q": "lupe"}).content.decode()


def test_it_records_a_view_event_for_the_person_page(client, world):
    client.force_login(world.coordinator)
    client.get(reverse("people:detail", args=[world.person.pk]), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.filter(action="view", person_id=world.person.pk).latest("id")
    assert event.actor_id == world.coordinator.pk
    assert event.ip == "10.1.2.3"
    assert event.request_id


def test_it_shows_the_access_report_only_to_supervisors_and_admins(client, world):
    url = reverse("people:access", args=[world.person.pk])
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 403
    client.force_login(world.supervisor)
    response = client.get(url)
    assert response.status_code == 200
    assert "casey" in response.content.decode()  # the coordinator created the record
    client.force_login(world.colleague)
    assert client.get(url).status_code == 404
