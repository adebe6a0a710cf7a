"""Writes to staff accounts and their roles, done by an organization admin, and the
setting up of a new organization with its first admin, done by the system.

Each takes the acting admin (or the system) and the organization they act in,
validates, saves in a transaction and records its audit event there. Passwords are never
set or sent by an admin: a new account gets an unusable password and an email with a
one-time link to choose its own (the same token links as "forgot my password"). Only the
system may give an account a password, as the demo does for its printed logins.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alongside.accounts.actors import Actor
from alongside.accounts.models import Membership, Role, User
from alongside.accounts.scope import forget_scope, scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.actors import SystemActor, ensure_system
from alongside.lib.errors import NotPermitted
from alongside.organizations import services as organizations
from alongside.organizations.models import Location, Organization, Program

log = logging.getLogger(__name__)

STAFF_FIELDS = ("username", "first_name", "last_name", "display_name", "pronouns", "email")
# Usernames stay fixed once created, so the audit trail (which keeps the username an
# event was done under) stays easy to search.
STAFF_EDITABLE = ("first_name", "last_name", "display_name", "pronouns", "email")
PROGRAM_ROLES = tuple(role for role in Role if role != Role.ORG_ADMIN)


def _ensure_admin(actor: Actor, organization: Organization) -> None:
    if not scope_for(actor).is_admin_of(organization.pk):
        raise NotPermitted("Only this organization's admins can manage its staff.")


def _ensure_staff_of(user: User, organization: Organization) -> None:
    if not Membership.objects.filter(user=user, organization=organization).exists():
        raise NotPermitted("This account has no role in this organization.")


def can_manage_account(actor: Actor, user: User) -> bool:
    """Whether the actor may change the account itself (details, activation, sign-in
    link): only when every organization it works in is one the actor administers, so
    that an admin elsewhere cannot take over an account by changing its email."""
    if (user.is_superuser or user.is_staff) and not getattr(actor, "is_superuser", False):
        return False  # server operators' accounts are out of an organization's reach
    admin_of = scope_for(actor).admin_organization_ids
    if not admin_of:
        return False
    return not Membership.objects.filter(user=user).exclude(organization_id__in=admin_of).exists()


def _ensure_manageable(actor: Actor, user: User) -> None:
    if not can_manage_account(actor, user):
        raise NotPermitted(
            "This account also works with another organization, so only an administrator "
            "of every organization it works with can change it."
        )


def _assign(user: User, data: Mapping[str, Any], allowed: tuple[str, ...]) -> list[str]:
    changed = []
    for name in allowed:
        if name in data and getattr(user, name) != data[name]:
            setattr(user, name, data[name])
            changed.append(name)
    return changed


def _check_unique(user: User) -> None:
    errors: dict[str, str] = {}
    others = User.objects.exclude(pk=user.pk) if user.pk else User.objects.all()
    if others.filter(username__iexact=user.username).exists():
        errors["username"] = "An account with this username already exists."
    if user.email and others.filter(email__iexact=user.email).exists():
        errors["email"] = "Another account already uses this email address."
    if errors:
        raise ValidationError(errors)


def _forget(actor: Actor, user: User) -> None:
    forget_scope(user)
    if getattr(actor, "pk", None) == user.pk:
        forget_scope(actor)


def _role_detail(membership: Membership) -> dict[str, Any]:
    return {
        "user_id": membership.user_id,
        "username": membership.user.username,
        "role": membership.role,
        "program_id": membership.program_id,
    }


@transaction.atomic
def staff_create(
    *,
    actor: Actor,
    organization: Organization,
    data: Mapping[str, Any],
    role: str,
    program: Program | None = None,
) -> User:
    """Create a staff account with its first role, and email them a link to choose
    their password once the account is committed."""
    _ensure_admin(actor, organization)
    user = _account_create(actor=actor, organization=organization, data=data)
    _grant(actor=actor, organization=organization, user=user, role=role, program=program)
    _send_link_on_commit(user, organization, actor, welcome=True)
    return user


def _account_create(
    *,
    actor: Actor,
    organization: Organization,
    data: Mapping[str, Any],
    password_hash: str | None = None,
) -> User:
    user = User(is_active=True)
    changed = _assign(user, data, STAFF_FIELDS)
    if not user.email:
        raise ValidationError({"email": "An email address is needed to send the sign-in link."})
    if password_hash is None:
        user.set_unusable_password()
    else:
        identify_hasher(password_hash)  # a hash from make_password, never the password itself
        user.password = password_hash
        changed.append("password")
    user.full_clean()
    _check_unique(user)
    user.save()
    audit.record(
        actor=actor, action=Action.CREATE, obj=user, organization_id=organization.pk, fields=changed
    )
    return user


@transaction.atomic
def staff_provision(
    *,
    actor: SystemActor,
    organization: Organization,
    data: Mapping[str, Any],
    roles: Sequence[tuple[str, Program | None]],
    password_hash: str | None = None,
) -> User:
    """Create a staff account with its roles (role, program or None for an organization
    admin) on the system's authority: an organization's first admin, the demo's staff.
    Validated and audited as in staff_create. With a password hash (from make_password:
    hash once and share it, since hashing is slow on purpose) the account can sign in
    straight away; without one it is emailed a link to choose a password."""
    ensure_system(actor)
    if not roles:
        raise ValidationError("An account needs at least one role, so it is listed as staff.")
    user = _account_create(
        actor=actor, organization=organization, data=data, password_hash=password_hash
    )
    for role, program in roles:
        _grant(actor=actor, organization=organization, user=user, role=role, program=program)
    if password_hash is None:
        _send_link_on_commit(user, organization, actor, welcome=True)
    return user


@dataclass(frozen=True)
class Bootstrapped:
    organization: Organization
    programs: list[Program]
    locations: list[Location]
    admin: User


@transaction.atomic
def organization_bootstrap(
    *,
    actor: SystemActor,
    data: Mapping[str, Any],
    programs: Sequence[Mapping[str, Any]],
    locations: Sequence[Mapping[str, Any]] = (),
    admin: Mapping[str, Any],
    admin_password_hash: str | None = None,
) -> Bootstrapped:
    """Set up a new organization: its settings (name, slug, person_label), programs and
    locations, and its first admin, who runs it from the app from then on. Done by the
    system, since there is no admin yet; every step is validated and audited as when an
    admin does it, and all of it or none is saved."""
    organization, made_programs, made_locations = organizations.organization_create(
        actor=actor, data=data, programs=programs, locations=locations
    )
    first_admin = staff_provision(
        actor=actor,
        organization=organization,
        data=admin,
        roles=[(Role.ORG_ADMIN, None)],
        password_hash=admin_password_hash,
    )
    return Bootstrapped(organization, made_programs, made_locations, first_admin)


@transaction.atomic
def staff_update(
    *, actor: Actor, organization: Organization, user: User, data: Mapping[str, Any]
) -> User:
    _ensure_admin(actor, organization)
    _ensure_staff_of(user, organization)
    _ensure_manageable(actor, user)
    current = User.objects.select_for_update().get(pk=user.pk)
    changed = _assign(current, data, STAFF_EDITABLE)
    if changed:
        current.full_clean()
        _check_unique(current)
        current.save(update_fields=changed)
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            obj=current,
            organization_id=organization.pk,
            fields=changed,
        )
    return current


@transaction.atomic
def staff_set_active(*, actor: Actor, organization: Organization, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account. Nothing is deleted: the account, its roles
    and everything it did stay; a deactivated account cannot sign in."""
    _ensure_admin(actor, organization)
    _ensure_staff_of(user, organization)
    _ensure_manageable(actor, user)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    current = User.objects.select_for_update().get(pk=user.pk)
    if current.is_active == active:
        return current
    if not active:
        if current.pk == getattr(actor, "pk", None):
            raise ValidationError("You cannot deactivate your own account.")
        if _is_last_active_admin(current, organization):
            raise ValidationError(
                f"{current} is this organization's only active admin. "
                "Make someone else an organization admin first."
            )
    current.is_active = active
    current.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=Action.UPDATE,
        obj=current,
        organization_id=organization.pk,
        fields=["is_active"],
    )
    _forget(actor, current)
    return current


@transaction.atomic
def staff_send_set_password_link(*, actor: Actor, organization: Organization, user: User) -> None:
    """Email a fresh one-time link to choose a password (for example when the first one
    expired). The current password, if any, keeps working until a new one is chosen."""
    _ensure_admin(actor, organization)
    _ensure_staff_of(user, organization)
    _ensure_manageable(actor, user)
    if not user.is_active:
        raise ValidationError("Reactivate the account before sending a sign-in link.")
    if not user.email:
        raise ValidationError("This account has no email address. Add one first.")
    audit.record(
        actor=actor,
        action=Action.UPDATE,
        obj=user,
        organization_id=organization.pk,
        detail={"set_password_link": "sent"},
    )
    _send_link_on_commit(user, organization, actor, welcome=False)


def _is_last_active_admin(user: User, organization: Organization) -> bool:
    admins = Membership.objects.filter(
        organization=organization, role=Role.ORG_ADMIN, user__is_active=True
    )
    return admins.filter(user=user).exists() and not admins.exclude(user=user).exists()


def _grant(
    *, actor: Actor, organization: Organization, user: User, role: str, program: Program | None
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": "Choose one of the roles listed."})
    if role == Role.ORG_ADMIN:
        program = None
    elif program is None:
        raise ValidationError({"program": "Choose the program this role is in."})
    elif program.organization_id != organization.pk:
        raise NotPermitted("That program belongs to another organization.")
    elif not program.is_active:
        raise ValidationError({"program": "This program is inactive. Reactivate it first."})
    taken = Membership.objects.filter(
        user=user, organization=organization, role=role, program=program
    )
    if taken.exists():
        where = program.name if program else organization.name
        raise ValidationError(f"{user} is already {Role(role).label.lower()} in {where}.")
    membership = Membership(user=user, organization=organization, program=program, role=role)
    membership.full_clean()
    membership.save()
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=membership,
        organization_id=organization.pk,
        fields=["role", "program"] if program else ["role"],
        detail=_role_detail(membership),
    )
    _forget(actor, user)
    return membership


@transaction.atomic
def role_grant(
    *,
    actor: Actor,
    organization: Organization,
    user: User,
    role: str,
    program: Program | None = None,
) -> Membership:
    """Give a staff member a role in one of the organization's programs, or make them
    an organization admin."""
    _ensure_admin(actor, organization)
    _ensure_staff_of(user, organization)
    return _grant(actor=actor, organization=organization, user=user, role=role, program=program)


@transaction.atomic
def role_revoke(*, actor: Actor, organization: Organization, membership: Membership) -> None:
    _ensure_admin(actor, organization)
    if membership.organization_id != organization.pk:
        raise NotPermitted("That role belongs to another organization.")
    # Locking the organization serializes revocations, so two admins cannot each remove
    # the other and leave the organization with none.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    current = Membership.objects.select_related("user").filter(pk=membership.pk).first()
    if current is None:
        return
    user = current.user
    if current.role == Role.ORG_ADMIN:
        if (
            user.pk == getattr(actor, "pk", None)
            and not Membership.objects.filter(user=user, role=Role.ORG_ADMIN)
            .exclude(pk=current.pk)
            .exists()
        ):
            raise ValidationError(
                "You cannot remove your own last organization admin role. "
                "Ask another admin to do it."
            )
        if _is_last_active_admin(user, organization):
            raise ValidationError(
                f"{user} is this organization's only active admin. "
                "Make someone else an organization admin first."
            )
    roles_left = Membership.objects.filter(user=user).exclude(pk=current.pk)
    if not roles_left.exists():
        raise ValidationError(
            f"This is {user}'s last role. An account keeps at least one role so it stays "
            "listed here; to end their access, deactivate the account instead."
        )
    audit.record(
        actor=actor,
        action=Action.DELETE,
        obj=current,
        organization_id=organization.pk,
        detail=_role_detail(current),
    )
    current.delete()
    _forget(actor, user)


def set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def _send_link_on_commit(
    user: User, organization: Organization, actor: Actor, *, welcome: bool
) -> None:
    def send() -> None:
        # The token is made after commit, from the password hash as committed.
        fresh = User.objects.get(pk=user.pk)
        context = {
            "user": fresh,
            "organization": organization,
            "admin_name": str(actor),
            "link": set_password_link(fresh),
            "hours": max(1, round(settings.PASSWORD_RESET_TIMEOUT / 3600)),
            "welcome": welcome,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("organizations/email/set_password_subject.txt", context)
        body = render_to_string("organizations/email/set_password_body.txt", context)
        send_mail(" ".join(subject.split()), body, None, [fresh.email])

    # robust: a mail server that is down must not turn a committed account into an error
    # page; the admin can send a new link from the staff page.
    transaction.on_commit(send, robust=True)
