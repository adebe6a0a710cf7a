"""Staff accounts and roles through their pages."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import Membership, Role, User
from alongside.audit.models import AuditEvent
from alongside.organizations.models import Program
from conftest import NAV_COUNTS, PASSWORD, add_role, make_user

# session, user, scope, the organization, the accounts, their roles (one prefetch), the
# navigation's counts
STAFF_LIST = 6 + NAV_COUNTS


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    return client


def new_staff(world, **extra):
    return {
        "username": "jordan",
        "first_name": "Jordan",
        "last_name": "Díaz",
        "display_name": "",
        "pronouns": "he/they",
        "email": "jordan@example.org",
        "role": Role.COORDINATOR,
        "program": world.housing.pk,
        **extra,
    }


def staff_url(world, user, name="manage:staff-detail", *more):
    return reverse(name, args=[world.org.pk, user.pk, *more])


def test_it_lists_staff_with_their_roles_here(admin_client, world):
    add_role(world.outsider, Role.NAVIGATOR, program=world.wellness)
    page = admin_client.get(reverse("manage:staff", args=[world.org.pk])).content.decode()
    for name in ["Casey Nguyen", "Morgan Reyes", "Sam Okoro", "Alex Kim", "Pat Lee", "Olu Bello"]:
        assert name in page
    assert "Navigator · Wellness Recovery" in page
    # Roles in another organization are not shown here.
    assert "Care Coordination" not in page


def test_it_filters_staff_by_name_and_status(admin_client, world):
    url = reverse("manage:staff", args=[world.org.pk])
    page = admin_client.get(url, {"q": "nguy"}).content.decode()
    assert "Casey Nguyen" in page and "Morgan Reyes" not in page
    User.objects.filter(pk=world.colleague.pk).update(is_active=False)
    page = admin_client.get(url, {"status": "inactive"}).content.decode()
    assert "Morgan Reyes" in page and "Casey Nguyen" not in page
    for junk in [
        {"status": "<script>"},
        {"q": "x" * 10_000},
        {"page": "-5"},
        {"page": "99999999999999999999999"},
        {"q": "Nguyễn 🙂"},
    ]:
        assert admin_client.get(url, junk).status_code == 200, junk


def test_it_pages_through_staff(admin_client, world):
    for n in range(30):
        add_role(
            make_user(f"staff{n:02d}", first_name="Zed", last_name=f"{n:02d}"),
            Role.SCHEDULER,
            program=world.wellness,
        )
    url = reverse("manage:staff", args=[world.org.pk])
    first = admin_client.get(url)
    assert len(first.context["staff"]) == 25 and first.context["has_next"]
    second = admin_client.get(url, {"page": 2})
    # 30 more, and the five of the world's staff who work here
    assert len(second.context["staff"]) == 10 and not second.context["has_next"]


def test_it_pins_the_staff_list_query_count(admin_client, world, django_assert_num_queries):
    url = reverse("manage:staff", args=[world.org.pk])
    with django_assert_num_queries(STAFF_LIST):
        admin_client.get(url)
    for n in range(20):
        user = make_user(f"extra{n}")
        add_role(user, Role.CLINICIAN, program=world.wellness)
        add_role(user, Role.NAVIGATOR, program=world.housing)
    with django_assert_num_queries(STAFF_LIST):
        admin_client.get(url)


def test_it_creates_an_account_and_emails_a_link_to_choose_a_password(
    admin_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("manage:staff-add", args=[world.org.pk]), new_staff(world)
        )
    user = User.objects.get(username="jordan")
    assert response.status_code == 302 and response["Location"] == staff_url(world, user)
    assert not user.has_usable_password() and user.is_active
    assert Membership.objects.get(user=user).program == world.housing
    events = AuditEvent.objects.filter(organization_id=world.org.pk, action="create")
    assert events.filter(object_type="accounts.user", object_id=str(user.pk)).exists()
    assert events.filter(object_type="accounts.membership").latest("id").detail["role"] == (
        "coordinator"
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jordan@example.org"]
    assert "Riverbend Community Services" in message.subject
    assert "Your username is: jordan" in message.body
    found = re.search(r"https?://\S+/password/reset/\S+/", str(message.body))
    assert found is not None
    link = found.group(0)

    # The link lets them choose a password, once, and sign in with it.
    client = admin_client
    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path, follow=True)
    assert page.status_code == 200 and page.context["validlink"]
    new_password = "a long passphrase of my own 42"
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    signed_in = client.post(reverse("login"), {"username": "jordan", "password": new_password})
    assert signed_in.status_code == 302
    client.logout()
    again = client.get("/" + path, follow=True)
    assert not again.context["validlink"]


def test_it_never_shows_or_emails_a_password(
    admin_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("manage:staff-add", args=[world.org.pk]), new_staff(world), follow=True
        )
    page = response.content.decode().lower()
    assert "emailed jordan@example.org" in page
    assert "password:" not in mail.outbox[0].body.lower()
    assert (
        'type="password"'
        not in admin_client.get(reverse("manage:staff-add", args=[world.org.pk])).content.decode()
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"username": "Casey"}, "username"),  # taken, whatever the case
        ({"username": "no spaces allowed!"}, "username"),
        ({"username": "u" * 151}, "username"),
        ({"username": ""}, "username"),
        ({"email": "CASEY@example.org"}, "email"),  # another account's email
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"first_name": "f" * 151}, "first_name"),
        ({"pronouns": "p" * 41}, "pronouns"),
        ({"program": ""}, "program"),
        ({"program": "999999999999999999999"}, "program"),
        ({"program": "abc"}, "program"),
        ({"role": "superuser"}, "role"),
        ({"role": ""}, "role"),
    ],
)
def test_it_shows_field_errors_for_bad_staff(admin_client, world, change, field):
    response = admin_client.post(
        reverse("manage:staff-add", args=[world.org.pk]), new_staff(world, **change)
    )
    assert response.status_code == 422
    assert field in response.context["form"].errors, response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert not User.objects.filter(email="jordan@example.org").exists()
    assert not mail.outbox


def test_it_offers_only_this_organizations_active_programs(admin_client, world):
    Program.objects.filter(pk=world.wellness.pk).update(is_active=False)
    url = reverse("manage:staff-add", args=[world.org.pk])
    for program in (world.other_program, world.wellness):
        response = admin_client.post(url, new_staff(world, program=program.pk))
        assert "program" in response.context["form"].errors
    assert not User.objects.filter(username="jordan").exists()


def test_it_accepts_names_in_any_script(admin_client, world):
    admin_client.post(
        reverse("manage:staff-add", args=[world.org.pk]),
        new_staff(
            world, username="josé.ñ", first_name="José", last_name="Nguyễn", display_name="Pepe 🌻"
        ),
    )
    assert str(User.objects.get(username="josé.ñ")) == "Pepe 🌻"


def test_it_makes_an_organization_admin_without_a_program(admin_client, world):
    admin_client.post(
        reverse("manage:staff-add", args=[world.org.pk]),
        new_staff(world, role=Role.ORG_ADMIN, program=world.housing.pk),
    )
    membership = Membership.objects.get(user__username="jordan")
    assert membership.role == Role.ORG_ADMIN and membership.program is None


def test_it_edits_an_accounts_details(admin_client, world):
    url = staff_url(world, world.coordinator)
    response = admin_client.post(
        url,
        {
            "first_name": "Casey",
            "last_name": "Nguyen-Ortiz",
            "display_name": "",
            "pronouns": "they/them",
            "email": "casey.n@example.org",
        },
    )
    assert response.status_code == 302
    world.coordinator.refresh_from_db()
    assert world.coordinator.last_name == "Nguyen-Ortiz"
    event = AuditEvent.objects.filter(object_type="accounts.user", action="update").latest("id")
    assert event.fields == ["email", "last_name"]
    assert "casey.n@example.org" not in str(event.detail)  # names of fields, never values


def test_it_shows_errors_when_editing_details(admin_client, world):
    response = admin_client.post(
        staff_url(world, world.coordinator), {"first_name": "Casey", "email": "alex@example.org"}
    )
    assert response.status_code == 422
    assert "email" in response.context["details"].errors
    assert "Casey Nguyen" in response.content.decode()


def test_it_grants_and_revokes_roles(admin_client, world):
    url = staff_url(world, world.coordinator, "manage:role-grant")
    response = admin_client.post(url, {"role": Role.SUPERVISOR, "program": world.wellness.pk})
    assert response.status_code == 302
    granted = Membership.objects.get(user=world.coordinator, role=Role.SUPERVISOR)
    event = AuditEvent.objects.filter(object_type="accounts.membership").latest("id")
    assert (event.action, event.object_id) == ("create", str(granted.pk))
    assert event.detail["user_id"] == world.coordinator.pk

    revoke = staff_url(world, world.coordinator, "manage:role-revoke", granted.pk)
    assert admin_client.post(revoke).status_code == 302
    assert not Membership.objects.filter(pk=granted.pk).exists()
    event = AuditEvent.objects.filter(object_type="accounts.membership").latest("id")
    assert (event.action, event.object_id) == ("delete", str(granted.pk))


def test_it_shows_why_a_role_cannot_be_granted(admin_client, world):
    url = staff_url(world, world.coordinator, "manage:role-grant")
    response = admin_client.post(url, {"role": Role.COORDINATOR, "program": world.housing.pk})
    assert response.status_code == 422
    assert "already" in response.content.decode()
    for data in [
        {"role": Role.NAVIGATOR},
        {"role": "nope", "program": world.housing.pk},
        {"role": Role.NAVIGATOR, "program": world.other_program.pk},
        {"role": Role.NAVIGATOR, "program": "1e9"},
    ]:
        assert admin_client.post(url, data).status_code == 422, data
    assert Membership.objects.filter(user=world.coordinator).count() == 1


def test_it_keeps_at_least_one_role_on_an_account(admin_client, world):
    role = Membership.objects.get(user=world.coordinator)
    response = admin_client.post(staff_url(world, world.coordinator, "manage:role-revoke", role.pk))
    assert response.status_code == 422
    assert "deactivate the account instead" in response.content.decode()
    assert Membership.objects.filter(pk=role.pk).exists()


def test_it_refuses_to_remove_my_own_last_admin_role(admin_client, world):
    add_role(world.admin, Role.SUPERVISOR, program=world.housing)
    add_role(make_user("dana"), Role.ORG_ADMIN, organization=world.org)
    mine = Membership.objects.get(user=world.admin, role=Role.ORG_ADMIN)
    response = admin_client.post(staff_url(world, world.admin, "manage:role-revoke", mine.pk))
    assert response.status_code == 422
    assert "your own last organization admin role" in response.content.decode()
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_it_deactivates_and_reactivates_an_account(admin_client, world):
    url = staff_url(world, world.coordinator, "manage:staff-active")
    assert admin_client.post(url, {"active": "0"}).status_code == 302
    world.coordinator.refresh_from_db()
    assert not world.coordinator.is_active
    assert Membership.objects.filter(user=world.coordinator).exists()  # nothing deleted
    event = AuditEvent.objects.filter(object_type="accounts.user").latest("id")
    assert event.fields == ["is_active"] and event.organization_id == world.org.pk
    page = admin_client.get(staff_url(world, world.coordinator)).content.decode()
    assert "Account: deactivated" in page

    admin_client.logout()
    refused = admin_client.post(reverse("login"), {"username": "casey", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in admin_client.session
    admin_client.force_login(world.admin)

    admin_client.post(url, {"active": "1"})
    world.coordinator.refresh_from_db()
    assert world.coordinator.is_active


def test_it_refuses_to_deactivate_my_own_account(admin_client, world):
    page = admin_client.get(staff_url(world, world.admin)).content.decode()
    assert "Deactivate" not in page
    response = admin_client.post(
        staff_url(world, world.admin, "manage:staff-active"), {"active": "0"}
    )
    assert response.status_code == 422
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_it_sends_a_new_link_on_request(admin_client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(staff_url(world, world.coordinator, "manage:staff-link"))
    assert response.status_code == 302
    assert mail.outbox[0].to == ["casey@example.org"]
    assert "/password/reset/" in mail.outbox[0].body
    event = AuditEvent.objects.latest("id")
    assert event.detail == {"set_password_link": "sent"}


def test_it_protects_accounts_shared_with_another_organization(admin_client, world):
    """An admin here may manage the outsider's roles here, but not the account itself:
    changing its email would let them take over the outsider's other organization."""
    add_role(world.outsider, Role.NAVIGATOR, program=world.housing)
    page = admin_client.get(staff_url(world, world.outsider)).content.decode()
    assert "also works with another organization" in page
    assert 'name="email"' not in page
    assert (
        admin_client.post(
            staff_url(world, world.outsider), {"email": "mine@example.org"}
        ).status_code
        == 403
    )
    assert (
        admin_client.post(
            staff_url(world, world.outsider, "manage:staff-active"), {"active": "0"}
        ).status_code
        == 403
    )
    assert (
        admin_client.post(staff_url(world, world.outsider, "manage:staff-link")).status_code == 403
    )
    world.outsider.refresh_from_db()
    assert world.outsider.email == "olu@example.org" and world.outsider.is_active
    # Roles here stay theirs to manage.
    here = Membership.objects.get(user=world.outsider, organization=world.org)
    assert (
        admin_client.post(
            staff_url(world, world.outsider, "manage:role-revoke", here.pk)
        ).status_code
        == 302
    )


def test_it_ends_a_deactivated_accounts_open_session(admin_client, world):
    theirs = Client()
    theirs.force_login(world.coordinator)
    assert theirs.get(reverse("home")).status_code == 200
    admin_client.post(staff_url(world, world.coordinator, "manage:staff-active"), {"active": "0"})
    response = theirs.get(reverse("home"))
    assert response.status_code == 302 and "/login/" in response["Location"]
