"""The journey timeline: one table of a person's touchpoints, written by each app's
services in the same transaction as the change they describe (`add_entry`), and read a
page at a time, newest first, as far as the viewer may see it (`timeline_page`).

Which entries a viewer gets: those of the programs they work in (all of them for an
admin of the person's organization) and those that belong to no program. How much of
each: the one sensitivity rule (`people.sensitivity.disclosure_for`) decides whether a
sensitive entry (or an entry of a sensitive kind) shows its details or says
"Details restricted to the care team." The entry itself is always listed: hidden is
never silence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.lib import compiled
from alongside.lib.urls import MAX_ID
from alongside.organizations.models import Program
from alongside.people.contributions import TimelineKind, timeline_kinds
from alongside.people.models import Person, TimelineEntry
from alongside.people.sensitivity import RESTRICTED, Disclosure, disclosure_for

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
PANEL_SIZE = 5
SUMMARY_LENGTH = TimelineEntry._meta.get_field("summary").max_length or 300
P = ParamSpec("P")
BAD_CURSOR = "That page of the timeline could not be found: start again from the newest entries."


# ---------------------------------------------------------------- writing


def new_entry(
    *,
    person: Person,
    kind: str,
    occurred_at: dt.datetime,
    summary: str,
    actor: Any,
    program: Program | None = None,
    subject: Model | None = None,
    details: str = "",
    sensitive: bool | None = None,
    link: str = "",
) -> TimelineEntry:
    """One entry of the person's timeline, checked but not yet saved (`add_entry`
    saves one, `add_entries` many). `sensitive` defaults to the kind's; `summary` must
    be safe for anyone who may see the person, `details` is shown only as far as the
    sensitivity rule allows."""
    registered = timeline_kinds.get(kind)
    if registered is None:
        raise ValueError(
            f"Timeline kind {kind!r} is not registered: register a TimelineKind in the "
            "owning app's AppConfig.ready()."
        )
    if timezone.is_naive(occurred_at):
        raise ValueError("A timeline entry's time must be timezone-aware.")
    if not summary.strip():
        raise ValueError("A timeline entry needs a summary.")
    return TimelineEntry(
        person=person,
        organization_id=person.organization_id,
        program=program,
        kind=kind,
        occurred_at=occurred_at,
        actor=actor if getattr(actor, "pk", None) is not None else None,
        summary=summary[:SUMMARY_LENGTH],
        details=details,
        sensitive=registered.sensitive if sensitive is None else sensitive,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        link=link,
    )


def _saving(make: Callable[P, TimelineEntry]) -> Callable[P, TimelineEntry]:
    def save(*args: P.args, **kwargs: P.kwargs) -> TimelineEntry:
        entry = make(*args, **kwargs)
        entry.save(force_insert=True)
        return entry

    return save


# Write one entry to the person's timeline (the arguments of `new_entry`). Called by a
# service inside its own transaction (and audit event), so the entry exists exactly when
# the change does.
add_entry = _saving(new_entry)


def add_entries(entries: Sequence[TimelineEntry]) -> list[TimelineEntry]:
    """Write entries made by `new_entry` in one insert: for a service that changes many
    rows at once (the follow-up sweep), in its transaction."""
    return TimelineEntry.objects.bulk_create(entries)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class ShownEntry:
    """An entry as one viewer may see it: `details` is the restricted wording when they
    may not read it, and `restricted` says so."""

    id: int
    kind: str
    label: str
    group: str
    occurred_at: dt.datetime
    actor: str
    program: str
    summary: str
    details: str
    restricted: bool
    link: str


@dataclass(frozen=True)
class TimelinePage:
    entries: list[ShownEntry]
    next_cursor: str | None


@dataclass(frozen=True)
class TimelineFilter:
    groups: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    program_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None  # exclusive


def period(
    since: dt.date | None, until: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Whole days from `since` to `until` (inclusive) in the server's time zone, as the
    start and the (exclusive) end of a TimelineFilter."""

    def start(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    end = None if until is None or until == dt.date.max else start(until + dt.timedelta(days=1))
    return (start(since) if since else None), end


def kind_groups() -> list[str]:
    """The groups the kind filter offers, from the registered kinds."""
    return sorted({kind.group for kind in timeline_kinds})


# Cursors count microseconds from the start of year 1 (UTC), so they are never negative.
EPOCH = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
MAX_MICROS = (dt.datetime.max.replace(tzinfo=dt.UTC) - EPOCH) // dt.timedelta(microseconds=1)


def encode_cursor(entry: TimelineEntry | ShownEntry) -> str:
    micros = (entry.occurred_at.astimezone(dt.UTC) - EPOCH) // dt.timedelta(microseconds=1)
    return f"{micros}.{entry.id}"


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    """The (occurred_at, id) a cursor points after; ValueError for anything that is not
    "<digits>.<digits>" with an id from 1. Beyond the last possible moment or id means
    from the newest."""
    micros_text, _, id_text = cursor.partition(".")
    if not (micros_text.isascii() and micros_text.isdigit() and id_text.isascii()):
        raise ValueError(BAD_CURSOR)
    if not id_text.isdigit() or len(micros_text) > 20 or len(id_text) > 20 or int(id_text) < 1:
        raise ValueError(BAD_CURSOR)
    micros, pk = min(int(micros_text), MAX_MICROS), min(int(id_text), MAX_ID)
    return EPOCH + dt.timedelta(microseconds=micros), pk


def visible_programs(viewer: Any, person: Person) -> Q:
    """The entries of `person` a viewer gets: every one for an admin of the person's
    organization, otherwise those of the viewer's programs and those of no program."""
    scope = scope_for(viewer)
    if scope.is_admin_of(person.organization_id):
        return Q()
    return Q(program__isnull=True) | Q(program_id__in=scope.program_ids)


def programs_key(viewer: Any, person: Person) -> frozenset[int] | None:
    """What `visible_programs` depends on, for keying a statement compiled from it
    (`lib.compiled`): None for every entry, else the viewer's programs."""
    scope = scope_for(viewer)
    return None if scope.is_admin_of(person.organization_id) else scope.program_ids


def filter_programs(viewer: Any, person: Person) -> list[tuple[int, str]]:
    """The programs of the person's enrollments (read with the person) whose entries the
    viewer gets, for the program filter."""
    scope = scope_for(viewer)
    admin = scope.is_admin_of(person.organization_id)
    found = {
        e.program_id: e.program.name
        for e in person.enrollments.all()
        if admin or e.program_id in scope.program_ids
    }
    return sorted(found.items(), key=lambda item: (item[1], item[0]))


def _entries(viewer: Any, person: Person, chosen: TimelineFilter) -> QuerySet[TimelineEntry]:
    return _entries_of(person.pk, visible_programs(viewer, person), chosen)


def _entries_of(person_id: int, visible: Q, chosen: TimelineFilter) -> QuerySet[TimelineEntry]:
    entries = TimelineEntry.objects.filter(person_id=person_id).filter(visible)
    kinds = set(chosen.kinds)
    if chosen.groups:
        kinds |= {k.key for k in timeline_kinds if k.group in chosen.groups}
    if chosen.groups or chosen.kinds:
        entries = entries.filter(kind__in=sorted(kinds))
    if chosen.program_id is not None:
        entries = entries.filter(program_id=chosen.program_id)
    if chosen.since is not None:
        entries = entries.filter(occurred_at__gte=chosen.since)
    if chosen.until is not None:
        entries = entries.filter(occurred_at__lt=chosen.until)
    return entries.select_related("actor", "program").order_by("-occurred_at", "-id")


def _shown(entry: TimelineEntry, disclosure: Disclosure) -> ShownEntry:
    kind: TimelineKind | None = timeline_kinds.get(entry.kind)
    # An entry whose kind is no longer registered is treated as sensitive: nothing says
    # its details are not.
    sensitive = entry.sensitive or kind is None or kind.sensitive
    restricted = sensitive and not disclosure.sensitive and bool(entry.details)
    actor = entry.actor
    return ShownEntry(
        id=entry.pk,
        kind=entry.kind,
        label=str(kind.label) if kind else entry.kind,
        group=kind.group if kind else "",
        occurred_at=entry.occurred_at,
        actor=(actor.get_full_name() or actor.get_username()) if actor else "",
        program=entry.program.name if entry.program else "",
        summary=kind.said(entry.summary) if kind and kind.said else entry.summary,
        details=str(RESTRICTED) if restricted else _said_details(kind, entry.details),
        restricted=restricted,
        link=entry.link,
    )


def _said_details(kind: TimelineKind | None, details: str) -> str:
    return kind.said_details(details) if kind and kind.said_details and details else details


def shown_entries(entries: Iterable[TimelineEntry], disclosure: Disclosure) -> list[ShownEntry]:
    return [_shown(entry, disclosure) for entry in entries]


def timeline_page(
    viewer: Any,
    person: Person,
    *,
    chosen: TimelineFilter = TimelineFilter(),  # noqa: B008 - frozen, so sharing is safe
    cursor: str = "",
    limit: int = PAGE_SIZE,
) -> TimelinePage:
    """A page of the person's timeline (read by the caller through `visible_to`, with its
    enrollments), newest first, after `cursor` (keyset on occurred_at and id: one index
    range however deep the page); recorded as one read of the person's information.
    ValueError for a cursor that is not one."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    entries = _entries(viewer, person, chosen)
    if cursor:
        at, pk = decode_cursor(cursor)
        # `occurred_at <= at` adds nothing to the OR but bounds the index range, so the
        # page starts at the cursor instead of filtering out every newer entry on the way.
        entries = entries.filter(occurred_at__lte=at).filter(
            Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=pk)
        )
    found = list(entries[: limit + 1])
    page = found[:limit]
    audit.record_for_person(
        actor=viewer,
        action=Action.VIEW,
        person=person,
        obj=person,
        detail={"purpose": "timeline", "count": len(page), "after": cursor},
    )
    shown = shown_entries(page, disclosure_for(viewer, person))
    return TimelinePage(shown, encode_cursor(page[-1]) if len(found) > limit else None)


def person_panel(context: Any) -> dict[str, Any]:
    """The person page's "Journey" panel: the latest entries, in one query (the page's
    own read of the person is the audited one)."""
    visible = visible_programs(context.viewer, context.person)

    def latest(person_id: int) -> QuerySet[TimelineEntry]:
        return _entries_of(person_id, visible, TimelineFilter())[:PANEL_SIZE]

    # The statement depends on the programs the viewer gets: compiled once per process
    # and programs (`lib.compiled`), the person's id its parameter.
    key = programs_key(context.viewer, context.person)
    entries = compiled.objects("people.timeline_panel", key, latest, context.person.pk)
    return {"timeline": shown_entries(entries, context.disclosure)}
