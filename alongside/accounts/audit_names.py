"""Staff and their roles as the audit browser names them (`alongside.audit.readable`),
for staff of the viewer's organizations."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.accounts.models import Membership, Role, User
from alongside.accounts.scope import scope_for
from alongside.audit.readable import ObjectNamer, int_ids, object_namers


def user_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    users = User.objects.filter(
        pk__in=int_ids(ids), memberships__organization_id__in=scope_for(viewer).organization_ids
    ).distinct()
    return {
        str(user.pk): _("Staff: %(name)s (%(username)s)")
        % {"name": user, "username": user.username}
        for user in users.only("display_name", "first_name", "last_name", "username")
    }


def membership_names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
    roles = dict(Role.choices)
    rows = Membership.objects.filter(
        pk__in=int_ids(ids), organization_id__in=scope_for(viewer).organization_ids
    ).values_list("pk", "role", "user__username", "program__name", "organization__name")
    return {
        str(pk): _("Role: %(role)s in %(where)s for %(username)s")
        % {"role": roles.get(role, role), "where": program or organization, "username": username}
        for pk, role, username, program, organization in rows
    }


def register() -> None:
    object_namers.register(ObjectNamer(key="accounts.user", names=user_names))
    object_namers.register(ObjectNamer(key="accounts.membership", names=membership_names))
