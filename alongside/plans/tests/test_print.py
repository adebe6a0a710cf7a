"""The plan the person keeps: a tagged PDF in their language, with their name and their
words, scoped and audited like the plan page. Page 1 of each language is kept as a
picture among the run's artifacts (var/screenshots/plan-print-<lang>.png)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from alongside.accounts.models import User
from alongside.audit.models import AuditEvent
from alongside.people import services as people
from alongside.plans import printout, services
from alongside.plans.models import Step
from alongside.plans.tests.factories import add_goal, fresh, start_plan

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def plan(world):
    """Lupe's plan, a goal in her Spanish words with steps for her, her coordinator and
    her sister, and a goal about substance use."""
    world.coordinator.phone = "(212) 555-0142"
    world.coordinator.save()
    people.profile_update(
        actor=world.coordinator,
        person=world.person,
        data={"hopes": "Cocinar la cena del domingo para mis hijos."},
        version=None,
    )
    ana = people.support_contact_create(
        actor=world.coordinator,
        person=world.person,
        data={"name": "Ana", "relationship": "family", "may_involve": True, "phone": "555-0199"},
    )
    plan = start_plan(world)
    food = add_goal(
        world,
        plan,
        words="Llenar el refrigerador para que mis hijos coman bien.",
        domain="food",
        profile_link="hopes",
        gas_0="Comida en casa cada semana.",
        target_date=timezone.localdate() + dt.timedelta(days=60),
    )
    add_goal(world, plan, words="Dejar de beber antes del mediodía.", domain="substance_use")
    for text, owner in (
        ("Inscribirme en SNAP", {"owner_kind": "person"}),
        ("Call the food bank", {"owner_kind": "staff", "owner_user": world.coordinator}),
        ("Drive to the pantry", {"owner_kind": "support", "owner_contact": ana}),
    ):
        services.step_add(
            actor=world.coordinator,
            goal=food,
            data={"text": text, "due_on": timezone.localdate() + dt.timedelta(days=7)} | owner,
            expected_version=None,
        )
    return fresh(plan)


def _print(client, user, plan, lang: str = ""):
    client.force_login(user)
    url = reverse("plans:print", args=[plan.pk])
    return client.get(url + (f"?lang={lang}" if lang else ""))


def _text(response) -> str:
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _picture(response, name: str) -> None:
    import pypdfium2  # noqa: PLC0415 - only this test draws PDFs

    folder = Path(os.environ.get("ALONGSIDE_SCREENSHOTS") or ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(response.content)
    document[0].render(scale=1.5).to_pil().save(folder / f"{name}.png")
    if len(document) > 1:
        document[1].render(scale=1.5).to_pil().save(folder / f"{name}-2.png")
    document.close()


def test_printed_in_spanish_it_speaks_to_her_in_her_words(client, world, plan):
    response = _print(client, world.coordinator, plan, "es")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response)
    for heading in (
        "Mi plan",
        "Mis metas",
        "Lo que haré",
        "Lo que hará mi equipo",
        "A quién llamar",
    ):
        assert heading in text
    assert "Llenar el refrigerador para que mis hijos coman bien." in text
    assert "Cocinar la cena del domingo para mis hijos." in text  # why it matters to her
    assert "Dejar de beber antes del mediodía." in text  # her care team prints it all
    assert "Lupe" in text and "Guadalupe" not in text  # the name she uses, only
    assert "Inscribirme en SNAP" in text
    assert "Casey Nguyen: Call the food bank" in text
    assert "Ana: Drive to the pantry" in text
    assert "(212) 555-0142" in text and "555-0199" in text
    _picture(response, "plan-print-es")


def test_printed_in_english_by_default_for_someone_without_a_language(client, world, plan):
    response = _print(client, world.coordinator, plan)
    text = _text(response)
    for heading in ("My plan", "My goals", "What I will do", "What my team will do", "Who to call"):
        assert heading in text
    assert "Guadalupe" not in text
    _picture(response, "plan-print-en")


def test_it_prints_in_the_persons_own_language_unless_asked(client, world, plan):
    people.language_add(
        actor=world.coordinator,
        person=world.person,
        data={"language": "es", "is_preferred": True},
    )
    assert "Mis metas" in _text(_print(client, world.coordinator, plan))
    assert "My goals" in _text(_print(client, world.coordinator, plan, "en"))
    assert "Mis metas" in _text(_print(client, world.coordinator, plan, "xx"))


def test_it_is_a_tagged_pdf_ua_document_in_her_language(client, world, plan):
    reader = pypdf.PdfReader(io.BytesIO(_print(client, world.coordinator, plan, "es").content))
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


def test_a_sensitive_goal_is_left_out_off_the_care_team(client, world, plan):
    text = _text(_print(client, world.scheduler, plan, "en"))
    assert "Llenar el refrigerador" in text
    assert "Dejar de beber" not in text
    assert "One more goal is kept with my care team" in text


def test_printing_is_scoped_and_audited(client, world, plan):
    assert _print(client, world.colleague, plan).status_code == 404
    assert _print(client, world.outsider, plan).status_code == 404
    before = AuditEvent.objects.count()
    assert _print(client, world.coordinator, plan).status_code == 200
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() > before
    assert event is not None and event.object_id == str(world.person.pk)


def test_the_plan_page_offers_to_print_in_her_language(client, world, plan):
    people.language_add(
        actor=world.coordinator,
        person=world.person,
        data={"language": "es", "is_preferred": True},
    )
    client.force_login(world.coordinator)
    body = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert reverse("plans:print", args=[plan.pk]) in body
    assert '<option value="es" lang="es" selected>Español</option>' in body


def test_the_print_makes_the_same_number_of_queries_however_full(
    world, plan, django_assert_num_queries
):
    viewer = User.objects.get(pk=world.coordinator.pk)  # a new request's: scope not read
    with django_assert_num_queries(PRINT_QUERIES):
        printout.plan_print(viewer, plan.pk, "es")
    goal = add_goal(world, plan, words="Otra meta", importance="both")
    services.step_add(
        actor=world.coordinator,
        goal=goal,
        data={"text": "Un paso", "owner_kind": "person"},
        expected_version=None,
    )
    viewer = User.objects.get(pk=world.coordinator.pk)  # a new request's: scope not read
    with django_assert_num_queries(PRINT_QUERIES):
        printout.plan_print(viewer, plan.pk, "es")


# The scope (1), the plan with its person (1), the audited read (one statement on
# PostgreSQL, three on SQLite), the staff and the people who matter to her named in it
# (2). On SQLite also her enrollments (1) and the plan's snapshot (6); on PostgreSQL
# they come with the plan (plans/snapshot_rows.py).
PRINT_QUERIES = 4 + (1 if connection.vendor == "postgresql" else 3 + 7)


def test_it_names_a_step_owner_no_longer_known_in_the_persons_language(world, plan):
    Step.objects.filter(text="Call the food bank").update(owner_user=None)  # the account is gone

    def who() -> str:
        team = printout.plan_print(world.coordinator, plan.pk)["team"]
        return next(line["who"] for line in team if line["text"] == "Call the food bank")

    with translation.override("es"):
        assert who() == "Un/a antiguo/a miembro del personal"
    assert who() == "A former staff member"
