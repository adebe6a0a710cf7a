import re

from django.conf import settings
from django.core import mail
from django.urls import reverse

from alongside.audit.models import AuditEvent
from conftest import PASSWORD


def test_it_signs_in_and_records_it(client, world):
    response = client.post(reverse("login"), {"username": "casey", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor_id=world.coordinator.pk).exists()


def test_it_locks_out_after_repeated_failures(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "casey", "password": "wrong password"})
    response = client.post(reverse("login"), {"username": "casey", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_it_expires_idle_sessions(client, world):
    client.force_login(world.coordinator)
    session = client.session
    assert 0 < session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    session.set_expiry(-1)  # as if the user had been idle past the timeout
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_resets_a_password_by_email(client, world):
    response = client.post(reverse("password_reset"), {"email": "casey@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    found = re.search(r"https?://[^/]+(/password/reset/\S+/)", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()  # our page, not Django admin's
    new = "a brand new passphrase 42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    world.coordinator.refresh_from_db()
    assert world.coordinator.check_password(new)


def test_it_does_not_reveal_whether_an_email_has_an_account(client, world):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_it_sends_security_headers(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_it_keeps_a_well_formed_request_id_from_the_proxy(client, world):
    client.force_login(world.coordinator)
    response = client.get(
        reverse("people:detail", args=[world.person.pk]), HTTP_X_REQUEST_ID="req-12345678"
    )
    assert response["X-Request-ID"] == "req-12345678"
    assert AuditEvent.objects.filter(request_id="req-12345678", action="view").exists()
