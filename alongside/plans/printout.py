"""The plan the person keeps: a PDF written for them, not about them ("My goals", "What I
will do", "What my team will do", "Who to call"), in their language, with the name they
use. Read like the plan page (scoped, audited as a view of the person, a sensitive goal
left out for a viewer off the care team) and drawn by WeasyPrint as tagged PDF/UA, so a
screen reader can read it. WeasyPrint is imported only when a plan is printed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alongside.accounts.actors import Actor
from alongside.accounts.models import User
from alongside.people.models import Person, PersonLanguage, SupportContact
from alongside.plans import display, selectors
from alongside.plans.models import Plan, Step

# The languages a plan can be printed in: those the interface is translated into.
PRINT_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
PDF_VARIANT = "pdf/ua-1"


def language_for(person: Person, asked: str = "") -> str:
    """`asked` when it is a print language, else the person's preferred language when
    it is one, else the site's. The person's languages are read (one query) unless
    prefetched."""
    if asked in PRINT_LANGUAGES:
        return asked
    for spoken in _languages(person):
        if spoken.language in PRINT_LANGUAGES:
            return spoken.language
    return settings.LANGUAGE_CODE


def _languages(person: Person) -> list[PersonLanguage]:
    """The person's languages, preferred first."""
    return sorted(person.languages.all(), key=lambda x: (not x.is_preferred, x.pk))


def language_choices(person: Person) -> list[tuple[str, str, bool]]:
    """(code, name in that language, chosen) for the print form on the plan page."""
    chosen = language_for(person)
    choices = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        choices.append((code, info["name_local"].capitalize(), code == chosen))
    return choices


def _step_line(step: dict[str, Any], goal_number: int) -> dict[str, Any]:
    return {
        "text": step["text"],
        "who": step["owner"],
        "due_on": step["due_on"],
        "done": step["done_at"] is not None,
        "goal": goal_number,
    }


def _contacts(plan: Plan, steps: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Who to call: the person's coordinator first, then the staff (still working here)
    and the people who matter to them with a step in the plan. Two queries."""
    staff_ids = {s["owner_user_id"] for s in steps if s["owner_user_id"]}
    coordinator_id = plan.enrollment.primary_coordinator_id
    if coordinator_id:
        staff_ids.add(coordinator_id)
    staff = sorted(
        User.objects.filter(pk__in=staff_ids, is_active=True),
        key=lambda u: (u.pk != coordinator_id, str(u)),
    )
    found = [
        {
            "name": str(u),
            "role": "coordinator" if u.pk == coordinator_id else "team",
            "phone": u.phone,
            "email": u.email,
        }
        for u in staff
    ]
    contact_ids = {s["owner_contact_id"] for s in steps if s["owner_contact_id"]}
    found += [
        {"name": c.name, "role": "support", "phone": c.phone, "email": c.email}
        for c in SupportContact.objects.filter(
            person_id=plan.person_id, pk__in=contact_ids, may_involve=True
        )
    ]
    return found


def plan_print(user: Actor, pk: int, asked_language: str = "") -> dict[str, Any]:
    """What the printed plan holds, as `user` may see it (a sensitive goal off the care
    team is left out and counted), audited as a view of the person. DoesNotExist for a
    plan out of scope."""
    plan, whole, shown = selectors.plan_read(user, pk, purpose="plan: print")
    today = timezone.localdate()
    view = display.readable(whole, shown, today)
    goals: list[dict[str, Any]] = []
    mine: list[dict[str, Any]] = []
    team: list[dict[str, Any]] = []
    everyone: list[dict[str, Any]] = []
    withheld = 0
    for number, goal in enumerate(view["current_goals"], start=1):
        if goal.get("restricted"):
            withheld += 1
            continue
        expected = next((text for level, text in goal["gas"] if level == "0"), "")
        goals.append({**goal, "number": number, "expected": expected})
        for step in goal["steps"]:
            everyone.append(step)
            line = _step_line(step, number)
            (mine if step["owner_kind"] == Step.Owner.PERSON else team).append(line)
    return {
        "plan": plan,
        "first_name": plan.person.first_name,
        "language": language_for(plan.person, asked_language),
        "program": plan.enrollment.program.name,
        "goals": goals,
        "mine": mine,
        "team": team,
        "withheld": withheld,
        "contacts": _contacts(plan, everyone),
        "next_review_on": view["next_review_on"] if plan.status in Plan.IN_FORCE else None,
        "printed_on": today,
        "version": plan.version,
    }


def render_html(context: dict[str, Any]) -> str:
    with translation.override(context["language"]):
        return render_to_string("plans/print/plan.html", context)


def render_pdf(context: dict[str, Any]) -> bytes:
    """The printed plan as tagged PDF/UA, in `context["language"]`."""
    import weasyprint  # noqa: PLC0415 - only printing needs WeasyPrint and its libraries

    html = weasyprint.HTML(string=render_html(context))
    pdf = html.write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return bytes(pdf)


def filename(context: dict[str, Any]) -> str:
    return f"plan-{context['plan'].pk}-{context['language']}.pdf"
