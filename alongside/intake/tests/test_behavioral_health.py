"""Behavioral-health instruments are sensitive as a whole (issue 7): every answer and
every score of a PHQ-2, PHQ-9 or GAD-7, or of an instrument whose definition says
`"sensitive": true`, is for the person's care team. Schedulers, organization admins and
staff of a program the person has left see that the screening happened, and "Details
restricted to the care team." where its total, band, answers and trend would be."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.intake import definitions, fhir, sensitive, services
from alongside.intake.models import InstrumentVersion, Score, ScreeningResponse
from alongside.intake.tests.conftest import Screen
from alongside.intake.tests.test_responses import MORE_THAN_HALF, NEARLY, SEVERAL, custom
from alongside.people import services as people_services

RESTRICTED = "Details restricted to the care team."
GAD7 = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
OUTSIDE_THE_CARE_TEAM = ["scheduler", "admin", "colleague"]


@pytest.fixture
def once_in_wellness(world: Any) -> None:
    """The person once worked with the wellness program: its staff (the colleague) see
    them without being on their care team."""
    people_services.enrollment_create(
        actor=world.admin,
        person=world.person,
        program=world.wellness,
        data={"status": "closed", "closure_reason": "moved", "ended_on": timezone.localdate()},
    )


@pytest.fixture
def gad7(screen: Screen, once_in_wellness: None) -> ScreeningResponse:
    """Five items "nearly every day" and two "several days": 17, severe, an anxiety need."""
    answers = {link_id: NEARLY for link_id in GAD7[:5]} | {GAD7[5]: SEVERAL, GAD7[6]: SEVERAL}
    return screen("gad-7", answers)


@pytest.fixture
def phq2(screen: Screen, once_in_wellness: None) -> ScreeningResponse:
    """ "More than half the days" to both: 4, positive, a depression need."""
    return screen("phq-2", {"44250-9": MORE_THAN_HALF, "44255-8": MORE_THAN_HALF})


# ---------------------------------------------------------------- what is sensitive


def test_every_item_and_score_of_a_shipped_behavioral_health_instrument_is_sensitive(
    instruments: dict[str, InstrumentVersion],
) -> None:
    for slug in ("phq-2", "phq-9", "gad-7"):
        definition = instruments[slug].definition
        assert sensitive.sensitive_as_a_whole(definition), slug
        assert sensitive.sensitive_items(definition) == {i["link_id"] for i in definition["items"]}
        assert sensitive.sensitive_scores(definition) == {s["name"] for s in definition["scores"]}
    for slug in ("readiness-ruler", "hunger-vital-sign"):
        definition = instruments[slug].definition
        assert not sensitive.sensitive_items(definition), slug
        assert not sensitive.sensitive_scores(definition), slug
    ahc = instruments["ahc-hrsn-core"].definition
    assert not sensitive.sensitive_as_a_whole(ahc)
    assert sensitive.sensitive_items(ahc) == {"95618-5", "95617-7", "95616-9", "95615-1"}
    assert sensitive.sensitive_scores(ahc) == {"safety"}


def test_the_shipped_files_did_not_need_a_new_version(
    instruments: dict[str, InstrumentVersion],
) -> None:
    """The shipped instruments are sensitive by their code: loading the files again
    changes nothing, and their definitions carry no flag."""
    assert all(line.endswith("already loaded") for line in services.instruments_load())
    assert all("sensitive" not in v.definition for v in instruments.values())


def test_a_definition_says_every_answer_is_sensitive() -> None:
    definition = {
        "sensitive": True,
        "items": [{"link_id": "drinks", "text": "Drinks a week?", "type": "integer"}],
        "scores": [{"name": "total", "items": ["drinks"]}],
    }
    assert definitions.validate_definition(definition) == []
    assert sensitive.sensitive_items(definition) == {"drinks"}
    assert sensitive.sensitive_scores(definition) == {"total"}
    assert not sensitive.sensitive_items(definition | {"sensitive": False})
    assert definitions.validate_definition(definition | {"sensitive": "yes"}) == [
        "'sensitive' must be true or false (every answer is sensitive, or not)."
    ]


def test_a_copy_that_keeps_a_shipped_instruments_code_stays_sensitive(
    world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    copy = services.instrument_copy(
        actor=world.admin, organization=world.org, version=instruments["gad-7"]
    )
    assert sensitive.sensitive_as_a_whole(copy.definition)


# ---------------------------------------------------------------- scores


def test_scores_of_behavioral_health_instruments_are_stored_sensitive(
    gad7: ScreeningResponse, phq2: ScreeningResponse, screen: Screen
) -> None:
    assert [(s.value, s.band, s.sensitive) for s in gad7.scores.all()] == [(17, "severe", True)]
    assert [(s.value, s.band, s.sensitive) for s in phq2.scores.all()] == [(4, "positive", True)]
    ruler = screen("readiness-ruler", {"importance": 8, "confidence": 6})
    assert not any(s.sensitive for s in ruler.scores.all())


def test_the_migration_marks_scores_already_given_and_reverses(
    gad7: ScreeningResponse, screen: Screen
) -> None:
    """Scores given before the decision were stored as not sensitive."""
    ahc = screen(
        "ahc-hrsn-core",
        {"95618-5": "LA6270-8", "95617-7": "LA6270-8", "95616-9": "LA6270-8"}
        | {"95615-1": "LA6270-8", "71802-3": "LA31993-1", "88122-7": "LA28398-8"}
        | {"88123-5": "LA28398-8", "93030-5": "LA32-8", "96779-4": "LA32-8"},
    )
    ruler = screen("readiness-ruler", {"importance": 8, "confidence": 6})
    migration = importlib.import_module(
        "alongside.intake.migrations.0006_mark_scores_of_behavioral_health_instruments_sensitive"
    )
    Score.objects.filter(response=gad7).update(sensitive=False)

    migration.mark_sensitive(apps, None)
    assert Score.objects.get(response=gad7).sensitive
    assert Score.objects.get(response=ahc).sensitive  # adds up the safety items, as before
    assert not Score.objects.filter(response=ruler, sensitive=True).exists()

    migration.unmark_sensitive(apps, None)
    assert not Score.objects.get(response=gad7).sensitive
    assert Score.objects.get(response=ahc).sensitive
    assert not Score.objects.filter(response=ruler, sensitive=True).exists()


# ---------------------------------------------------------------- pages


def _pages(client: Client, world: Any, response: ScreeningResponse) -> dict[str, str]:
    return {
        name: client.get(reverse(route, args=[pk])).content.decode()
        for name, route, pk in [
            ("person", "people:detail", world.person.pk),
            ("results", "intake:response", response.pk),
            ("history", "intake:history", world.person.pk),
        ]
    }


@pytest.mark.parametrize("persona", OUTSIDE_THE_CARE_TEAM)
def test_outside_the_care_team_no_gad7_total_band_or_answer_shows_on_a_page(
    client: Client, world: Any, gad7: ScreeningResponse, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    pages = _pages(client, world, gad7)
    for name, page in pages.items():
        assert "GAD-7" in page, name  # that the screening happened
        assert "Total 17" not in page and "Total: 17" not in page, name
        assert "severe" not in page, name
        assert "Nearly every day" not in page and "Several days" not in page, name
        assert RESTRICTED in page, name
    results = pages["results"]
    assert results.count(f"Sensitive answer. {RESTRICTED}") == len(GAD7)
    assert "up sensitive answers" in results
    history = pages["history"]
    assert "trend-chart" not in history
    assert f"GAD-7 total score over time: {RESTRICTED}" in history


@pytest.mark.parametrize("persona", OUTSIDE_THE_CARE_TEAM)
def test_outside_the_care_team_no_phq2_total_band_or_answer_shows_on_a_page(
    client: Client, world: Any, phq2: ScreeningResponse, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    for name, page in _pages(client, world, phq2).items():
        assert "PHQ-2" in page, name
        assert "Total 4" not in page and "Total: 4" not in page, name
        assert "positive" not in page, name
        assert "More than half the days" not in page, name
        assert RESTRICTED in page, name


@pytest.mark.parametrize("persona", ["coordinator", "supervisor"])
def test_the_care_team_sees_the_gad7_total_band_answers_and_trend(
    client: Client, world: Any, gad7: ScreeningResponse, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    pages = _pages(client, world, gad7)
    assert "Total 17 (severe range)" in pages["person"]
    assert "Total: 17" in pages["results"] and "Nearly every day" in pages["results"]
    assert "Total 17 (severe range)" in pages["history"]
    assert 'class="trend-chart"' in pages["history"]
    assert all(RESTRICTED not in page for page in pages.values())


def test_only_the_care_team_is_offered_a_behavioral_health_screening(
    client: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    """Whoever asks the questions hears the answers."""
    start = reverse("intake:start", args=[world.person.pk])
    client.force_login(world.scheduler)
    page = client.get(start).content.decode()
    assert "Hunger Vital Sign" in page
    assert "GAD-7" not in page and "PHQ-2" not in page
    client.force_login(world.coordinator)
    page = client.get(start).content.decode()
    assert "GAD-7" in page and "PHQ-2" in page


# ---------------------------------------------------------------- builder and FHIR


def test_the_builder_makes_every_answer_of_an_instrument_sensitive(
    client: Client, world: Any
) -> None:
    draft = services.instrument_create(
        actor=world.admin,
        organization=world.org,
        title="Drinking check",
        definition={"items": [{"link_id": "drinks", "text": "Drinks a week?", "type": "integer"}]},
    )
    details = reverse(
        "manage:instrument-details", args=[world.org.pk, draft.instrument_id, draft.pk]
    )
    client.force_login(world.admin)
    form = client.get(details).content.decode()
    assert "Every answer is sensitive (behavioral health, substance use, trauma, safety)" in form
    saved = client.post(
        details,
        {"base": services.draft_token(draft), "title": "Drinking check", "sensitive": "on"},
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.definition["sensitive"] is True
    version_page = client.get(saved["Location"]).content.decode()
    assert "Yes: only the person’s care team asks it" in version_page
    assert "code drinks · sensitive" in version_page

    exported = fhir.questionnaire(draft)
    assert {"url": fhir.EXT_SENSITIVE, "valueBoolean": True} in exported["extension"]
    assert fhir.definition_from_questionnaire(exported)["sensitive"] is True

    client.post(details, {"base": services.draft_token(draft), "title": "Drinking check"})
    draft.refresh_from_db()
    assert "sensitive" not in draft.definition
    assert not any(e["url"] == fhir.EXT_SENSITIVE for e in fhir.questionnaire(draft)["extension"])


def test_the_builder_says_a_copied_phq9_is_always_sensitive(
    client: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    copy = services.instrument_copy(
        actor=world.admin, organization=world.org, version=instruments["phq-9"]
    )
    details = reverse("manage:instrument-details", args=[world.org.pk, copy.instrument_id, copy.pk])
    client.force_login(world.admin)
    form = client.get(details).content.decode()
    assert "its LOINC code is that of a behavioral-health screening" in form
    client.post(details, {"base": services.draft_token(copy), "title": "My PHQ-9"})
    copy.refresh_from_db()
    assert sensitive.sensitive_as_a_whole(copy.definition)


def test_an_instrument_marked_sensitive_withholds_every_answer(client: Client, world: Any) -> None:
    version = custom(
        world,
        {
            "sensitive": True,
            "items": [
                {"link_id": "drinks", "text": "Drinks a week?", "type": "integer"},
                {"link_id": "note", "text": "Anything else?", "type": "text"},
            ],
            "scores": [{"name": "drinks", "items": ["drinks"]}],
        },
    )
    response = services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=version
    )
    for link_id, value in (("drinks", 23), ("note", "WEEKEND-MARKER")):
        response = services.answer_save(
            actor=world.coordinator,
            response=response,
            link_id=link_id,
            value=value,
            expected_version=response.version,
        )
    services.response_complete(actor=world.coordinator, response=response, expected_version=None)
    client.force_login(world.scheduler)
    page = client.get(reverse("intake:response", args=[response.pk])).content.decode()
    assert "WEEKEND-MARKER" not in page and "23" not in page.split("Scores", 1)[1]
    assert page.count(f"Sensitive answer. {RESTRICTED}") == 2
