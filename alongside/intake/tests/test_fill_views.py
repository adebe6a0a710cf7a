"""Filling in a screening through the pages: staff on one page that saves as it goes,
the person one question at a time on a handed-over device or through a link."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.intake import services
from alongside.intake.fill_forms import DECLINED
from alongside.intake.models import (
    Answer,
    Instrument,
    InstrumentVersion,
    Need,
    ScreeningLink,
    ScreeningResponse,
    UrgentFlag,
)
from alongside.intake.tests.test_responses import NOT_AT_ALL, PHQ9, SEVERAL
from conftest import NAV_COUNTS

PASSWORD = "correct horse battery staple"
# AHC HRSN core: living situation, two food items, transportation, utilities, and the
# four interpersonal-safety items.
LIVING, FOOD_1, FOOD_2, TRANSPORT, UTILITIES = (
    "71802-3",
    "88122-7",
    "88123-5",
    "93030-5",
    "96779-4",
)
SAFETY = ["95618-5", "95617-7", "95616-9", "95615-1"]


@pytest.fixture
def staff(client: Client, world: Any) -> Client:
    client.force_login(world.coordinator)
    return client


def start(client: Client, person_pk: int, version: InstrumentVersion, who: str = "staff") -> Any:
    return client.post(
        reverse("intake:start", args=[person_pk]),
        {"instrument": version.pk, "language": "en", "who": who},
    )


def draft(world: Any, version: InstrumentVersion, **extra: Any) -> ScreeningResponse:
    return services.response_start(
        actor=world.coordinator, person=world.person, instrument_version=version, **extra
    )


def option_code(version: InstrumentVersion, link_id: str, index: int) -> str:
    entry = next(e for e in version.definition["items"] if e["link_id"] == link_id)
    return str(entry["options"][index]["code"])


# ---------------------------------------------------------------- starting


def test_start_lists_the_instruments_and_starts_the_chosen_one(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    page = staff.get(reverse("intake:start", args=[world.person.pk]))
    assert page.status_code == 200
    assert (
        "Patient Health Questionnaire" in page.content.decode() or "PHQ-9" in page.content.decode()
    )

    reply = start(staff, world.person.pk, instruments["phq-9"])

    response = ScreeningResponse.objects.get()
    assert reply.status_code == 302
    assert reply["Location"] == reverse("intake:response", args=[response.pk])
    assert (response.instrument_version, response.mode, response.started_by) == (
        instruments["phq-9"],
        ScreeningResponse.Mode.STAFF,
        world.coordinator,
    )


def test_start_without_a_choice_shows_errors_not_a_crash(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    reply = staff.post(
        reverse("intake:start", args=[world.person.pk]), {"instrument": "nonsense", "who": "x"}
    )
    assert reply.status_code == 422
    assert "Select a valid choice" in reply.content.decode()
    assert not ScreeningResponse.objects.exists()


def test_a_retired_instrument_cannot_be_started(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    phq2 = instruments["phq-2"]
    services.instrument_version_set_status(actor=None, version=phq2, status="retired")
    reply = start(staff, world.person.pk, phq2)
    assert reply.status_code == 422
    assert not ScreeningResponse.objects.exists()


# ---------------------------------------------------------------- staff page


def test_the_staff_page_shows_every_question_with_prefer_not_to_answer(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = draft(world, instruments["phq-9"])
    page = staff.get(reverse("intake:response", args=[response.pk])).content.decode()
    for link_id in PHQ9:
        assert f'name="a-{link_id}"' in page
    assert page.count(f'value="{DECLINED}"') == len(PHQ9)
    assert "Lupe" in page and "she/her" in page


def test_autosave_saves_one_answer_and_moves_the_version_on(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = draft(world, instruments["phq-9"])
    reply = staff.post(
        reverse("intake:answer", args=[response.pk]),
        {"link_id": PHQ9[0], f"a-{PHQ9[0]}": SEVERAL, "version": response.version},
    )
    assert reply.status_code == 200
    assert "Saved at" in reply.content.decode()
    response.refresh_from_db()
    assert f'id="version" name="version" value="{response.version}"' in reply.content.decode()
    answer = Answer.objects.get(response=response)
    assert (answer.link_id, answer.state, answer.value) == (PHQ9[0], "answered", SEVERAL)


def test_autosave_of_a_decline_records_a_decline_not_a_no(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = draft(world, instruments["phq-9"])
    staff.post(
        reverse("intake:answer", args=[response.pk]),
        {"link_id": PHQ9[8], f"a-{PHQ9[8]}": DECLINED, "version": response.version},
    )
    answer = Answer.objects.get(response=response)
    assert (answer.state, answer.value) == ("declined", None)


def test_autosave_on_a_stale_page_is_refused_and_keeps_the_other_answer(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = draft(world, instruments["phq-9"])
    seen = response.version
    services.answer_save(
        actor=world.supervisor,
        response=response,
        link_id=PHQ9[0],
        value=SEVERAL,
        expected_version=seen,
    )
    reply = staff.post(
        reverse("intake:answer", args=[response.pk]),
        {"link_id": PHQ9[0], f"a-{PHQ9[0]}": NOT_AT_ALL, "version": seen},
    )
    assert reply.status_code == 409
    body = reply.content.decode()
    assert "Not saved" in body and "Reload the screening" in body
    assert 'name="version"' not in body  # the page keeps its old version until reloaded
    assert Answer.objects.get(response=response).value == SEVERAL


def test_autosave_of_a_value_that_is_not_an_option_is_a_clear_error(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = draft(world, instruments["readiness-ruler"])
    reply = staff.post(
        reverse("intake:answer", args=[response.pk]),
        {"link_id": "importance", "a-importance": "eleventy", "version": response.version},
    )
    assert reply.status_code == 422
    assert "Enter a whole number" in reply.content.decode()
    reply = staff.post(
        reverse("intake:answer", args=[response.pk]),
        {"link_id": "importance", "a-importance": "11", "version": response.version},
    )
    assert reply.status_code == 422
    assert "from 0 to 10" in reply.content.decode()
    assert not Answer.objects.exists()


def test_autosave_of_an_unknown_question_is_404(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = draft(world, instruments["phq-2"])
    reply = staff.post(reverse("intake:answer", args=[response.pk]), {"link_id": "nope"})
    assert reply.status_code == 404


def hrsn_form(version: InstrumentVersion, **overrides: str) -> dict[str, str]:
    """An AHC HRSN page with every question answered 'no need' (the first option for
    living situation, the last for the rest; 'Never' on the safety items)."""
    data = {f"a-{LIVING}": option_code(version, LIVING, 0)}
    for link_id in (FOOD_1, FOOD_2, TRANSPORT, UTILITIES):
        data[f"a-{link_id}"] = option_code(version, link_id, -1)
    for link_id in SAFETY:
        data[f"a-{link_id}"] = option_code(version, link_id, 0)
    data.update({f"a-{k}": v for k, v in overrides.items()})
    return data


def test_finishing_on_the_staff_page_scores_derives_needs_and_raises_flags(
    staff: Client,
    world: Any,
    instruments: dict[str, InstrumentVersion],
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hrsn = instruments["ahc-hrsn-core"]
    response = draft(world, hrsn)
    data = hrsn_form(
        hrsn,
        **{
            FOOD_1: option_code(hrsn, FOOD_1, 0),  # often true
            TRANSPORT: DECLINED,
            # Safety score 5 + 5 + 3 + 1 = 14: positive at 11 or more.
            SAFETY[1]: option_code(hrsn, SAFETY[1], 4),
            SAFETY[2]: option_code(hrsn, SAFETY[2], 4),
            SAFETY[3]: option_code(hrsn, SAFETY[3], 2),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        reply = staff.post(
            reverse("intake:response", args=[response.pk]),
            {**data, "version": response.version, "action": "complete"},
        )
    assert reply.status_code == 302
    response.refresh_from_db()
    assert response.is_completed
    assert Answer.objects.get(response=response, link_id=TRANSPORT).state == "declined"
    assert set(Need.objects.values_list("kind", flat=True)) >= {"food_insecurity"}
    assert UrgentFlag.objects.filter(response=response).exists()
    assert len(mailoutbox) == 1

    page = staff.get(reverse("intake:response", args=[response.pk])).content.decode()
    assert "Urgent results from this screening" in page
    assert "Prefers not to answer" in page
    assert "may want help with" in page


def test_finishing_with_a_question_unanswered_names_it_and_saves_the_rest(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    hrsn = instruments["ahc-hrsn-core"]
    response = draft(world, hrsn)
    data = hrsn_form(hrsn)
    del data[f"a-{UTILITIES}"]
    reply = staff.post(
        reverse("intake:response", args=[response.pk]),
        {**data, "version": response.version, "action": "complete"},
    )
    assert reply.status_code == 422
    assert "or record that the person prefers not to answer" in reply.content.decode()
    response.refresh_from_db()
    assert not response.is_completed
    assert response.answers.count() == 8  # what was given is kept


def test_a_stale_whole_page_save_is_refused_without_overwriting(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    hrsn = instruments["ahc-hrsn-core"]
    response = draft(world, hrsn)
    seen = response.version
    services.answer_save(
        actor=world.supervisor,
        response=response,
        link_id=LIVING,
        value=option_code(hrsn, LIVING, 2),
        expected_version=seen,
    )
    reply = staff.post(
        reverse("intake:response", args=[response.pk]),
        {**hrsn_form(hrsn), "version": seen, "action": "save"},
    )
    assert reply.status_code == 409
    assert "Nothing was overwritten" in reply.content.decode()
    assert Answer.objects.get(response=response).value == option_code(hrsn, LIVING, 2)
    # The page still shows what this user chose, so nothing they entered is lost.
    assert f'value="{option_code(hrsn, FOOD_1, -1)}" checked' in reply.content.decode()
    # And what the other person saved, beside the question where it differs.
    assert "Someone else saved meanwhile: <strong>I do not have a steady place" in (
        reply.content.decode()
    )


def test_the_results_of_a_retired_version_still_display(
    staff: Client, world: Any, screen: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = screen("phq-2", {PHQ9[0]: NOT_AT_ALL, PHQ9[1]: SEVERAL})
    services.instrument_version_set_status(
        actor=None, version=response.instrument_version, status="retired"
    )
    page = staff.get(reverse("intake:response", args=[response.pk]))
    assert page.status_code == 200
    assert "since retired" in page.content.decode()


def test_the_fhir_download_is_a_questionnaire_response_and_audited(
    staff: Client, world: Any, screen: Any
) -> None:
    response = screen("phq-2", {PHQ9[0]: NOT_AT_ALL, PHQ9[1]: SEVERAL})
    reply = staff.get(reverse("intake:response-fhir", args=[response.pk]))
    assert reply.status_code == 200
    assert reply.json()["resourceType"] == "QuestionnaireResponse"
    assert AuditEvent.objects.filter(action="export", object_id=str(response.pk)).exists()


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_every_screening_page_is_404_out_of_scope(
    client: Client, world: Any, instruments: dict[str, InstrumentVersion], persona: str
) -> None:
    response = draft(world, instruments["phq-2"])
    client.force_login(getattr(world, persona))
    gets = [
        reverse("intake:start", args=[world.person.pk]),
        reverse("intake:response", args=[response.pk]),
        reverse("intake:response-fhir", args=[response.pk]),
    ]
    posts = [
        reverse("intake:start", args=[world.person.pk]),
        reverse("intake:response", args=[response.pk]),
        reverse("intake:answer", args=[response.pk]),
        reverse("intake:link-create", args=[response.pk]),
        reverse("intake:hand-over", args=[response.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"link_id": PHQ9[0]}).status_code == 404, url
    assert ScreeningLink.objects.count() == 0


# ---------------------------------------------------------------- handed-over device


def test_a_handed_over_device_asks_one_question_at_a_time_and_holds_the_session(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    phq2 = instruments["phq-2"]
    reply = start(staff, world.person.pk, phq2, who="device")
    response = ScreeningResponse.objects.get()
    kiosk = reverse("intake:kiosk", args=[response.pk])
    assert reply["Location"] == kiosk
    assert response.mode == ScreeningResponse.Mode.PERSON

    # Anything else leads back to the screening, so the person cannot browse records.
    assert staff.get(reverse("people:list"))["Location"] == kiosk
    assert staff.get(reverse("people:detail", args=[world.person.pk]))["Location"] == kiosk

    first = staff.get(kiosk).content.decode()
    assert "Question 1 of 2" in first
    first_id = phq2.definition["items"][0]["link_id"]
    second_id = phq2.definition["items"][1]["link_id"]
    assert f'name="a-{first_id}"' in first and f'name="a-{second_id}"' not in first

    # A required question with no answer asks again, kindly.
    again = staff.post(kiosk, {"link_id": first_id, "version": response.version})
    assert again.status_code == 422
    assert "I prefer not to answer" in again.content.decode()

    moved = staff.post(
        kiosk, {"link_id": first_id, f"a-{first_id}": SEVERAL, "version": response.version}
    )
    assert moved["Location"] == f"{kiosk}?q={second_id}"
    response.refresh_from_db()
    staff.post(
        kiosk, {"link_id": second_id, f"a-{second_id}": DECLINED, "version": response.version}
    )
    review = staff.get(f"{kiosk}?step=review").content.decode()
    assert "Check your answers" in review and "I prefer not to answer" in review

    done = staff.post(kiosk, {"action": "finish"})
    assert "Thank you" in done.content.decode()
    response.refresh_from_db()
    assert response.is_completed
    assert response.answers.get(link_id=second_id).state == "declined"


def test_handing_back_needs_the_staff_password(
    client: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    world.coordinator.set_password(PASSWORD)
    world.coordinator.save()
    client.force_login(world.coordinator)
    response = draft(world, instruments["phq-2"])
    client.post(reverse("intake:hand-over", args=[response.pk]))
    back = reverse("intake:hand-back", args=[response.pk])

    wrong = client.post(back, {"password": "guess"})
    assert wrong.status_code == 422
    assert client.get(reverse("people:list")).status_code == 302

    right = client.post(back, {"password": PASSWORD})
    assert right["Location"] == reverse("intake:response", args=[response.pk])
    assert client.get(reverse("people:list")).status_code == 200


# ---------------------------------------------------------------- links


def make_link(staff: Client, response: ScreeningResponse) -> str:
    page = staff.post(reverse("intake:link-create", args=[response.pk])).content.decode()
    start = page.index("/intake/s/")
    return page[start : page.index('"', start)]


def test_a_link_lets_the_person_answer_without_an_account_until_finished(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    phq2 = instruments["phq-2"]
    response = draft(world, phq2, mode=ScreeningResponse.Mode.PERSON)
    url = make_link(staff, response)
    stored = ScreeningLink.objects.get()
    assert url.rstrip("/").rsplit("/", 1)[1] not in stored.token_hash  # only a hash is kept

    person = Client()
    assert "Question 1 of 2" in person.get(url).content.decode()
    for entry in phq2.definition["items"]:
        response.refresh_from_db()
        person.post(
            url,
            {
                "link_id": entry["link_id"],
                f"a-{entry['link_id']}": NOT_AT_ALL,
                "version": response.version,
            },
        )
    done = person.post(url, {"action": "finish"})
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    response.refresh_from_db()
    assert response.is_completed and response.completed_by is None
    assert AuditEvent.objects.filter(
        action="complete", object_id=str(response.pk), actor_id=None, detail__via="link"
    ).exists()
    assert person.get(url).status_code == 404  # a finished link opens nothing


def test_a_stopped_or_expired_link_opens_nothing(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = draft(world, instruments["phq-2"])
    url = make_link(staff, response)
    link = ScreeningLink.objects.get()
    staff.post(reverse("intake:link-revoke", args=[response.pk, link.pk]))
    assert Client().get(url).status_code == 404

    url = make_link(staff, response)
    ScreeningLink.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    reply = Client().get(url)
    assert reply.status_code == 404
    assert "no longer works" in reply.content.decode()
    assert Client().get("/intake/s/not-a-real-token/").status_code == 404


def test_a_link_reaches_only_its_own_screening(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    mine = draft(world, instruments["phq-2"])
    other = draft(world, instruments["phq-9"])
    url = make_link(staff, mine)
    reply = Client().post(
        url, {"link_id": PHQ9[0], f"a-{PHQ9[0]}": SEVERAL, "version": other.version}
    )
    assert reply.status_code == 302  # an item not on this screening just goes back
    assert not Answer.objects.filter(response=other).exists()


# ---------------------------------------------------------------- languages


SPANISH = {
    "items": [
        {
            "link_id": "ok",
            "text": "Are you OK today?",
            "type": "boolean",
            "required": True,
        }
    ],
    "translations": {"es": {"title": "Hoy", "items": {"ok": {"text": "¿Está bien hoy?"}}}},
}


def test_the_person_can_answer_in_spanish_and_switch_language(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    instrument = Instrument.objects.create(slug="today", title="Today")
    version = services.instrument_version_create(
        actor=None, instrument=instrument, label="1", definition=SPANISH, status="active"
    )
    response = draft(world, version, language="es")
    url = make_link(staff, response)
    person = Client()
    page = person.get(url).content.decode()
    assert '<html lang="es">' in page
    assert "¿Está bien hoy?" in page and "Prefiero no contestar" in page
    assert "Guardar y seguir" in page

    person.post(url, {"action": "language", "language": "en", "link_id": "ok"})
    page = person.get(url).content.decode()
    assert '<html lang="en">' in page and "Are you OK today?" in page
    response.refresh_from_db()
    assert response.language == "en"
    person.post(url, {"link_id": "ok", "a-ok": "true", "version": response.version})
    assert Answer.objects.get(response=response).value is True


def test_staff_see_the_english_beside_a_spanish_question(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    instrument = Instrument.objects.create(slug="today", title="Today")
    version = services.instrument_version_create(
        actor=None, instrument=instrument, label="1", definition=SPANISH, status="active"
    )
    response = draft(world, version, language="es")
    page = staff.get(reverse("intake:response", args=[response.pk])).content.decode()
    assert "¿Está bien hoy?" in page and "(Are you OK today?)" in page


# ---------------------------------------------------------------- query counts


def test_the_staff_page_reads_in_a_fixed_number_of_queries(
    staff: Client,
    world: Any,
    instruments: dict[str, InstrumentVersion],
    django_assert_num_queries: Any,
) -> None:
    response = draft(world, instruments["phq-9"])
    for link_id in PHQ9[:4]:
        response = services.answer_save(
            actor=world.coordinator,
            response=response,
            link_id=link_id,
            value=SEVERAL,
            expected_version=response.version,
        )
    url = reverse("intake:response", args=[response.pk])
    staff.get(url)
    # session, user, scope, the response with its person, version and staff (+ answers,
    # scores, flags prefetched), audit (head lock, insert, head update: one statement on
    # PostgreSQL), the person's enrollments (PHQ-9 asks a sensitive question: is the
    # user on the care team?), links that still work, the navigation's counts.
    audit = 1 if connection.vendor == "postgresql" else 3
    with django_assert_num_queries(9 + audit + NAV_COUNTS):
        assert staff.get(url).status_code == 200


def test_another_organizations_instrument_cannot_be_started(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    theirs = Instrument.objects.create(slug="theirs", title="Theirs", organization=world.other_org)
    version = services.instrument_version_create(
        actor=None, instrument=theirs, label="1", definition=SPANISH, status="active"
    )
    page = staff.get(reverse("intake:start", args=[world.person.pk])).content.decode()
    assert "Theirs" not in page
    assert start(staff, world.person.pk, version).status_code == 422
    with pytest.raises(ValidationError, match="another organization"):
        draft(world, version)
    assert not ScreeningResponse.objects.exists()


# ---------------------------------------------------------------- sensitive questions


def test_only_the_care_team_fills_in_or_reads_sensitive_screenings(
    client: Client, world: Any, screen: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    """PHQ-9 asks about self-harm: schedulers and admins outside the care team can
    neither start it, see its draft, nor read its flag's reason or its total."""
    draft_response = draft(world, instruments["phq-9"])
    done = screen("phq-9", {**{link_id: NOT_AT_ALL for link_id in PHQ9}, PHQ9[8]: SEVERAL})
    for persona in ("scheduler", "admin"):
        client.force_login(getattr(world, persona))
        page = client.get(reverse("intake:start", args=[world.person.pk])).content.decode()
        assert "Hunger Vital Sign" in page and "PHQ-9" not in page
        assert start(client, world.person.pk, instruments["phq-9"]).status_code == 422
        for url in (
            reverse("intake:response", args=[draft_response.pk]),
            reverse("intake:answer", args=[draft_response.pk]),
            reverse("intake:hand-over", args=[draft_response.pk]),
            reverse("intake:link-create", args=[draft_response.pk]),
        ):
            assert client.post(url, {"link_id": PHQ9[0]}).status_code == 403, url
        results = client.get(reverse("intake:response", args=[done.pk])).content.decode()
        assert "needs the care team’s attention" in results
        assert "item 9" not in results and "Total" not in results
        person_page = client.get(reverse("people:detail", args=[world.person.pk])).content
        assert "item 9" not in person_page.decode()
    assert not Answer.objects.filter(response=draft_response).exists()

    client.force_login(world.coordinator)
    results = client.get(reverse("intake:response", args=[done.pk])).content.decode()
    assert "item 9" in results and "Total: 1" in results


def test_a_double_tap_on_send_shows_thanks_not_an_error(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    from alongside.intake.person_view import PersonView

    phq2 = instruments["phq-2"]
    response = draft(world, phq2, mode=ScreeningResponse.Mode.PERSON)
    for entry in phq2.definition["items"]:
        response = services.answer_save(
            actor=world.coordinator,
            response=response,
            link_id=entry["link_id"],
            value=NOT_AT_ALL,
            expected_version=response.version,
        )
    url = make_link(staff, response)
    link = ScreeningLink.objects.get()
    first = Client().post(url, {"action": "finish"})
    assert "Thank you" in first.content.decode()
    # The second tap was already past the link check when the first one finished.
    from django.test import RequestFactory

    request = RequestFactory().post(url, {"action": "finish"})
    stale = ScreeningResponse.objects.get(pk=response.pk)
    stale.status = ScreeningResponse.Status.IN_PROGRESS
    view = PersonView(request, stale, actor=None, link=link, base_url=url, hand_back_url="")
    view.link = None
    view.actor = world.coordinator
    reply = view.respond()
    assert reply.status_code == 200 and "Thank you" in reply.content.decode()


def test_wrong_hand_back_passwords_are_audited_and_five_sign_the_device_out(
    client: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    client.force_login(world.coordinator)
    response = draft(world, instruments["phq-2"])
    client.post(reverse("intake:hand-over", args=[response.pk]))
    back = reverse("intake:hand-back", args=[response.pk])
    for _ in range(4):
        assert client.post(back, {"password": "guess"}).status_code == 422
    assert AuditEvent.objects.filter(action="login_failed", object_type="intake.kiosk").count() == 4
    fifth = client.post(back, {"password": "guess"})
    assert fifth["Location"] == reverse("login")
    # Signed out: the device no longer holds a session at all.
    assert client.get(reverse("people:list"))["Location"].startswith(reverse("login"))


def test_the_start_form_ties_each_error_to_its_field(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    reply = staff.post(
        reverse("intake:start", args=[world.person.pk]),
        {"instrument": instruments["phq-2"].pk, "language": "xx", "who": "staff"},
    ).content.decode()
    assert 'id="id_language-errors"' in reply
    assert 'aria-describedby="id_language-errors"' in reply


def test_reading_through_a_link_is_audited(
    staff: Client, world: Any, instruments: dict[str, InstrumentVersion]
) -> None:
    response = draft(world, instruments["phq-2"])
    url = make_link(staff, response)
    Client().get(url)
    assert AuditEvent.objects.filter(
        action="view", object_id=str(response.pk), actor_id=None, detail__via="link"
    ).exists()
