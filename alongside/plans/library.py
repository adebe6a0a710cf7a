"""Where a goal can start: a need from the person's screenings (through intake's own
selector, which leaves out what the viewer may not see), or one of the shipped goal
templates. Either only fills the form in: the person's words are always theirs to write,
so a suggestion goes in the staff restatement, never in their words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.accounts.actors import Actor
from alongside.intake.models import Need
from alongside.intake.selectors import person_needs
from alongside.plans.models import Goal


@dataclass(frozen=True)
class GoalTemplate:
    key: str
    title: str | Promise
    domain: str
    restatement: str | Promise
    importance: str = Goal.Importance.BOTH


# A couple of examples; a program's own library is to come (docs/plans.md).
TEMPLATES = {
    t.key: t
    for t in (
        GoalTemplate(
            key="food",
            title=_("Enough food each week"),
            domain=Goal.Domain.FOOD,
            restatement=_("Have enough food for the household every week."),
        ),
        GoalTemplate(
            key="housing",
            title=_("A stable place to live"),
            domain=Goal.Domain.HOUSING,
            restatement=_("Move into stable housing that the person can afford."),
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


def initial_from(viewer: Actor, person_id: int, source: str) -> dict[str, str]:
    """The goal form's starting values for `source`: "need:<id>", "template:<key>", or
    anything else (nothing)."""
    kind, _sep, value = source.partition(":")
    if kind == "template" and value in TEMPLATES:
        t = TEMPLATES[value]
        return {"domain": t.domain, "restatement": str(t.restatement), "importance": t.importance}
    if kind == "need" and value.isdigit():
        for need in person_needs(viewer, person_id):
            if isinstance(need, Need) and need.pk == int(value):
                domain, template = FROM_NEED.get(need.kind, (Goal.Domain.OTHER, None))
                initial = {"domain": domain}
                if template:
                    initial["restatement"] = str(TEMPLATES[template].restatement)
                return initial
    return {}
