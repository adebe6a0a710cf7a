"""A person's screening record: the panel on their page, acknowledging urgent flags,
moving needs along, the screening history with its trend charts, and the urgent queue."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import dateformat, timezone

from alongside.audit.models import AuditEvent
from alongside.intake import charts, services, wording
from alongside.intake.models import InstrumentVersion, Need, ScreeningResponse, UrgentFlag
from alongside.intake.tests.conftest import DECLINE, Screen
from alongside.intake.tests.test_responses import MORE_THAN_HALF, NEARLY, NOT_AT_ALL, SEVERAL, phq9
from alongside.intake.tests.test_urgent import SOMETIMES, ahc
from alongside.lib.errors import NotPermitted
from conftest import NAV_COUNTS, make_person

OFTEN_TRUE = "LA28397-0"
# session, user, scope, the page's reads, then the audit event: head lock, insert, head
# update on SQLite; one statement on PostgreSQL.
AUDIT = 1 if connection.vendor == "postgresql" else 3
# person (visible_to), audit, responses with versions, instruments and staff (each
# marked in that query with whether the user may see its sensitive scores), scores
HISTORY = 3 + 1 + AUDIT + 2 + NAV_COUNTS
# open flags (with what has been tried, in the same query), then their people (a second
# query, not a join: flags are few, people many), audit of the people listed, the
# navigation's counts
URGENT = 3 + 2 + AUDIT + NAV_COUNTS


def day(when: dt.datetime) -> str:
    return dateformat.format(timezone.localtime(when), "j M Y")


@pytest.fixture
def flagged(world: Any, screen: Screen) -> ScreeningResponse:
    """An AHC screening with a positive safety screen (an urgent flag and a safety need)
    and an answer about food (a food need)."""
    answers = ahc([SOMETIMES, SOMETIMES, SOMETIMES, "LA10066-1"]) | {"88122-7": OFTEN_TRUE}
    return screen("ahc-hrsn-core", answers)


def at(response: ScreeningResponse, when: dt.datetime) -> None:
    ScreeningResponse.objects.filter(pk=response.pk).update(started_at=when, completed_at=when)


# ---------------------------------------------------------------- the person page panel


def test_it_shows_flags_needs_and_screenings_on_the_person_page(client, world, flagged):
    client.force_login(world.coordinator)
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Needs and screenings" in page
    assert "Urgent: a screening result needs attention today" in page
    assert "Interpersonal safety screen positive" in page
    assert "National Domestic Violence Hotline" in page  # the guidance
    assert "Record what was done" in page and "What did you do?" in page
    assert reverse("intake:flag-acknowledge", args=[UrgentFlag.objects.get().pk]) in page
    # The open flag is the first thing after the person's name: above the profile and
    # the other panels, in its own alert.
    alert = page.index('class="urgent-alert"')
    assert alert < page.index("own words") < page.index("Needs and screenings")
    assert "<strong>Food:</strong> may want help with having enough food" in page
    assert "Safety in relationships:" in page
    assert "Food insecurity" not in page and "insecure" not in page
    source = reverse("intake:response", args=[flagged.pk])
    assert f'From the <a href="{source}">AHC HRSN screening on {day(flagged.completed_at)}' in page
    assert "Safety 11 (positive range)" in page
    assert reverse("intake:start", args=[world.person.pk]) in page
    assert reverse("intake:history", args=[world.person.pk]) in page


def test_it_offers_need_status_changes_only_to_the_care_team(client, world, flagged):
    url = reverse("people:detail", args=[world.person.pk])
    client.force_login(world.coordinator)
    assert 'name="status"' in client.get(url).content.decode()
    client.force_login(world.admin)  # sees the person, is not on their care team
    page = client.get(url).content.decode()
    assert "may want help with having enough food" in page and 'name="status"' not in page


def test_it_says_so_when_there_is_nothing_yet(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Nothing from screenings yet." in page and "No screenings yet." in page


# ---------------------------------------------------------------- acknowledging flags


def act(flag: UrgentFlag, action: str, note: str = "", **extra: str) -> dict[str, str]:
    """The flag's form as a browser posts it (its fields carry the flag's prefix)."""
    return {f"flag-{flag.pk}-action": action, f"flag-{flag.pk}-note": note, **extra}


def test_it_records_what_was_done_and_shows_who_and_when(client, world, flagged):
    flag = UrgentFlag.objects.get()
    person_url = reverse("people:detail", args=[world.person.pk])
    client.force_login(world.coordinator)
    response = client.post(
        reverse("intake:flag-acknowledge", args=[flag.pk]),
        act(flag, "safety_plan", "Made a plan with her by phone.", next=person_url),
        follow=True,
    )
    assert response.redirect_chain == [(person_url, 302)]
    page = response.content.decode()
    assert "“Made a safety plan with them” is recorded and the result is closed" in page
    flag.refresh_from_db()
    assert flag.acknowledged_by == world.coordinator and flag.acknowledged_at is not None
    assert 'class="urgent-alert"' not in page
    when = dateformat.format(timezone.localtime(flag.acknowledged_at), "j M Y, g:i A")
    assert f"closed by Casey Nguyen on {when}" in page
    assert "(AHC safety score 11 or more): made a safety plan with them" in page
    assert AuditEvent.objects.filter(
        action="update", object_type="intake.urgentflag", object_id=str(flag.pk)
    ).exists()
    history = client.get(reverse("intake:flag", args=[flag.pk])).content.decode()
    assert "Made a safety plan with them" in history and "Made a plan with her by phone." in history
    assert "Casey Nguyen, <time" in history and "closed the result" in history


def test_could_not_reach_keeps_the_flag_open_and_in_the_queue(client, world, flagged):
    flag = UrgentFlag.objects.get()
    client.force_login(world.coordinator)
    url = reverse("intake:flag-acknowledge", args=[flag.pk])
    response = client.post(url, act(flag, "could_not_reach", "No answer at 10; no voicemail."))
    assert response.status_code == 302
    assert UrgentFlag.objects.get().is_open
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert 'class="urgent-alert"' in page and "Tried once without reaching them" in page
    queue = client.get(reverse("intake:urgent")).content.decode()
    assert "Lupe Hernández" in queue and "Tried once without reaching them" in queue
    client.post(url, act(flag, "could_not_reach", "Tried again at 2."))
    queue = client.get(reverse("intake:urgent")).content.decode()
    assert "Tried 2 times without reaching them" in queue
    history = client.get(reverse("intake:flag", args=[flag.pk])).content.decode()
    assert history.index("No answer at 10") < history.index("Tried again at 2.")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "This field is required."),
        ({"action": "could_not_reach"}, "Add a note: who you tried and how"),
        ({"action": "other", "note": "  "}, "Add a note: who you tried and how"),
        ({"action": "seen"}, "Select a valid choice."),
    ],
)
def test_it_asks_for_what_was_done_and_a_note_when_one_is_needed(
    client, world, flagged, data, error
):
    flag = UrgentFlag.objects.get()
    client.force_login(world.coordinator)
    response = client.post(
        reverse("intake:flag-acknowledge", args=[flag.pk]),
        {f"flag-{flag.pk}-{name}": value for name, value in data.items()},
    )
    assert response.status_code == 422
    assert error in response.content.decode()
    assert UrgentFlag.objects.get().is_open and not flag.actions.exists()


def test_a_second_closing_keeps_the_first_and_says_who(client, world, flagged):
    flag = UrgentFlag.objects.get()
    url = reverse("intake:flag-acknowledge", args=[flag.pk])
    client.force_login(world.coordinator)
    client.post(url, act(flag, "contacted"))
    first = UrgentFlag.objects.get()
    client.force_login(world.supervisor)
    page = client.post(url, act(flag, "referred"), follow=True).content.decode()
    assert "Casey Nguyen already closed this on" in page
    again = UrgentFlag.objects.get()
    assert (again.acknowledged_by, again.acknowledged_at) == (
        world.coordinator,
        first.acknowledged_at,
    )
    assert AuditEvent.objects.filter(object_type="intake.urgentflag", action="update").count() == 1
    assert [a.kind for a in again.actions.all()] == ["contacted"]


def test_the_flag_page_keeps_its_details_to_the_care_team(client, world, flagged):
    flag = UrgentFlag.objects.get()
    services.urgent_flag_acknowledge(
        actor=world.coordinator, flag=flag, action="other", note="Spoke with her sister."
    )
    client.force_login(world.scheduler)
    page = client.get(reverse("intake:flag", args=[flag.pk])).content.decode()
    assert "Details restricted to the care team." in page
    for secret in ["Interpersonal safety", "Spoke with her sister", "Something else"]:
        assert secret not in page
    assert "Closed by Casey Nguyen" in page


def test_it_ignores_a_next_address_on_another_site(client, world, flagged):
    client.force_login(world.coordinator)
    flag = UrgentFlag.objects.get()
    response = client.post(
        reverse("intake:flag-acknowledge", args=[flag.pk]),
        act(flag, "contacted", next="https://evil.example.com/"),
    )
    assert response["Location"] == reverse("people:detail", args=[world.person.pk])


def test_it_acknowledges_only_by_post(client, world, flagged):
    client.force_login(world.coordinator)
    url = reverse("intake:flag-acknowledge", args=[UrgentFlag.objects.get().pk])
    assert client.get(url).status_code == 405
    assert UrgentFlag.objects.get().is_open


# ---------------------------------------------------------------- need status


def food(world: Any) -> Need:
    return Need.objects.get(person=world.person, kind="food_insecurity")


def test_it_moves_a_need_along_and_audits_it(client, world, flagged):
    need = food(world)
    url = reverse("intake:need-status", args=[need.pk])
    client.force_login(world.coordinator)
    response = client.post(url, {"status": "addressing", "expected": "identified"}, follow=True)
    assert "Food: now “Being addressed”." in response.content.decode()
    client.post(url, {"status": "resolved", "expected": "addressing"})
    need.refresh_from_db()
    assert need.status == "resolved"
    events = AuditEvent.objects.filter(object_type="intake.need", action="update")
    assert [e.detail for e in events.order_by("id")] == [
        {"from": "identified", "to": "addressing"},
        {"from": "addressing", "to": "resolved"},
    ]
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Resolved, or not wanted (1)" in page


def test_it_refuses_a_status_change_based_on_a_stale_view(client, world, flagged):
    need = food(world)
    url = reverse("intake:need-status", args=[need.pk])
    client.force_login(world.coordinator)
    client.post(url, {"status": "not_wanted", "expected": "identified"})
    client.force_login(world.supervisor)  # still looking at "May want help"
    response = client.post(url, {"status": "addressing", "expected": "identified"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this need to “Does not want help with this”" in page
    assert 'name="expected" value="not_wanted"' in page  # choosing again may proceed
    need.refresh_from_db()
    assert need.status == "not_wanted"


def test_it_names_what_is_wrong_with_a_status_change(client, world, flagged):
    need = food(world)
    url = reverse("intake:need-status", args=[need.pk])
    client.force_login(world.coordinator)
    response = client.post(url, {"status": "cured", "expected": "identified"})
    assert response.status_code == 422
    assert "Choose one of the listed statuses." in response.content.decode()


def test_it_refuses_to_reopen_a_need_while_another_of_its_kind_is_open(world, screen, flagged):
    old = food(world)
    services.need_set_status(actor=world.coordinator, need=old, status="resolved", expected=None)
    screen("hunger-vital-sign", {"88122-7": OFTEN_TRUE, "88123-5": OFTEN_TRUE})
    with pytest.raises(ValidationError, match="already has an open “Food” need"):
        services.need_set_status(
            actor=world.coordinator, need=old, status="identified", expected="resolved"
        )


def test_it_lets_only_the_care_team_change_a_need(client, world, flagged):
    need = food(world)
    with pytest.raises(NotPermitted, match="care team can change the status of a need"):
        services.need_set_status(actor=world.admin, need=need, status="resolved", expected=None)
    client.force_login(world.admin)
    response = client.post(reverse("intake:need-status", args=[need.pk]), {"status": "resolved"})
    assert response.status_code == 403
    assert food(world).status == "identified"


def test_setting_the_same_status_again_changes_nothing(world, flagged):
    need = food(world)
    services.need_set_status(
        actor=world.coordinator, need=need, status="identified", expected="identified"
    )
    assert not AuditEvent.objects.filter(object_type="intake.need", action="update").exists()


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_it_answers_404_for_people_out_of_scope(client, world, flagged, persona):
    flag, need = UrgentFlag.objects.get(), food(world)
    client.force_login(getattr(world, persona))
    assert client.get(reverse("intake:history", args=[world.person.pk])).status_code == 404
    assert client.post(reverse("intake:flag-acknowledge", args=[flag.pk])).status_code == 404
    response = client.post(reverse("intake:need-status", args=[need.pk]), {"status": "resolved"})
    assert response.status_code == 404
    queue = client.get(reverse("intake:urgent"))
    assert queue.status_code == 200 and "Lupe" not in queue.content.decode()
    assert UrgentFlag.objects.get().is_open and food(world).status == "identified"


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "admin", "scheduler"])
def test_it_shows_the_record_pages_to_people_who_can_see_the_person(
    client, world, flagged, persona
):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("intake:history", args=[world.person.pk])).status_code == 200
    # A flag's reason gives sensitive answers away: only the care team (schedulers
    # aside) has it in their queue, and only they can acknowledge it.
    on_team = persona in ("coordinator", "supervisor")
    assert ("Lupe Hernández" in client.get(reverse("intake:urgent")).content.decode()) is on_team
    flag = UrgentFlag.objects.get()
    reply = client.post(reverse("intake:flag-acknowledge", args=[flag.pk]), act(flag, "contacted"))
    assert reply.status_code == (302 if on_team else 403)
    # Refused before the form is read: an empty one is a 403 too, not a 422.
    if not on_team:
        assert client.post(reverse("intake:flag-acknowledge", args=[flag.pk])).status_code == 403
    assert UrgentFlag.objects.get().is_open is not on_team


def test_it_sends_anonymous_visitors_to_sign_in(client, world, flagged):
    for url in [
        reverse("intake:history", args=[world.person.pk]),
        reverse("intake:urgent"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(reverse("intake:flag-acknowledge", args=[UrgentFlag.objects.get().pk]))
    assert response.status_code == 302 and UrgentFlag.objects.get().is_open


# ---------------------------------------------------------------- history


def test_it_lists_every_screening_with_versions_status_and_scores(client, world, screen):
    old = screen("phq-2", {"44250-9": NEARLY}, complete=False)
    v1 = old.instrument_version
    services.instrument_version_create(
        actor=world.admin,
        instrument=v1.instrument,
        label=f"{v1.label}-revised",
        definition=v1.definition,
        status=InstrumentVersion.Status.ACTIVE,
    )
    old = services.answer_save(
        actor=world.coordinator,
        response=old,
        link_id="44255-8",
        declined=True,
        expected_version=old.version,
    )
    services.response_complete(actor=world.coordinator, response=old, expected_version=old.version)
    draft = screen("phq-9", {"44250-9": SEVERAL}, complete=False, actor=world.supervisor)
    client.force_login(world.coordinator)
    page = client.get(reverse("intake:history", args=[world.person.pk])).content.decode()
    assert "retired version" in page
    assert "Total 3 (positive range) · 1 item not answered, the score may understate" in page
    assert reverse("intake:response", args=[old.pk]) in page
    assert reverse("intake:response", args=[draft.pk]) in page
    assert "In progress" in page and "Sam Okoro" in page and "Asked by staff" in page


def test_it_shows_scores_but_never_answers(client, world, screen):
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    client.force_login(world.coordinator)
    page = client.get(reverse("intake:history", args=[world.person.pk])).content.decode()
    assert "Total 1 (minimal range)" in page
    for answer in ["Several days", "Not at all", "better off dead", "LA6569-3"]:
        assert answer not in page


def test_it_records_viewing_the_history(client, world, screen):
    screen("phq-2", {"44250-9": SEVERAL, "44255-8": SEVERAL})
    client.force_login(world.supervisor)
    client.get(reverse("intake:history", args=[world.person.pk]))
    event = AuditEvent.objects.filter(action="view", person_id=world.person.pk).latest("id")
    assert (event.actor_id, event.detail) == (world.supervisor.pk, {"purpose": "screening history"})


def test_it_filters_by_instrument(client, world, screen):
    screen("phq-2", {"44250-9": SEVERAL, "44255-8": SEVERAL})
    screen("gad-7", {k: NOT_AT_ALL for k in GAD7})
    client.force_login(world.coordinator)
    url = reverse("intake:history", args=[world.person.pk])
    everything = client.get(url).content.decode()
    assert 'id="group-phq-2"' in everything and 'id="group-gad-7"' in everything
    only = client.get(url, {"instrument": "gad-7"}).content.decode()
    assert 'id="group-gad-7"' in only and 'id="group-phq-2"' not in only
    assert 'href="?instrument=gad-7" aria-current="page"' in only


GAD7 = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]


def test_the_trend_chart_draws_the_scores_and_the_ranges(client, world, screen):
    start = timezone.now() - dt.timedelta(days=60)
    totals = []
    for n, code in enumerate([MORE_THAN_HALF, SEVERAL, NOT_AT_ALL]):
        response = screen("phq-9", phq9(code, **{"44260-8": NOT_AT_ALL}))
        at(response, start + dt.timedelta(days=30 * n))
        totals.append(response.scores.get().value)
    assert totals == [16, 8, 0]
    client.force_login(world.coordinator)
    page = client.get(reverse("intake:history", args=[world.person.pk])).content.decode()
    svg = re.search(r"<svg .*?</svg>", page, re.S)
    assert svg is not None
    chart = svg.group(0)
    assert 'role="img"' in chart and 'aria-labelledby="trend-phq-9-total-title"' in chart
    title = re.search(r"<title[^>]*>(.*?)</title>", chart, re.S)
    assert title is not None
    assert title.group(1) == (
        f"PHQ-9 total score, out of 27: 3 screenings from {day(start)} to "
        f"{day(start + dt.timedelta(days=60))}: 16 (moderately severe) at first, "
        "0 (minimal) most recently, lower than the first."
    )
    labels = re.findall(r'<text class="point-label"[^>]*>(\d+)</text>', chart)
    assert labels == ["16", "8", "0"]
    ys = [float(y) for y in re.findall(r'<circle class="point" cx="[\d.]+" cy="([\d.]+)"', chart)]
    assert ys[0] < ys[1] < ys[2]  # higher scores sit higher on the chart
    xs = [float(x) for x in re.findall(r'<circle class="point" cx="([\d.]+)"', chart)]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])  # evenly spaced dates
    thresholds = re.findall(r'<text class="threshold-label"[^>]*>([^<]+)</text>', chart)
    assert thresholds == [
        "5+ mild",
        "10+ moderate",
        "15+ moderately severe",
        "20+ severe",
    ]
    table = page[svg.end() :]
    for total in ["16", "8", "0"]:
        assert f"<td>{total}</td>" in table


def test_the_chart_marks_scores_that_may_understate(client, world, screen):
    screen("phq-2", {"44250-9": SEVERAL, "44255-8": DECLINE})
    client.force_login(world.coordinator)
    page = client.get(reverse("intake:history", args=[world.person.pk])).content.decode()
    assert 'class="point point-missing"' in page
    assert "a hollow point means some items were not answered" in page
    assert "1 item not answered, the score may understate" in page


def test_the_chart_scale_comes_from_the_definition():
    phq9_definition = {
        "items": [{"link_id": "a", "type": "choice", "options": [{"value": 3}, {"value": 0}]}],
        "scores": [{"name": "total", "items": ["a"], "bands": []}],
    }
    ruler = {"items": [{"link_id": "i", "type": "integer", "max": 10}], "scores": []}
    ruler["scores"] = [{"name": "importance", "items": ["i"]}]
    assert charts.score_top(phq9_definition, "total", [2]) == 3
    assert charts.score_top(ruler, "importance", [4]) == 10
    assert charts.score_top(ruler, "unknown", [12]) == 12


def test_it_shortens_instrument_titles():
    assert wording.short_title("phq-9", "Patient Health Questionnaire-9 (PHQ-9)") == "PHQ-9"
    assert wording.short_title("r", "Readiness ruler (importance and confidence)") == (
        "Readiness ruler"
    )
    assert wording.short_title("hvs", "Hunger Vital Sign") == "Hunger Vital Sign"


# ---------------------------------------------------------------- urgent queue


def test_the_queue_lists_open_flags_oldest_first(client, world, screen, flagged):
    other = make_person(
        world.coordinator,
        world.housing,
        legal_given_name="Teodoro",
        preferred_name="Teo",
        pronouns="he/him",
    )
    newer = services.response_start(
        actor=world.coordinator,
        person=other,
        instrument_version=flagged.instrument_version,
    )
    for link_id, value in ahc([SOMETIMES] * 4).items():
        newer = services.answer_save(
            actor=world.coordinator,
            response=newer,
            link_id=link_id,
            value=value,
            expected_version=newer.version,
        )
    services.response_complete(actor=world.coordinator, response=newer, expected_version=None)
    UrgentFlag.objects.filter(person=world.person).update(
        raised_at=timezone.now() - dt.timedelta(hours=3)
    )
    client.force_login(world.supervisor)
    page = client.get(reverse("intake:urgent")).content.decode()
    assert page.index("Lupe Hernández") < page.index("Teo Okafor")
    assert "he/him" in page and "she/her" in page
    assert "Raised 3\xa0hours ago" in page
    assert page.count("Record what was done") == 2
    assert 'name="next" value="/intake/urgent/"' in page
    event = AuditEvent.objects.filter(action="list").latest("id")
    assert event.detail["page"] == "urgent flags" and event.detail["count"] == 2


def test_the_queue_leaves_out_acknowledged_flags(client, world, flagged):
    services.urgent_flag_acknowledge(
        actor=world.coordinator, flag=UrgentFlag.objects.get(), action="contacted"
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("intake:urgent")).content.decode()
    assert "Nothing urgent right now." in page


def test_the_main_navigation_links_to_the_queue(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("intake:urgent")}" >Urgent results</a>' in page


# ---------------------------------------------------------------- query counts


def test_it_pins_the_history_page(client, world, screen, django_assert_num_queries):
    url = reverse("intake:history", args=[world.person.pk])
    screen("phq-2", {"44250-9": SEVERAL, "44255-8": SEVERAL})
    client.force_login(world.coordinator)
    with django_assert_num_queries(HISTORY):
        client.get(url)
    for _ in range(3):
        screen("phq-9", phq9(SEVERAL))
        screen("readiness-ruler", {"importance": 7, "confidence": 4})
    screen("gad-7", {}, complete=False)
    with django_assert_num_queries(HISTORY):
        assert client.get(url).content.decode().count("<svg") == 4


def test_it_pins_the_urgent_queue(client, world, screen, django_assert_num_queries):
    screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    client.force_login(world.supervisor)
    with django_assert_num_queries(URGENT):
        client.get(reverse("intake:urgent"))
    for _ in range(4):
        screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": NEARLY}))
    with django_assert_num_queries(URGENT):
        assert client.get(reverse("intake:urgent")).content.decode().count("Urgent</span>") == 5


def test_the_panel_keeps_the_person_page_in_fixed_queries(
    client, world, screen, flagged, django_assert_num_queries
):
    from alongside.people.tests.test_query_counts import PERSON_PAGE

    client.force_login(world.coordinator)
    url = reverse("people:detail", args=[world.person.pk])
    with django_assert_num_queries(PERSON_PAGE):
        client.get(url)
    services.urgent_flag_acknowledge(
        actor=world.coordinator, flag=UrgentFlag.objects.get(), action="contacted"
    )
    for _ in range(3):
        screen("phq-9", phq9(MORE_THAN_HALF, **{"44260-8": SEVERAL}))
        screen("readiness-ruler", {"importance": 7, "confidence": 4})
    screen("hunger-vital-sign", {"88122-7": OFTEN_TRUE, "88123-5": OFTEN_TRUE})
    with django_assert_num_queries(PERSON_PAGE):
        page = client.get(url).content.decode()
    assert page.count("Record what was done") == 3
    assert "Importance 7" in page and "Confidence 4" in page


def test_the_urgent_queue_comes_in_pages_oldest_first(client, world, screen, monkeypatch):
    from alongside.intake.views import record

    monkeypatch.setattr(record, "URGENT_PAGE", 2)
    for _ in range(3):
        screen("phq-9", phq9(NOT_AT_ALL, **{"44260-8": SEVERAL}))
    oldest = list(UrgentFlag.objects.order_by("raised_at", "id"))
    client.force_login(world.coordinator)
    first = client.get(reverse("intake:urgent")).content.decode()
    assert first.count("Urgent</span>") == 2 and "Next page" in first
    assert f"/intake/flags/{oldest[0].pk}/" in first or str(oldest[0].response_id) in first
    second = client.get(reverse("intake:urgent"), {"page": 2}).content.decode()
    assert second.count("Urgent</span>") == 1 and "Previous page" in second
    assert client.get(reverse("intake:urgent"), {"page": "x"}).status_code == 200
