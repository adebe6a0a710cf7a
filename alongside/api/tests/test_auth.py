import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from alongside.accounts.models import ApiToken, User, hash_token
from alongside.accounts.tokens import token_create, token_revoke
from alongside.api.tests.conftest import Api, assert_error
from alongside.audit.models import AuditEvent


def test_it_refuses_a_request_without_credentials(world):
    response = Api(Client(), None).get("/people")
    error = assert_error(response, 401, "not_authenticated")
    assert "token" in error["message"].lower()
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer als_not-a-real-token", "Bearer ", "Bearer", "bearer x" * 100, "Bearer ü-token"],
)
def test_it_refuses_a_bad_token(world, header):
    response = Client().get("/api/v1/people", headers={"Authorization": header})
    assert_error(response, 401, "not_authenticated")


def test_it_refuses_an_expired_token(world):
    token, secret = token_create(user=world.coordinator, name="old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_error(Api(Client(), secret).get("/people"), 401)


def test_it_refuses_a_revoked_token(world):
    token, secret = token_create(user=world.coordinator, name="gone")
    api = Api(Client(), secret)
    assert api.get("/people").status_code == 200
    token_revoke(token=token, actor=world.admin)
    assert_error(api.get("/people"), 401)


def test_it_refuses_the_token_of_a_deactivated_user(world):
    _, secret = token_create(user=world.coordinator, name="left")
    world.coordinator.is_active = False
    world.coordinator.save()
    assert_error(Api(Client(), secret).get("/people"), 401)


def test_it_does_not_fall_back_to_the_session_when_a_token_is_bad(world):
    client = Client()
    client.force_login(world.coordinator)
    response = client.get("/api/v1/people", headers={"Authorization": "Bearer als_wrong"})
    assert_error(response, 401)


def test_it_accepts_a_valid_token(world, api_as):
    response = api_as(world.coordinator).get(f"/people/{world.person.pk}")
    assert response.status_code == 200
    assert response.json()["preferred_name"] == "Lupe"


def test_it_stores_only_a_digest_of_the_secret(world):
    token, secret = token_create(user=world.coordinator, name="integration")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hash_token(secret)
    assert secret not in {stored.digest, stored.prefix, stored.name}
    assert stored.prefix == secret[:8]


def test_it_audits_token_creation_and_revocation(world):
    token, _ = token_create(user=world.coordinator, name="integration", actor=world.admin)
    token_revoke(token=token, actor=world.admin)
    token_revoke(token=token, actor=world.admin)  # twice changes nothing
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.apitoken", object_id=str(token.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


def test_it_accepts_the_session_of_a_signed_in_browser(world):
    client = Client()
    client.force_login(world.coordinator)
    assert client.get(f"/api/v1/people/{world.person.pk}").status_code == 200


def test_it_requires_the_csrf_token_for_session_writes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    url = f"/api/v1/people/{world.person.pk}"
    body = {"pronouns": "she/they", "version": 1}
    refused = client.patch(url, body, content_type="application/json")
    assert_error(refused, 403, "csrf_failed")

    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    allowed = client.patch(
        url, body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert allowed.status_code == 200, allowed.content
    assert allowed.json()["pronouns"] == "she/they"


def test_it_does_not_ask_token_clients_for_csrf(world):
    _, secret = token_create(user=world.coordinator, name="integration")
    client = Client(enforce_csrf_checks=True)
    response = Api(client, secret).patch(
        f"/people/{world.person.pk}", {"pronouns": "she/they", "version": 1}
    )
    assert response.status_code == 200


def test_it_creates_a_token_from_the_command_line(world):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token", "casey", "--name", "HMIS sync", "--days", "30", stdout=out, stderr=err
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(digest=hash_token(secret))
    assert token.user == world.coordinator
    assert token.name == "HMIS sync"
    assert token.expires_at is not None
    assert "not be shown again" in err.getvalue()
    assert Api(Client(), secret).get("/people").status_code == 200


@pytest.mark.parametrize(
    "args, why",
    [
        (["nobody", "--name", "x"], "No user named 'nobody'"),
        (["casey", "--name", "  "], "Say what the token is for"),
        (["casey", "--name", "x", "--days", "0"], "between 1 and 3650 days"),
        (["casey", "--name", "x", "--days", "99999999"], "between 1 and 3650 days"),
    ],
)
def test_it_explains_why_the_command_cannot_create_a_token(world, args, why):
    with pytest.raises(CommandError, match=why):
        call_command("create_api_token", *args, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "admin", "outsider"])
def test_it_reads_the_users_scope_with_the_token(world, persona, django_assert_num_queries):
    from alongside.accounts.models import User
    from alongside.accounts.scope import scope_for
    from alongside.accounts.tokens import token_authenticate

    user = getattr(world, persona)
    _, secret = token_create(user=user, name="scope")
    with django_assert_num_queries(1):
        authenticated = token_authenticate(secret)
        scope = scope_for(authenticated)
    assert scope == scope_for(User.objects.get(pk=user.pk))


def test_it_authenticates_a_user_without_memberships(world, django_user_model):
    from alongside.accounts.scope import scope_for
    from alongside.accounts.tokens import token_authenticate

    nobody = django_user_model.objects.create_user("nobody", password="x" * 12)
    _, secret = token_create(user=nobody, name="none")
    user = token_authenticate(secret)
    assert user == nobody and scope_for(user).is_empty
    assert Api(Client(), secret).get("/people").json()["results"] == []


# --- tokens read lately are not read again (accounts/tokens.py) -------------------------


def test_it_reads_a_token_once_for_a_burst_of_requests(world, clock, django_assert_num_queries):
    from alongside.accounts.scope import scope_for
    from alongside.accounts.tokens import token_authenticate

    _, secret = token_create(user=world.coordinator, name="burst")
    with django_assert_num_queries(1):
        first = token_authenticate(secret)
    with django_assert_num_queries(0):
        again = token_authenticate(secret)
    # A user of its own for each request, with the same columns and scope.
    assert first is not None and again is not None and again is not first
    assert again == first and again.username == first.username == "casey"
    assert scope_for(again) == scope_for(first)
    clock[0] += 5
    with django_assert_num_queries(1):
        assert token_authenticate(secret) == first


def test_it_refuses_a_token_revoked_by_another_process_once_the_cache_is_stale(world, clock):
    token, secret = token_create(user=world.coordinator, name="elsewhere")
    api = Api(Client(), secret)
    assert api.get("/people").status_code == 200
    # Another server process revokes it: nothing here is told.
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    clock[0] += 4.9
    assert api.get("/people").status_code == 200  # within API_TOKEN_CACHE_SECONDS
    clock[0] += 0.1
    assert_error(api.get("/people"), 401)


def test_it_refuses_a_token_that_expires_while_it_is_remembered(world, clock, monkeypatch):
    from alongside.accounts.tokens import token_authenticate

    token, secret = token_create(user=world.coordinator, name="brief", days=1)
    assert token_authenticate(secret) is not None
    assert token.expires_at is not None
    later = token.expires_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert token_authenticate(secret) is None


def test_it_applies_a_change_of_the_users_memberships_at_once(world, clock):
    api = Api(Client(), token_create(user=world.coordinator, name="moved")[1])
    path = f"/people/{world.person.pk}"
    assert api.get(path).status_code == 200
    world.coordinator.memberships.all().delete()
    assert_error(api.get(path), 404)


def test_it_refuses_at_once_the_token_of_a_user_deactivated_after_using_it(world, clock):
    api = Api(Client(), token_create(user=world.coordinator, name="left")[1])
    assert api.get("/people").status_code == 200
    world.coordinator.is_active = False
    world.coordinator.save()
    assert_error(api.get("/people"), 401)


def test_it_reads_the_token_every_time_when_the_cache_is_off(
    world, clock, settings, django_assert_num_queries
):
    from alongside.accounts.tokens import token_authenticate

    _, secret = token_create(user=world.coordinator, name="uncached")
    assert token_authenticate(secret) is not None  # kept, then the cache is turned off
    settings.API_TOKEN_CACHE_SECONDS = 0
    for _ in range(2):
        with django_assert_num_queries(1):
            assert token_authenticate(secret) is not None


def test_it_does_not_keep_a_token_read_while_it_was_being_revoked(world, clock, monkeypatch):
    from alongside.accounts import tokens

    token, secret = token_create(user=world.coordinator, name="race")
    read = User.objects.raw

    def revoked_meanwhile(*args, **kwargs):
        rows = list(read(*args, **kwargs))
        token_revoke(token=token, actor=world.admin)  # lands between the read and keeping it
        return rows

    monkeypatch.setattr(User.objects, "raw", revoked_meanwhile)
    assert tokens.token_authenticate(secret) is not None  # read before the revocation
    monkeypatch.undo()
    assert tokens.token_authenticate(secret) is None
