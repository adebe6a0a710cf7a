"""An organization's own instruments, built in the app."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.intake import definitions
from alongside.intake.models import Instrument, InstrumentVersion
from alongside.intake.services.instruments import instrument_version_set_status
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.organizations.models import Organization

# ---------------------------------------------------------------- instrument builder
#
# An organization's own instruments, built in the app. Only that organization's admins
# may build them (the same rule as every /manage/ screen: an instrument becomes available
# to every program of the organization). Shipped instruments (no organization) are never
# edited here; they can be copied into an instrument of the organization's own.


class DraftChanged(StaleVersion):
    """The draft changed since the editor opened it; refuse rather than overwrite."""

    def __init__(self) -> None:
        Exception.__init__(self, "Someone else changed this draft since you opened it.")
        self.current_version = 0


def can_build(user: Any, organization_id: int | None) -> bool:
    return organization_id is not None and scope_for(user).is_admin_of(organization_id)


def _ensure_builder(actor: Any, organization_id: int | None) -> None:
    if not can_build(actor, organization_id):
        raise NotPermitted(_("Only this organization's admins can build its instruments."))


def draft_token(version: InstrumentVersion) -> str:
    """A fingerprint of everything the builder shows of a version: its status and
    definition, and the instrument's name and source. Every edit sends the fingerprint it
    was made from; a different one now means someone else saved in between."""
    instrument = version.instrument
    state = [
        version.status,
        instrument.title,
        instrument.publisher,
        instrument.citation,
        version.definition,
    ]
    canonical = json.dumps(state, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _unique_slug(organization: Organization, title: str) -> str:
    base = slugify(f"{organization.slug}-{title}")[:54].strip("-") or organization.slug
    slug, number = base, 2
    while Instrument.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _next_label(instrument: Instrument) -> str:
    labels = set(instrument.versions.values_list("label", flat=True))
    number = max((int(label) for label in labels if label.isdigit()), default=0) + 1
    while str(number) in labels:
        number += 1
    return str(number)


def _draft_create(
    actor: Any,
    instrument: Instrument,
    label: str,
    definition: dict[str, Any],
    detail: dict[str, Any],
) -> InstrumentVersion:
    version = InstrumentVersion(
        instrument=instrument,
        label=label,
        definition=definition,
        status=InstrumentVersion.Status.DRAFT,
    )
    version.full_clean()
    version.save()
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=version,
        organization_id=instrument.organization_id,
        detail={"label": label, **detail},
    )
    return version


@transaction.atomic
def instrument_create(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    definition: dict[str, Any],
    publisher: str = "",
    citation: str = "",
    source: str = "builder",
) -> InstrumentVersion:
    """A new instrument of the organization's own, as a draft version 1. The definition
    must be valid (a draft is never stored broken): ValidationError lists its problems."""
    _ensure_builder(actor, organization.pk)
    code = definition.get("code") if isinstance(definition, dict) else None
    instrument = Instrument(
        organization=organization,
        slug=_unique_slug(organization, title),
        title=title.strip(),
        publisher=publisher.strip(),
        citation=citation.strip(),
        code=str((code or {}).get("code", ""))[:40] if isinstance(code, dict) else "",
    )
    instrument.full_clean()
    instrument.save()
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=instrument,
        organization_id=organization.pk,
        detail={"source": source},
    )
    return _draft_create(actor, instrument, "1", definition, {"source": source})


@transaction.atomic
def instrument_copy(
    *, actor: Any, organization: Organization, version: InstrumentVersion
) -> InstrumentVersion:
    """“Copy to edit”: a new instrument of the organization's own whose draft starts as
    this version's definition (a shipped instrument's, or one of the organization's)."""
    source = version.instrument
    if source.organization_id not in (None, organization.pk):
        raise NotPermitted(_("That instrument belongs to another organization."))
    return instrument_create(
        actor=actor,
        organization=organization,
        title=f"{source.title} (copy)"[:200],
        definition=copy.deepcopy(version.definition),
        publisher=source.publisher,
        citation=source.citation,
        source=f"copy of {source.slug} version {version.label}",
    )


@transaction.atomic
def instrument_new_version(*, actor: Any, version: InstrumentVersion) -> InstrumentVersion:
    """A draft copy of a published (active or retired) version; published versions are
    never edited. An instrument has at most one draft at a time."""
    instrument = Instrument.objects.select_for_update().get(pk=version.instrument_id)
    _ensure_builder(actor, instrument.organization_id)
    version = InstrumentVersion.objects.get(pk=version.pk)
    if version.status == InstrumentVersion.Status.DRAFT:
        raise ValidationError(_("This version is still a draft: edit it instead."))
    draft = instrument.versions.filter(status=InstrumentVersion.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            _("Version %(label)s is already a draft. Edit it, or retire it first.")
            % {"label": draft.label}
        )
    return _draft_create(
        actor,
        instrument,
        _next_label(instrument),
        copy.deepcopy(version.definition),
        {"from_version": version.label},
    )


def _locked_draft(version: InstrumentVersion, expected: str | None) -> InstrumentVersion:
    current = (
        InstrumentVersion.objects.select_for_update()
        .select_related("instrument")
        .get(pk=version.pk)
    )
    if current.status != InstrumentVersion.Status.DRAFT:
        raise ValidationError(
            _(
                "Version %(label)s is no longer a draft (%(status)s), so it cannot change. "
                "Start a new version to make changes."
            )
            % {"label": current.label, "status": current.get_status_display()}
        )
    if expected is not None and draft_token(current) != expected:
        raise DraftChanged
    return current


INSTRUMENT_DETAILS = ("title", "publisher", "citation")


@transaction.atomic
def instrument_draft_edit(
    *,
    actor: Any,
    version: InstrumentVersion,
    expected: str | None,
    edit: Callable[[dict[str, Any]], dict[str, Any]],
    what: str,
    details: Mapping[str, str] | None = None,
) -> InstrumentVersion:
    """Change a draft: `edit` turns its current definition into the new one (see
    `drafting`), and `details` may change the instrument's title, publisher and citation.
    The whole result is validated before anything is saved. `expected` is the
    `draft_token` the editor started from: DraftChanged when it no longer matches."""
    current = _locked_draft(version, expected)
    instrument = current.instrument
    _ensure_builder(actor, instrument.organization_id)
    try:
        definition = edit(copy.deepcopy(current.definition))
    except LookupError as error:
        raise ValidationError(str(error).strip("'\"")) from error
    problems = definitions.validate_definition(definition)
    if problems:
        raise ValidationError(problems)
    changed = [
        name
        for name in INSTRUMENT_DETAILS
        if details is not None
        and name in details
        and getattr(instrument, name) != details[name].strip()
    ]
    for name in changed:
        setattr(instrument, name, details[name].strip())  # type: ignore[index]
    if changed:
        instrument.full_clean()
        instrument.save(update_fields=changed)
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            obj=instrument,
            organization_id=instrument.organization_id,
            fields=changed,
        )
    if definition != current.definition:
        current.definition = definition
        current.full_clean()
        current.save(update_fields=["definition"])
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            obj=current,
            organization_id=instrument.organization_id,
            fields=["definition"],
            detail={"change": what},
        )
    return current


def _status_change(
    actor: Any, version: InstrumentVersion, status: str, expected: str | None
) -> InstrumentVersion:
    current = (
        InstrumentVersion.objects.select_for_update()
        .select_related("instrument")
        .get(pk=version.pk)
    )
    instrument = current.instrument
    _ensure_builder(actor, instrument.organization_id)
    if expected is not None and draft_token(current) != expected:
        raise DraftChanged
    current = instrument_version_set_status(actor=actor, version=current, status=status)
    # The status change above is recorded on the version; this puts it in the
    # organization's own audit trail too.
    audit.record(
        actor=actor,
        action=Action.UPDATE,
        obj=instrument,
        organization_id=instrument.organization_id,
        detail={"version": current.label, "status": status},
    )
    return current


@transaction.atomic
def instrument_publish(
    *, actor: Any, version: InstrumentVersion, expected: str | None = None
) -> InstrumentVersion:
    """Make a draft the active version, retiring the one active before it (responses
    already started on that one keep it)."""
    current = (
        InstrumentVersion.objects.select_for_update()
        .select_related("instrument")
        .get(pk=version.pk)
    )
    _ensure_builder(actor, current.instrument.organization_id)
    if current.status != InstrumentVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    return _status_change(actor, current, InstrumentVersion.Status.ACTIVE, expected)


@transaction.atomic
def instrument_retire(*, actor: Any, version: InstrumentVersion) -> InstrumentVersion:
    """Stop offering a version (or set a draft aside). Nothing is deleted."""
    current = (
        InstrumentVersion.objects.select_for_update()
        .select_related("instrument")
        .get(pk=version.pk)
    )
    _ensure_builder(actor, current.instrument.organization_id)
    if current.status == InstrumentVersion.Status.RETIRED:
        raise ValidationError(_("This version is already retired."))
    return _status_change(actor, current, InstrumentVersion.Status.RETIRED, None)
