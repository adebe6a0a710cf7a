"""The extension points of a person's record: registries that refuse a key twice, and
panels that keep to the number of queries they declare, for every persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.lib.registry import DuplicateContribution, Registry
from alongside.people import selectors
from alongside.people.contributions import (
    LoadedPanel,
    PanelContext,
    PersonPanel,
    load_panels,
    person_panels,
    record_lineages,
    registration_assists,
)
from alongside.people.models import Person
from alongside.people.sensitivity import NOTHING, disclosure_for


def test_it_refuses_a_key_registered_twice() -> None:
    registry: Registry[PersonPanel] = Registry("person panel")
    panel = PersonPanel(key="x.panel", template="x.html", load=lambda c: {}, queries=0)
    registry.register(panel)
    with pytest.raises(DuplicateContribution, match="person panel 'x.panel' is already registered"):
        registry.register(panel)


def test_it_lists_the_apps_contributions() -> None:
    assert "intake.needs_and_screenings" in person_panels
    assert "matching.merge" in record_lineages
    assert "matching.likely_duplicates" in registration_assists


# Those who see the person (the colleague in another program does not).
PERSONAS = ["coordinator", "supervisor", "admin", "scheduler"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_panel_keeps_to_its_declared_queries(world: Any, persona: str) -> None:
    viewer = getattr(world, persona)
    try:
        person = selectors.person_detail(viewer, world.person.pk)
    except Person.DoesNotExist:
        pytest.fail(f"{persona} should see the person")
    context = PanelContext(viewer, person, disclosure_for(viewer, person))
    for panel in person_panels:
        with CaptureQueriesContext(connection) as queries:
            panel.load(context)
        assert len(queries) <= panel.queries, f"{panel.key}: {len(queries)} > {panel.queries}"


def test_the_person_page_renders_a_contributed_panel(
    world: Any, client: Any, settings: Any, tmp_path: Any
) -> None:
    (tmp_path / "greeting.html").write_text('<section class="card"><p>{{ greeting }}</p></section>')
    engine = dict(settings.TEMPLATES[0])
    settings.TEMPLATES = [engine | {"DIRS": [*engine.get("DIRS", []), str(tmp_path)]}]
    panel = PersonPanel(
        key="test.greeting",
        template="greeting.html",
        load=lambda context: {"greeting": f"Hello from a panel for {context.person.pk}"},
        queries=0,
        region="alerts",
    )
    person_panels.register(panel)
    try:
        client.force_login(world.coordinator)
        body = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    finally:
        person_panels.unregister("test.greeting")
    greeting = body.index(f"Hello from a panel for {world.person.pk}")
    # The alerts region comes before the person's own words.
    assert greeting < body.index("own words")


def test_a_panel_with_nothing_to_show_is_left_out(world: Any) -> None:
    panel = PersonPanel(key="test.empty", template="missing.html", load=lambda c: None, queries=0)
    person_panels.register(panel)
    try:
        loaded = load_panels(PanelContext(world.coordinator, world.person, NOTHING))
    finally:
        person_panels.unregister("test.empty")
    keys = [p.key for region in loaded.values() for p in region]
    assert "test.empty" not in keys
    assert all(isinstance(p, LoadedPanel) for region in loaded.values() for p in region)


def test_the_next_page_sends_the_panels_reads_together_and_shows_the_same(
    transactional_db: Any, client: Any, world: Any, sent_ahead: list[tuple[Any, ...]]
) -> None:
    """Outside a transaction, as a page runs (inside one nothing is sent ahead)."""
    import re

    sent = sent_ahead
    client.force_login(world.coordinator)
    url = reverse("people:detail", args=[world.person.pk])
    pages = [client.get(url).content.decode() for _ in range(2)]
    # The same page, but for each form's CSRF token (masked anew every time).
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", pages[0]) == token.sub("", pages[1])
    assert "Open tasks" in pages[1]
    if connection.vendor == "postgresql":  # one round trip for every kept statement
        [tags] = sent
        kinds = {cache_key[0] for _, cache_key in tags}
        assert {"tasks.panel", "plans.panel", "people.timeline_panel"} <= kinds
        assert "intake.open_urgent_flags" in kinds  # the navigation's count
    else:
        assert sent == []


def test_every_page_records_its_read_once_also_when_sent_after_the_panels_reads(
    transactional_db: Any, client: Any, world: Any, sent_ahead: list[tuple[Any, ...]]
) -> None:
    """On PostgreSQL the second page sends the audit event after the panels' reads; it
    has committed, chained as every other, when the page is answered."""
    from alongside.audit.models import AuditEvent
    from alongside.audit.selectors import verify_chain

    client.force_login(world.coordinator)
    url = reverse("people:detail", args=[world.person.pk])
    for _ in range(3):
        assert client.get(url).status_code == 200
    views = AuditEvent.objects.filter(action="view", person_id=world.person.pk)
    assert views.count() == 3
    assert {e.detail["purpose"] for e in views} == {"view"}
    assert {e.actor_id for e in views} == {world.coordinator.pk}
    assert verify_chain().ok
    assert len(sent_ahead) == (2 if connection.vendor == "postgresql" else 0)
    assert not connection.in_atomic_block
    if connection.vendor == "postgresql":
        import psycopg

        assert connection.connection.info.transaction_status == (psycopg.pq.TransactionStatus.IDLE)
