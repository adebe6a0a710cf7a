"""Setting up an organization with its first admin, and accounts the system provisions:
only the system does it, validated and audited like an admin's own writes."""

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.exceptions import ValidationError

from alongside.accounts.models import Membership, Role, User
from alongside.accounts.scope import scope_for
from alongside.audit.models import AuditEvent
from alongside.lib.actors import SystemActor
from alongside.lib.errors import NotPermitted
from alongside.organizations import services as organizations
from alongside.organizations import staff as services
from alongside.organizations.models import Organization
from conftest import make_user

SYSTEM = SystemActor(username="system:setup", name="The Alongside setup")
ADMIN = {"username": "robin", "first_name": "Robin", "email": "robin@harbor.example.org"}


def bootstrap(actor=SYSTEM, **kwargs):
    kwargs = {
        "data": {"name": "Harbor Family Network", "slug": "harbor", "person_label": "client"},
        "programs": [{"name": "Family Navigation"}, {"name": "Food Access"}],
        "locations": [{"name": "Harbor Center", "address": "5 Dock St"}],
        "admin": ADMIN,
    } | kwargs
    return services.organization_bootstrap(actor=actor, **kwargs)


@pytest.mark.django_db
def test_it_sets_up_an_organization_with_its_first_admin_and_audits_each_step(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        setup = bootstrap()
    org = setup.organization
    assert (org.name, org.slug, org.person_label) == ("Harbor Family Network", "harbor", "client")
    assert [p.name for p in setup.programs] == ["Family Navigation", "Food Access"]
    assert [loc.address for loc in setup.locations] == ["5 Dock St"]
    assert scope_for(setup.admin).is_admin_of(org.pk)
    assert not setup.admin.has_usable_password()
    assert mail.outbox[0].to == ["robin@harbor.example.org"]
    assert "The Alongside setup has created an Alongside account" in mail.outbox[0].body
    events = AuditEvent.objects.order_by("id")
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "organizations.organization"),
        ("create", "organizations.program"),
        ("create", "organizations.program"),
        ("create", "organizations.location"),
        ("create", "accounts.user"),
        ("create", "accounts.membership"),
    ]
    assert {(e.actor_id, e.actor_label, e.organization_id) for e in events} == {
        (None, "system:setup", org.pk)
    }
    assert events[0].fields == ["name", "person_label", "slug"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs, why",
    [
        ({"data": {"name": "Riverbend Community Services", "slug": "other"}}, "already uses"),
        ({"data": {"name": "Another", "slug": "riverbend"}}, "with this Slug already exists"),
        ({"programs": [{"name": "Food"}, {"name": "FOOD"}]}, "already has a program"),
        ({"admin": ADMIN | {"username": "casey"}}, "username already exists"),
        ({"admin": ADMIN | {"email": ""}}, "An email address is needed"),
    ],
)
def test_it_validates_every_step_and_saves_nothing_on_failure(world, kwargs, why):
    before = (Organization.objects.count(), User.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match=why):
        bootstrap(**kwargs)
    after = (Organization.objects.count(), User.objects.count(), AuditEvent.objects.count())
    assert after == before


@pytest.mark.parametrize("persona", ["admin", "superuser"])
def test_it_is_for_the_system_not_a_signed_in_user(world, persona):
    actor = world.admin
    if persona == "superuser":
        actor = make_user("root", is_superuser=True, is_staff=True)
    with pytest.raises(NotPermitted, match="Only the system itself"):
        bootstrap(actor=actor)
    with pytest.raises(NotPermitted, match="Only the system itself"):
        organizations.organization_create(actor=actor, data={"name": "X", "slug": "x"})
    with pytest.raises(NotPermitted, match="Only the system itself"):
        services.staff_provision(
            actor=actor,
            organization=world.org,
            data=ADMIN,
            roles=[(Role.COORDINATOR, world.housing)],
        )
    assert not Organization.objects.filter(slug__in=["harbor", "x"]).exists()
    assert not User.objects.filter(username="robin").exists()


def test_the_system_can_give_an_account_a_password_and_several_roles(world):
    user = services.staff_provision(
        actor=SYSTEM,
        organization=world.org,
        data=ADMIN,
        roles=[(Role.SUPERVISOR, world.housing), (Role.SUPERVISOR, world.wellness)],
        password_hash=make_password("a demo password"),
    )
    assert user.check_password("a demo password")
    assert mail.outbox == []  # it can sign in already: no link to send
    assert set(Membership.objects.filter(user=user).values_list("program", flat=True)) == {
        world.housing.pk,
        world.wellness.pk,
    }
    created = AuditEvent.objects.filter(actor_label="system:setup", object_type="accounts.user")
    assert created.get().fields == ["email", "first_name", "password", "username"]


def test_it_takes_a_password_hash_never_the_password_itself(world):
    with pytest.raises(ValueError, match="Unknown password hashing algorithm"):
        services.staff_provision(
            actor=SYSTEM,
            organization=world.org,
            data=ADMIN,
            roles=[(Role.COORDINATOR, world.housing)],
            password_hash="a demo password",
        )
    with pytest.raises(ValidationError, match="at least one role"):
        services.staff_provision(actor=SYSTEM, organization=world.org, data=ADMIN, roles=[])
    with pytest.raises(NotPermitted, match="That program belongs to another organization"):
        services.staff_provision(
            actor=SYSTEM,
            organization=world.org,
            data=ADMIN,
            roles=[(Role.COORDINATOR, world.other_program)],
        )
    assert not User.objects.filter(username="robin").exists()
