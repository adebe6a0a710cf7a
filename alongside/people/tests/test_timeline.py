"""The journey timeline: entries written by services in their transaction, read a page at
a time newest first, as far as the viewer may see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.people import services, timeline
from alongside.people.contributions import TimelineKind, timeline_kinds
from alongside.people.models import TimelineEntry
from alongside.people.sensitivity import RESTRICTED
from alongside.people.timeline import TimelineFilter, add_entry, timeline_page
from conftest import LANGUAGES_INLINE, NAV_COUNTS

AUDIT_SAVING = 2 if connection.vendor == "postgresql" else 0
# session, user, scope, the person with profile and organization, their enrollments
# with program and coordinator, the page of entries with actor and program, and the
# audit event (head lock, insert, head update; one statement on PostgreSQL).
TIMELINE_PAGE = 9 - AUDIT_SAVING + NAV_COUNTS - LANGUAGES_INLINE

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def test_kinds(world: Any) -> Any:
    """Two kinds for the tests, on a timeline emptied of the world's own entries (the
    enrollment written when the person was registered) so that pages are predictable."""
    TimelineEntry.objects.all().delete()
    kinds = [
        TimelineKind(key="test.visit", label="Visit", group="visits"),
        TimelineKind(key="test.therapy", label="Therapy note", group="notes", sensitive=True),
    ]
    for kind in kinds:
        timeline_kinds.register(kind)
    yield kinds
    for kind in kinds:
        timeline_kinds.unregister(kind.key)


def _add(world: Any, n: int, **extra: Any) -> list[TimelineEntry]:
    fields = {"kind": "test.visit", "program": world.housing, "summary": "Visit {i}"} | extra
    summary = fields.pop("summary")
    return [
        add_entry(
            person=world.person,
            occurred_at=START + dt.timedelta(hours=i),
            summary=summary.format(i=i),
            actor=world.coordinator,
            **fields,
        )
        for i in range(n)
    ]


def test_it_refuses_a_kind_no_app_registered(world: Any) -> None:
    with pytest.raises(ValueError, match="'nobody.knows' is not registered"):
        add_entry(
            person=world.person,
            kind="nobody.knows",
            occurred_at=timezone.now(),
            summary="Something",
            actor=world.coordinator,
        )


def test_it_refuses_a_naive_time(world: Any, test_kinds: Any) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_entry(
            person=world.person,
            kind="test.visit",
            occurred_at=dt.datetime(2026, 1, 1, 9, 0),  # noqa: DTZ001 - the point of the test
            summary="Visit",
            actor=world.coordinator,
        )


def test_it_takes_sensitivity_from_the_kind_unless_told(world: Any, test_kinds: Any) -> None:
    [therapy] = _add(world, 1, kind="test.therapy")
    [visit] = _add(world, 1, sensitive=True)
    assert therapy.sensitive and visit.sensitive
    assert therapy.organization_id == world.org.pk


def test_enrollments_write_their_entries_in_the_same_transaction(world: Any) -> None:
    enrollment = world.person.enrollments.get()
    services.enrollment_update(
        actor=world.coordinator,
        enrollment=enrollment,
        data={"status": "active", "primary_coordinator": world.supervisor},
        version=enrollment.version,
    )
    kinds = list(
        TimelineEntry.objects.filter(person=world.person)
        .order_by("id")
        .values_list("kind", "summary")
    )
    assert kinds == [
        ("people.enrollment_created", "Housing Navigation: Referred"),
        ("people.enrollment_status_changed", "Housing Navigation: Referred → Active"),
        (
            "people.enrollment_coordinator_changed",
            "Housing Navigation: primary coordinator is now Sam Okoro",
        ),
    ]


def test_a_refused_change_leaves_no_entry(world: Any) -> None:
    enrollment = world.person.enrollments.get()
    before = TimelineEntry.objects.count()
    with pytest.raises(Exception, match="closing"), transaction.atomic():
        services.enrollment_update(
            actor=world.coordinator,
            enrollment=enrollment,
            data={"status": "closed"},
            version=enrollment.version,
        )
    assert TimelineEntry.objects.count() == before


def test_it_pages_newest_first_with_a_cursor(world: Any, test_kinds: Any) -> None:
    made = _add(world, 7)
    # Two entries at the same moment are told apart by id.
    twin = add_entry(
        person=world.person,
        kind="test.visit",
        occurred_at=made[3].occurred_at,
        summary="Same time",
        actor=None,
    )
    seen: list[int] = []
    cursor = ""
    for _ in range(5):
        page = timeline_page(world.coordinator, world.person, cursor=cursor, limit=3)
        seen += [e.id for e in page.entries]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    expected = [e.pk for e in sorted([*made, twin], key=lambda e: (e.occurred_at, e.pk))][::-1]
    assert seen == expected


def _index_range(sql: str) -> str:
    """What bounds the scan of a person's entries: PostgreSQL's Index Cond (sequential
    scans off, the test table being tiny), SQLite's SEARCH ... USING INDEX line."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            lines = [r[0] for r in cursor.fetchall()]
            return " ".join(x for x in lines if "Index Cond" in x and "person_id" in x)
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return " ".join(r[-1] for r in cursor.fetchall() if "timeline_person_recent" in r[-1])


def test_a_later_page_starts_its_index_range_at_the_cursor(world: Any, test_kinds: Any) -> None:
    # On PostgreSQL the keyset's OR alone bounds no index column: the 20th page of 5,000
    # entries read the 475 newer ones and dropped them in a filter. (SQLite derives the
    # bound from the OR itself.)
    _add(world, 5)
    first = timeline_page(world.coordinator, world.person, limit=2)
    assert first.next_cursor is not None
    with CaptureQueriesContext(connection) as queries:
        later = timeline_page(world.coordinator, world.person, cursor=first.next_cursor, limit=2)
    assert [e.summary for e in later.entries] == ["Visit 2", "Visit 1"]
    (page_sql,) = [q["sql"] for q in queries if q["sql"].startswith('SELECT "people_timelineentry')]
    bounds = _index_range(page_sql)
    assert "person_id" in bounds and "occurred_at" in bounds, bounds


def test_it_filters_by_group_program_and_period(world: Any, test_kinds: Any) -> None:
    _add(world, 3)
    _add(world, 2, kind="test.therapy", program=world.wellness)
    coordinator = world.admin  # sees every program of the organization

    def summaries(chosen: TimelineFilter) -> list[str]:
        return [e.summary for e in timeline_page(coordinator, world.person, chosen=chosen).entries]

    assert summaries(TimelineFilter(groups=("notes",))) == ["Visit 1", "Visit 0"]
    assert summaries(TimelineFilter(program_id=world.wellness.pk)) == ["Visit 1", "Visit 0"]
    period = TimelineFilter(
        groups=("visits",),
        since=START + dt.timedelta(hours=1),
        until=START + dt.timedelta(hours=2),
    )
    assert summaries(period) == ["Visit 1"]


def test_it_restricts_sensitive_details_outside_the_care_team(world: Any, test_kinds: Any) -> None:
    _add(world, 1, kind="test.therapy", details="Talked about the anniversary.")
    _add(world, 1, details="Brought the lease.", sensitive=True)
    _add(world, 1, details="Dropped off forms.")
    care = timeline_page(world.coordinator, world.person).entries
    assert [e.details for e in care[:3]] == [
        "Dropped off forms.",
        "Brought the lease.",
        "Talked about the anniversary.",
    ]
    scheduler = timeline_page(world.scheduler, world.person).entries
    assert [(e.summary, e.details, e.restricted) for e in scheduler[:3]] == [
        ("Visit 0", "Dropped off forms.", False),
        ("Visit 0", RESTRICTED, True),
        ("Visit 0", RESTRICTED, True),
    ]


def test_it_leaves_out_entries_of_programs_the_viewer_does_not_work_in(
    world: Any, test_kinds: Any
) -> None:
    services.enrollment_create(
        actor=world.admin, person=world.person, program=world.wellness, data={"status": "active"}
    )
    _add(world, 1)
    _add(world, 1, program=world.wellness, summary="Wellness group")
    _add(world, 1, program=None, summary="Moved house")

    def seen(user: Any) -> set[str]:
        return {e.summary for e in timeline_page(user, world.person).entries}

    assert seen(world.coordinator) == {"Visit 0", "Moved house"}
    assert seen(world.colleague) == {"Wellness Recovery: Active", "Wellness group", "Moved house"}
    assert seen(world.admin) == {
        "Visit 0",
        "Wellness Recovery: Active",
        "Wellness group",
        "Moved house",
    }


def test_the_compiled_panel_shows_what_the_page_reads_to_every_viewer(
    world: Any, test_kinds: Any
) -> None:
    from alongside.people.contributions import PanelContext
    from alongside.people.sensitivity import disclosure_for

    services.enrollment_create(
        actor=world.admin, person=world.person, program=world.wellness, data={"status": "active"}
    )
    _add(world, 1, kind="test.therapy", details="Talked about the anniversary.")
    _add(world, 1, details="Brought the lease.", sensitive=True)
    _add(world, 1, program=world.wellness, summary="Wellness group")
    _add(world, 1, program=None, summary="Moved house")
    for user in (world.coordinator, world.scheduler, world.colleague, world.admin):
        page = timeline_page(user, world.person).entries[: timeline.PANEL_SIZE]
        context = PanelContext(user, world.person, disclosure_for(user, world.person))
        for _ in range(2):  # compiling, then compiled
            assert timeline.person_panel(context)["timeline"] == page


def test_it_records_the_read(world: Any, test_kinds: Any) -> None:
    _add(world, 2)
    timeline_page(world.supervisor, world.person)
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.person_id, event.detail["purpose"], event.detail["count"]) == (
        "view",
        world.person.pk,
        "timeline",
        2,
    )


def test_it_refuses_a_cursor_that_is_not_one() -> None:
    for bad in ("x", "1.0", "12", "1.x", "-1.2", "9" * 30 + ".1", "½.1"):
        with pytest.raises(ValueError, match="could not be found"):
            timeline.decode_cursor(bad)


# ---------------------------------------------------------------- the page


def test_the_page_shows_the_journey_with_older_entries_linked(
    client: Any, world: Any, test_kinds: Any
) -> None:
    _add(world, 30, details="Brought the lease.")
    client.force_login(world.coordinator)
    url = reverse("people:timeline", args=[world.person.pk])
    first = client.get(url)
    body = first.content.decode()
    assert first.status_code == 200
    assert body.count('class="timeline-entry"') == timeline.PAGE_SIZE
    assert "Visit 29" in body and "Visit 5" in body and "Visit 4" not in body
    older = first.context["older_query"]
    assert "Older entries" in body and older.startswith("cursor=")
    rest = client.get(f"{url}?{older}", headers={"HX-Request": "true"})
    more = rest.content.decode()
    assert 'hx-swap-oob="beforeend:#timeline-entries"' in more
    assert "Visit 4" in more and "Visit 0" in more and "Visit 5" not in more
    assert "<html" not in more and "start of the journey" in more


def test_the_page_keeps_filters_on_the_older_link(client: Any, world: Any, test_kinds: Any) -> None:
    _add(world, 30)
    client.force_login(world.coordinator)
    url = reverse("people:timeline", args=[world.person.pk])
    response = client.get(url, {"group": "visits", "program": world.housing.pk})
    assert "group=visits" in response.context["older_query"]
    assert f"program={world.housing.pk}" in response.context["older_query"]


def test_the_page_says_what_is_wrong_with_a_filter(client: Any, world: Any) -> None:
    client.force_login(world.coordinator)
    url = reverse("people:timeline", args=[world.person.pk])
    response = client.get(
        url, {"since": "2026-02-01", "until": "2026-01-01", "program": "999", "cursor": "zz"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "on or after its start" in body
    assert "Select a valid choice" in body
    assert "could not be found" in body


def test_the_page_is_404_out_of_scope(client: Any, world: Any) -> None:
    for user in (world.colleague, world.outsider):
        client.force_login(user)
        response = client.get(reverse("people:timeline", args=[world.person.pk]))
        assert response.status_code == 404


def test_the_page_query_count_does_not_grow_with_entries(
    client: Any, world: Any, test_kinds: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(world.coordinator)
    url = reverse("people:timeline", args=[world.person.pk])
    _add(world, 3)
    with django_assert_num_queries(TIMELINE_PAGE):
        client.get(url)
    _add(world, 60, kind="test.therapy", program=world.housing)
    with django_assert_num_queries(TIMELINE_PAGE):
        response = client.get(url)
    assert response.context["page"].next_cursor is not None


def test_the_person_page_shows_the_latest_five(client: Any, world: Any, test_kinds: Any) -> None:
    _add(world, 8)
    client.force_login(world.coordinator)
    response = client.get(reverse("people:detail", args=[world.person.pk]))
    body = response.content.decode()
    assert 'id="journey-heading"' in body
    assert "Visit 7" in body and "Visit 3" in body and "Visit 2" not in body
    assert reverse("people:timeline", args=[world.person.pk]) in body


def test_the_page_takes_the_last_day_there_is(client: Any, world: Any) -> None:
    client.force_login(world.coordinator)
    url = reverse("people:timeline", args=[world.person.pk])
    response = client.get(url, {"since": "0001-01-01", "until": "9999-12-31"})
    assert response.status_code == 200
    assert "Housing Navigation: Referred" in response.content.decode()
