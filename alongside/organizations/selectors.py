"""Reads for organization administration. Everything starts from the organizations the
user administers (`scope_for(user).admin_organization_ids`); anything else does not exist."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Count, Model, Prefetch, Q, QuerySet

from alongside.accounts.actors import Actor
from alongside.accounts.models import Membership, Role, User
from alongside.accounts.scope import scope_for
from alongside.organizations.models import Location, Organization, Program

M = TypeVar("M", bound=Model)


def administered_organizations(user: Actor) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=scope_for(user).admin_organization_ids)


def organization_for_admin(user: Actor, organization_id: int | None = None) -> Organization:
    """The organization the user administers with this id, or their first one.
    Raises Organization.DoesNotExist when there is none, which views turn into 404."""
    organizations = administered_organizations(user).order_by("pk")
    if organization_id is None:
        found = organizations.first()
        if found is None:
            raise Organization.DoesNotExist
        return found
    return organizations.get(pk=organization_id)


def programs_for(organization: Organization) -> QuerySet[Program]:
    return organization.programs.annotate(
        staff_count=Count("memberships__user", distinct=True)
    ).order_by("-is_active", "name", "pk")


def active_programs(organization: Organization) -> QuerySet[Program]:
    return organization.programs.filter(is_active=True).order_by("name", "pk")


def locations_for(organization: Organization) -> QuerySet[Location]:
    return organization.locations.order_by("-is_active", "name", "pk")


def _memberships_in(organization: Organization) -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(organization=organization)
        .select_related("program")
        .order_by("program__name", "role", "pk"),
        to_attr="roles_here",
    )


def staff_for(organization: Organization, *, query: str = "", status: str = "") -> QuerySet[User]:
    """Accounts holding at least one role in the organization, each with `roles_here`
    (their memberships in it), in two queries however many there are."""
    users = User.objects.filter(
        pk__in=Membership.objects.filter(organization=organization).values("user_id")
    )
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(display_name__icontains=query)
            | Q(email__icontains=query)
        )
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    return users.prefetch_related(_memberships_in(organization)).order_by(
        "-is_active", "first_name", "last_name", "username", "pk"
    )


def staff_member(organization: Organization, user_id: int) -> User:
    """One account with a role in the organization; raises User.DoesNotExist otherwise."""
    return staff_for(organization).get(pk=user_id)


def other_organization_ids(user: User, organization: Organization) -> set[int]:
    """Organizations other than this one where the account holds a role."""
    return set(
        Membership.objects.filter(user=user)
        .exclude(organization=organization)
        .values_list("organization_id", flat=True)
    )


def active_admin_count(organization: Organization) -> int:
    return (
        Membership.objects.filter(
            organization=organization, role=Role.ORG_ADMIN, user__is_active=True
        )
        .values("user_id")
        .distinct()
        .count()
    )


def overview(organization: Organization) -> dict[str, int]:
    """What the organization's admin home counts: active programs, locations and staff,
    and active admins."""
    return {
        "programs": organization.programs.filter(is_active=True).count(),
        "locations": organization.locations.filter(is_active=True).count(),
        "staff": staff_for(organization, status="active").count(),
        "admins": active_admin_count(organization),
    }


def program_of(organization: Organization, pk: int) -> Program:
    """One of the organization's programs; raises Program.DoesNotExist otherwise."""
    return Program.objects.get(organization=organization, pk=pk)


def location_of(organization: Organization, pk: int) -> Location:
    """One of the organization's locations; raises Location.DoesNotExist otherwise."""
    return Location.objects.get(organization=organization, pk=pk)


def membership_of(organization: Organization, user: User, pk: int) -> Membership:
    """One of the account's roles in the organization; Membership.DoesNotExist otherwise."""
    return Membership.objects.get(pk=pk, user=user, organization=organization)


def to_edit(instance: M) -> M:
    """A fresh copy of a row for a form to change, so that the page around the form
    still shows the saved values when the form is refused."""
    return type(instance)._default_manager.get(pk=instance.pk)
