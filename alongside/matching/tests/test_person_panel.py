"""'Might be the same as…' on a person's page: the report's pairs still to review, for
those who may merge them, each leading to the side-by-side comparison, in a pinned number
of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.matching import panel
from alongside.matching.models import DuplicatePair
from alongside.people import selectors
from alongside.people.contributions import PanelContext, person_panels
from alongside.people.models import Person
from alongside.people.sensitivity import disclosure_for
from conftest import World, make_person

from .conftest import pair_of


def lupe_again(world: World, *, elsewhere: bool = False) -> Person:
    return make_person(
        world.colleague if elsewhere else world.coordinator,
        world.wellness if elsewhere else world.housing,
        legal_given_name="Lupe",
        legal_family_name="Hernandez",
        date_of_birth=dt.date(1984, 3, 9),
    )


def load(world: World, viewer: Any) -> Any:
    person = selectors.person_detail(viewer, world.person.pk)
    return panel.might_be_the_same(PanelContext(viewer, person, disclosure_for(viewer, person)))


def test_it_is_registered_as_a_person_panel() -> None:
    assert "matching.might_be_the_same" in person_panels


@pytest.mark.parametrize("persona", ["supervisor", "admin"])
def test_it_lists_pairs_to_review_for_those_who_may_merge(client, world, persona):
    twin = lupe_again(world)
    pair_of(world.person, twin)
    client.force_login(getattr(world, persona))
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Might be the same as…" in page
    assert reverse("matching:compare", args=[world.person.pk, twin.pk]) in page
    assert "Likely the same person" in page and "same date of birth" in page
    assert "9 Mar 1984" in page or "Mar 9, 1984" in page  # the project's date format
    event = AuditEvent.objects.filter(detail__purpose="might be the same").latest("id")
    assert event.person_id == world.person.pk and event.detail["people"] == [twin.pk]


@pytest.mark.parametrize("persona", ["coordinator", "scheduler"])
def test_it_is_not_shown_to_those_who_may_not_merge(client, world, persona):
    pair_of(world.person, lupe_again(world))
    client.force_login(getattr(world, persona))
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Might be the same as…" not in page


def test_it_leaves_out_reviewed_pairs_and_pairs_the_viewer_may_not_merge(world):
    reviewed = lupe_again(world)
    pair_of(world.person, reviewed, status=DuplicatePair.Status.NOT_THE_SAME)
    # Only in wellness: the housing supervisor neither sees nor may merge this record.
    elsewhere = lupe_again(world, elsewhere=True)
    pair_of(world.person, elsewhere)
    assert load(world, world.supervisor) is None
    shown = load(world, world.admin)
    assert [item["other"] for item in shown["possible_duplicates"]] == [elsewhere]


def test_it_shows_at_most_a_few_and_points_to_the_report(client, world):
    for _ in range(panel.SHOWN + 1):
        pair_of(world.person, lupe_again(world))
    shown = load(world, world.admin)
    assert len(shown["possible_duplicates"]) == panel.SHOWN
    assert shown["more_duplicates"] is True
    client.force_login(world.admin)
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert reverse("matching:duplicates") in page


# Appending an audit event: one statement on PostgreSQL, three on SQLite.
AUDIT = 1 if connection.vendor == "postgresql" else 3


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize("persona,queries", [("supervisor", 2 + AUDIT), ("admin", 1 + AUDIT)])
def test_it_keeps_to_its_pinned_queries(world, django_assert_num_queries, count, persona, queries):
    for _ in range(count):
        pair_of(world.person, lupe_again(world))
    viewer = getattr(world, persona)
    person = selectors.person_detail(viewer, world.person.pk)
    context = PanelContext(viewer, person, disclosure_for(viewer, person))
    assert queries <= panel.QUERIES
    with django_assert_num_queries(queries):
        assert panel.might_be_the_same(context) is not None
    coordinator_view = selectors.person_detail(world.coordinator, world.person.pk)
    context = PanelContext(
        world.coordinator, coordinator_view, disclosure_for(world.coordinator, coordinator_view)
    )
    with django_assert_num_queries(0):
        assert panel.might_be_the_same(context) is None
