"""Where a goal can start: a need from the person's screenings (through intake's own
selector, which leaves out what the viewer may not see), a template from the program's
own library (`GoalTemplate`, kept by its admins under /manage/<org>/plans/), or one of
the shipped templates below. Each only fills the form in: the person's words are always
theirs to write, so a suggestion goes in the staff restatement, never in their words.
A step can start from the steps the program's templates (and the shipped ones) list for
the goal's life domain."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.accounts.actors import Actor
from alongside.intake.models import Need
from alongside.intake.selectors import person_needs
from alongside.lib.params import id_or_none
from alongside.plans.models import Goal, GoalTemplate


@dataclass(frozen=True)
class ShippedTemplate:
    key: str
    title: str | Promise
    domain: str
    restatement: str | Promise
    importance: str = Goal.Importance.BOTH
    gas_0: str | Promise = ""
    steps: tuple[str | Promise, ...] = ()


# The shipped templates, offered to every program beside its own library.
TEMPLATES = {
    t.key: t
    for t in (
        ShippedTemplate(
            key="food",
            title=_("Enough food each week"),
            domain=Goal.Domain.FOOD,
            restatement=_("Have enough food for the household every week."),
            steps=(_("Apply for SNAP"), _("Find the nearest food pantry and its hours")),
        ),
        ShippedTemplate(
            key="housing",
            title=_("A stable place to live"),
            domain=Goal.Domain.HOUSING,
            restatement=_("Move into stable housing that the person can afford."),
            steps=(
                _("Gather ID and proof of income"),
                _("Apply for housing assistance"),
            ),
        ),
    )
}

# What a need suggests: the life domain and a template when one fits.
FROM_NEED: dict[str, tuple[str, str | None]] = {
    Need.Kind.FOOD_INSECURITY: (Goal.Domain.FOOD, "food"),
    Need.Kind.HOUSING_INSTABILITY: (Goal.Domain.HOUSING, "housing"),
    Need.Kind.UTILITIES: (Goal.Domain.HOUSING, None),
    Need.Kind.TRANSPORTATION: (Goal.Domain.TRANSPORTATION, None),
    Need.Kind.UNSAFE_RELATIONSHIP: (Goal.Domain.SAFETY, None),
    Need.Kind.DEPRESSION: (Goal.Domain.MENTAL_HEALTH, None),
    Need.Kind.ANXIETY: (Goal.Domain.MENTAL_HEALTH, None),
}


@dataclass(frozen=True)
class Suggestion:
    """A need a goal could start from, as the viewer may see it."""

    need_id: int
    label: str


def need_suggestions(viewer: Actor, person_id: int) -> list[Suggestion]:
    """The person's open needs the viewer may see (intake restricts the others)."""
    found = []
    for need in person_needs(viewer, person_id):
        if isinstance(need, Need):
            found.append(Suggestion(need.pk, need.get_kind_display()))
    return found


@dataclass(frozen=True)
class Choice:
    """A template on the goal form: `key` is a shipped template's name, or the id of
    one from the program's library."""

    key: str
    title: str | Promise


def goal_templates(program_id: int) -> list[Choice]:
    """The program's own active templates, then the shipped ones. One query."""
    own = GoalTemplate.objects.filter(program_id=program_id, is_active=True).only("pk", "title")
    return [Choice(str(t.pk), t.title) for t in own] + [
        Choice(t.key, t.title) for t in TEMPLATES.values()
    ]


def _template_initial(program_id: int, key: str) -> dict[str, str]:
    if key in TEMPLATES:
        t = TEMPLATES[key]
        found = {"domain": t.domain, "restatement": str(t.restatement), "importance": t.importance}
        return found | ({"gas_0": str(t.gas_0)} if t.gas_0 else {})
    own = GoalTemplate.objects.filter(program_id=program_id, is_active=True, pk=key).first()
    if own is None:
        return {}
    found = {"domain": own.domain, "restatement": own.restatement, "importance": own.importance}
    return found | ({"gas_0": own.gas_0} if own.gas_0 else {})


def initial_from(viewer: Actor, person_id: int, program_id: int, source: str) -> dict[str, str]:
    """The goal form's starting values for `source`: "need:<id>", "template:<key or
    id>", or anything else (nothing)."""
    kind, _sep, value = source.partition(":")
    if kind == "template" and (value in TEMPLATES or id_or_none(value) is not None):
        return _template_initial(program_id, value)
    need_id = id_or_none(value)
    if kind == "need" and need_id is not None:
        for need in person_needs(viewer, person_id):
            if isinstance(need, Need) and need.pk == need_id:
                domain, template = FROM_NEED.get(need.kind, (Goal.Domain.OTHER, None))
                initial = {"domain": domain}
                if template:
                    initial["restatement"] = str(TEMPLATES[template].restatement)
                return initial
    return {}


def step_suggestions(program_id: int, domain: str) -> list[str]:
    """The steps the program's active templates and the shipped ones list for goals in
    `domain`, each once, in order. One query."""
    found: list[str] = []
    own = GoalTemplate.objects.filter(program_id=program_id, is_active=True, domain=domain)
    lines = [line for t in own for line in t.step_lines]
    lines += [str(x) for t in TEMPLATES.values() if t.domain == domain for x in t.steps]
    for line in lines:
        if line not in found:
            found.append(line)
    return found
