"""An organization's respectful-language list: the shipped terms it keeps or turns off
for itself, and its own. Writes are by its admins (the /manage/ pages), audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.encounters.models import LabelingTerm
from alongside.lib.errors import NotPermitted
from alongside.lib.validation import full_clean
from alongside.organizations.models import Organization

TERM_FIELDS = ("term", "alternative", "why", "source")


@dataclass(frozen=True)
class ListedTerm:
    """A term as an organization's list shows it: shipped or its own, on or off."""

    row: LabelingTerm  # the row to turn on or off: the organization's own, or the shipped one
    shipped: bool
    active: bool


def terms_listed(organization_id: int) -> list[ListedTerm]:
    """Every term the organization's list holds, by term, in one query."""
    rows = LabelingTerm.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    )
    shipped: dict[str, LabelingTerm] = {}
    own: dict[str, LabelingTerm] = {}
    for row in rows:
        (shipped if row.organization_id is None else own)[row.term.lower()] = row
    listed = [
        ListedTerm(row=own.get(key, row), shipped=True, active=own.get(key, row).is_active)
        for key, row in shipped.items()
    ]
    listed += [
        ListedTerm(row, False, row.is_active) for key, row in own.items() if key not in shipped
    ]
    return sorted(listed, key=lambda t: t.row.term.lower())


def _admin(actor: Any, organization: Organization) -> None:
    if not scope_for(actor).is_admin_of(organization.pk):
        raise NotPermitted("Only the organization's admins change its word list.")


@transaction.atomic
def term_add(*, actor: Any, organization: Organization, data: Mapping[str, Any]) -> LabelingTerm:
    """An organization's own term, with its alternative and why."""
    _admin(actor, organization)
    term = LabelingTerm(organization=organization, **{k: data.get(k, "") for k in TERM_FIELDS})
    term.term = term.term.strip()
    taken = LabelingTerm.objects.filter(
        Q(organization__isnull=True) | Q(organization=organization), term__iexact=term.term
    )
    if taken.exists():
        raise ValidationError({"term": "This term is already on the list."})
    full_clean(term)
    term.save()
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=term,
        organization_id=organization.pk,
        fields=TERM_FIELDS,
    )
    return term


@transaction.atomic
def term_set_active(
    *, actor: Any, organization: Organization, term: LabelingTerm, active: bool
) -> LabelingTerm:
    """Turn a term on or off for the organization. A shipped term is turned off by a row
    of the organization's own that is not active; the shipped row is never changed."""
    _admin(actor, organization)
    if term.organization_id not in (None, organization.pk):
        raise LabelingTerm.DoesNotExist("Another organization's term")
    if term.organization_id is None:
        term, _ = LabelingTerm.objects.get_or_create(
            organization=organization,
            term=term.term,
            defaults={
                "alternative": term.alternative,
                "why": term.why,
                "source": term.source,
            },
        )
    term.is_active = active
    term.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=Action.UPDATE,
        obj=term,
        organization_id=organization.pk,
        fields=["is_active"],
        detail={"active": active},
    )
    return term


def term_for(organization: Organization, pk: int) -> LabelingTerm:
    """A term on the organization's list (shipped or its own); DoesNotExist otherwise."""
    return LabelingTerm.objects.get(
        Q(organization__isnull=True) | Q(organization=organization), pk=pk
    )
