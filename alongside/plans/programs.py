"""How a program runs its plans, set by its organization's admins: its `PlanSettings`
(agreement, signature, approval, days between reviews) and its library of goal and step
templates. Each change is audited with the fields it changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.lib.validation import full_clean
from alongside.organizations import program_settings
from alongside.organizations.models import Program
from alongside.plans.models import GoalTemplate, PlanSettings

ADMINS_ONLY = "Only an organization admin can change how a program runs plans."
TEMPLATE_FIELDS = ("title", "domain", "importance", "restatement", "gas_0", "steps", "is_active")


def settings_for(program_id: int) -> PlanSettings:
    """The program's plan settings, or the defaults (unsaved) when it has none."""
    return program_settings.settings_for(PlanSettings, program_id)


def settings_of(program: Program) -> PlanSettings:
    """`settings_for` a program read with its settings
    (`select_related("plan_settings")`): no query."""
    try:
        return program.plan_settings
    except PlanSettings.DoesNotExist:
        return PlanSettings(program=program)


def _ensure_admin(actor: Actor, organization_id: int) -> None:
    if not scope_for(actor).is_admin_of(organization_id):
        raise NotPermitted(ADMINS_ONLY)


def plan_settings_update(*, actor: Actor, program_id: int, data: Mapping[str, Any]) -> PlanSettings:
    """Set how a program runs its plans: for its organization's admins."""
    settings = settings_for(program_id)
    for name in ("requires_agreement", "requires_signature", "requires_approval"):
        if name in data:
            setattr(settings, name, bool(data[name]))
    if "review_interval_days" in data:
        settings.review_interval_days = data["review_interval_days"]
    return program_settings.settings_save(
        actor=actor, settings=settings, fields=data, refusal=ADMINS_ONLY
    )


def goal_template_save(
    *,
    actor: Actor,
    program: Program,
    data: Mapping[str, Any],
    template: GoalTemplate | None = None,
    expected_version: int | None = None,
) -> GoalTemplate:
    """Add a goal template to a program's library, or change one (`template`, at the
    version it was read). Set one aside with `is_active`; none is deleted, so the goals
    that started from it keep saying where they came from."""
    _ensure_admin(actor, program.organization_id)
    with transaction.atomic():
        if template is None:
            template = GoalTemplate(program=program)
            changed = [k for k in TEMPLATE_FIELDS if k in data]
        else:
            template = GoalTemplate.objects.select_for_update().get(pk=template.pk, program=program)
            if expected_version is not None and expected_version != template.version:
                raise StaleVersion(template.version)
            changed = [k for k in TEMPLATE_FIELDS if k in data and getattr(template, k) != data[k]]
        for name in changed:
            setattr(template, name, data[name])
        if not template.title.strip():
            raise ValidationError({"title": _("Give the template a title.")})
        if (
            GoalTemplate.objects.filter(program=program, title__iexact=template.title.strip())
            .exclude(pk=template.pk)
            .exists()
        ):
            raise ValidationError(
                {"title": _("This program already has a template with this title.")}
            )
        full_clean(template)
        creating = template.pk is None
        if not creating and not changed:
            return template
        if not creating:
            template.version += 1
        template.save()
        audit.record(
            actor=actor,
            action=Action.CREATE if creating else Action.UPDATE,
            obj=template,
            organization_id=program.organization_id,
            fields=[] if creating else changed,
        )
    return template
