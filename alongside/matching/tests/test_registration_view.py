from django.urls import reverse

from alongside.audit.models import AuditEvent

from .conftest import reachable

URL = reverse("matching:registration")
LUPE = {
    "legal_given_name": "Guadalupe",
    "legal_family_name": "Hernandez",
    "date_of_birth": "1984-03-09",
}


def test_it_warns_about_a_likely_existing_record_with_reasons(client, world):
    client.force_login(world.coordinator)
    page = client.get(URL, LUPE).content.decode()
    assert reverse("people:detail", args=[world.person.pk]) in page
    assert "Is this someone you already know?" in page
    assert "date of birth" in page
    assert AuditEvent.objects.filter(action="search", actor_id=world.coordinator.pk).exists()


def test_it_never_shows_people_outside_the_users_scope(client, world):
    for persona in (world.colleague, world.outsider):
        client.force_login(persona)
        page = client.get(URL, LUPE).content.decode()
        assert reverse("people:detail", args=[world.person.pk]) not in page


def test_it_waits_for_two_fields_and_survives_any_input(client, world):
    client.force_login(world.coordinator)
    assert "already know" not in client.get(URL, {"legal_given_name": "Guadalupe"}).content.decode()
    for junk in ["9" * 5000, "1984-02-30", "٣٤٥", "😀"]:
        response = client.get(
            URL, {"legal_given_name": junk, "legal_family_name": junk, "date_of_birth": junk}
        )
        assert response.status_code == 200
    # A NUL is refused before any view, as everywhere (web/tests/test_unstorable_text.py).
    assert client.get(URL, {"legal_given_name": "\x00", "phone": "1"}).status_code == 400


def test_it_asks_anonymous_visitors_to_sign_in(client, world):
    response = client.get(URL, LUPE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_checks_a_phone_or_identifier_alone_and_says_what_matched(client, world):
    reachable(
        world.person,
        world.coordinator,
        phone="720 535 0656",
        kind="medicaid",
        issuer="CO Medicaid",
        value="AB-123-456",
    )
    client.force_login(world.coordinator)
    page = client.get(URL, {"phone": "(720) 535-0656"}).content.decode()
    assert reverse("people:detail", args=[world.person.pk]) in page
    assert '<strong class="evidence">same phone number</strong>' in page
    page = client.get(URL, {"identifier_value": "ab123456"}).content.decode()
    assert "same identifier (Medicaid ID)" in page and "likely match" in page
    event = AuditEvent.objects.filter(action="search", actor_id=world.coordinator.pk).latest("id")
    assert event.detail["fields"] == ["identifier"]
    assert "ab123456" not in str(event.detail).lower()
    for persona in (world.colleague, world.outsider):
        client.force_login(persona)
        page = client.get(URL, {"phone": "(720) 535-0656"}).content.decode()
        assert reverse("people:detail", args=[world.person.pk]) not in page
