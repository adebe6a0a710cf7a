"""Staff account and role services: permissions, rules, audit in the same transaction."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from alongside.accounts.models import Membership, Role, User
from alongside.accounts.scope import scope_for
from alongside.audit.models import AuditEvent
from alongside.lib.errors import NotPermitted
from alongside.organizations import staff as services
from conftest import add_role, make_user

DATA = {"username": "jordan", "first_name": "Jordan", "email": "jordan@example.org"}


def create(world, actor=None, **kwargs):
    kwargs = {"role": Role.COORDINATOR, "program": world.housing, "data": DATA} | kwargs
    return services.staff_create(actor=actor or world.admin, organization=world.org, **kwargs)


def test_it_creates_an_account_with_a_role_and_two_events(world):
    before = AuditEvent.objects.count()
    user = create(world)
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.COORDINATOR
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "accounts.user"),
        ("create", "accounts.membership"),
    ]
    assert all(e.organization_id == world.org.pk and e.actor_id == world.admin.pk for e in events)


def test_it_sends_the_email_only_once_the_account_is_committed(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        create(world)
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].to == ["jordan@example.org"]


def test_it_rolls_back_the_account_and_its_events_when_a_step_fails(world):
    before = AuditEvent.objects.count()
    with pytest.raises(NotPermitted, match="That program belongs to another organization"):
        create(world, program=world.other_program)
    assert not User.objects.filter(username="jordan").exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "outsider"])
def test_it_lets_only_the_organizations_admins_manage_staff(world, persona):
    actor = getattr(world, persona)
    with pytest.raises(NotPermitted, match="admins can manage its staff"):
        create(world, actor=actor)
    with pytest.raises(NotPermitted, match="admins can manage its staff"):
        services.role_grant(
            actor=actor, organization=world.org, user=world.colleague, role=Role.ORG_ADMIN
        )
    with pytest.raises(NotPermitted, match="admins can manage its staff"):
        services.staff_set_active(
            actor=actor, organization=world.org, user=world.colleague, active=False
        )
    assert not Membership.objects.filter(user=world.colleague, role=Role.ORG_ADMIN).exists()


@pytest.mark.parametrize(
    "data, field, why",
    [
        ({"username": "CASEY"}, "username", "An account with this username already exists"),
        ({"email": "Casey@Example.org"}, "email", "Another account already uses this email"),
        ({"email": ""}, "email", "An email address is needed"),
    ],
)
def test_it_refuses_duplicates_and_missing_email(world, data, field, why):
    with pytest.raises(ValidationError, match=why) as refused:
        create(world, data=DATA | data)
    assert field in refused.value.message_dict


def test_it_needs_a_program_for_program_roles(world):
    with pytest.raises(ValidationError, match="Choose the program this role is in"):
        create(world, program=None)
    world.wellness.is_active = False
    world.wellness.save()
    with pytest.raises(ValidationError, match="This program is inactive"):
        create(world, program=world.wellness)


def test_it_keeps_the_username_fixed_on_update(world):
    services.staff_update(
        actor=world.admin,
        organization=world.org,
        user=world.coordinator,
        data={"username": "renamed", "pronouns": "she/they"},
    )
    world.coordinator.refresh_from_db()
    assert (world.coordinator.username, world.coordinator.pronouns) == ("casey", "she/they")


def test_it_forgets_the_actors_cached_scope_when_their_roles_change(world):
    assert world.housing.pk not in scope_for(world.admin).program_ids
    services.role_grant(
        actor=world.admin,
        organization=world.org,
        user=world.admin,
        role=Role.SUPERVISOR,
        program=world.housing,
    )
    assert world.housing.pk in scope_for(world.admin).supervised_program_ids


def test_it_refuses_my_own_last_admin_role(world):
    add_role(world.admin, Role.SUPERVISOR, program=world.housing)
    add_role(make_user("dana"), Role.ORG_ADMIN, organization=world.org)
    mine = Membership.objects.get(user=world.admin, role=Role.ORG_ADMIN)
    with pytest.raises(ValidationError, match="your own last organization admin role"):
        services.role_revoke(actor=world.admin, organization=world.org, membership=mine)


def test_it_never_leaves_an_organization_without_an_active_admin(world):
    """Admin of two organizations may drop one of them, but not the last admin seat of it."""
    add_role(world.admin, Role.ORG_ADMIN, organization=world.other_org)
    add_role(world.admin, Role.SUPERVISOR, program=world.housing)
    mine = Membership.objects.get(user=world.admin, role=Role.ORG_ADMIN, organization=world.org)
    with pytest.raises(ValidationError, match="only active admin"):
        services.role_revoke(actor=world.admin, organization=world.org, membership=mine)
    dana = make_user("dana")
    add_role(dana, Role.ORG_ADMIN, organization=world.org)
    services.role_revoke(actor=world.admin, organization=world.org, membership=mine)
    assert not Membership.objects.filter(pk=mine.pk).exists()
    assert not scope_for(world.admin).is_admin_of(world.org.pk)


def test_it_lets_one_admin_remove_another(world):
    dana = make_user("dana")
    seat = add_role(dana, Role.ORG_ADMIN, organization=world.org)
    add_role(dana, Role.COORDINATOR, program=world.housing)
    services.role_revoke(actor=world.admin, organization=world.org, membership=seat)
    assert not Membership.objects.filter(pk=seat.pk).exists()
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type) == ("delete", "accounts.membership")
    assert event.detail == {
        "user_id": dana.pk,
        "username": "dana",
        "role": "org_admin",
        "program_id": None,
    }


def test_it_deactivates_without_deleting_and_refuses_self(world):
    services.staff_set_active(
        actor=world.admin, organization=world.org, user=world.coordinator, active=False
    )
    world.coordinator.refresh_from_db()
    assert not world.coordinator.is_active
    assert scope_for(world.coordinator).is_empty
    assert Membership.objects.filter(user=world.coordinator).exists()
    with pytest.raises(ValidationError, match="your own account"):
        services.staff_set_active(
            actor=world.admin, organization=world.org, user=world.admin, active=False
        )


def test_it_does_not_let_an_admin_change_operators_or_shared_accounts(world):
    root = make_user("root", is_superuser=True)
    operator = make_user("operator", is_staff=True)
    add_role(operator, Role.SCHEDULER, program=world.housing)
    add_role(root, Role.COORDINATOR, program=world.housing)
    add_role(world.outsider, Role.COORDINATOR, program=world.wellness)
    for user in (root, operator, world.outsider):
        assert not services.can_manage_account(world.admin, user)
        with pytest.raises(NotPermitted, match="also works with another organization"):
            services.staff_update(
                actor=world.admin,
                organization=world.org,
                user=user,
                data={"email": "admin-controlled@example.org"},
            )
        with pytest.raises(NotPermitted, match="also works with another organization"):
            services.staff_send_set_password_link(
                actor=world.admin, organization=world.org, user=user
            )
    assert services.can_manage_account(world.admin, world.coordinator)


def test_it_needs_a_role_here_before_anything_else(world):
    stranger = make_user("stranger")
    with pytest.raises(NotPermitted, match="This account has no role in this organization"):
        services.role_grant(
            actor=world.admin,
            organization=world.org,
            user=stranger,
            role=Role.COORDINATOR,
            program=world.housing,
        )
    with pytest.raises(NotPermitted, match="That role belongs to another organization"):
        services.role_revoke(
            actor=world.admin,
            organization=world.org,
            membership=Membership.objects.get(user=world.outsider),
        )


def test_it_sends_a_fresh_link_and_records_it(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_send_set_password_link(
            actor=world.admin, organization=world.org, user=world.coordinator
        )
    assert "/password/reset/" in mail.outbox[0].body
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id) == ("update", str(world.coordinator.pk))
