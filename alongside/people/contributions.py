"""The extension points of a person's record. The foundation defines them; the apps built
on it (intake, matching, and the hub, plans and scheduling after them) fill them in their
`AppConfig.ready()`, so `people` never imports the apps above it. Every contribution
shows a person only as far as the one sensitivity rule lets its viewer see them.

- person panels: sections of the person page, each loading its own data in a bounded
  number of queries;
- timeline kinds: what an app writes to a person's journey timeline and how it reads;
- worklist reasons: why a person needs a coordinator's attention today;
- caseload filters: what the caseload view can filter by beyond the foundation's fields;
- follow-up triggers: conditions a program's follow-up rules watch for (an urgent
  result, a discharge, time without contact), each occurrence becoming one task;
- registration assists: fragments inside the registration form;
- record lineage: where a record that no longer answers now lives (a merge), and which
  earlier records count as this one;
- navigation items: top-level pages about the people served (the urgent-results queue),
  each with a count of what waits there for the viewer ("Urgent results (3)").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.utils.functional import Promise

from alongside.accounts.actors import Actor
from alongside.lib.registry import Registry
from alongside.lib.union import read_together

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.utils.functional import Promise

    from alongside.people.models import Person
    from alongside.people.sensitivity import Disclosure

Region = Literal["alerts", "main"]
REGIONS: tuple[Region, ...] = ("alerts", "main")


@dataclass(frozen=True)
class PanelContext:
    """What every panel loader gets: the viewer, the person as the viewer may read them
    (through `visible_to`, enrollments loaded), and what the one sensitivity rule lets
    the viewer see of them (`people.sensitivity.disclosure_for`)."""

    viewer: Actor
    person: Person
    disclosure: Disclosure
    # What one app's panels read once and share while the page loads (intake's urgent
    # alert and its "Needs and screenings" panel read the person's flags in one query),
    # keyed by the app's own names.
    shared: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class PersonPanel:
    key: str
    template: str
    # Returns the template's context, or None when the panel has nothing to show this
    # viewer. Must not grow with the record: at most `queries` queries, pinned in tests.
    load: Callable[[PanelContext], Mapping[str, Any] | None]
    queries: int
    region: Region = "main"
    order: int = 100


@dataclass(frozen=True)
class LoadedPanel:
    key: str
    template: str
    data: Mapping[str, Any]


person_panels: Registry[PersonPanel] = Registry(
    "person panel", order=lambda p: (REGIONS.index(p.region), p.order, p.key)
)


def load_panels(context: PanelContext) -> dict[Region, list[LoadedPanel]]:
    """Every registered panel's data for this viewer, grouped by region, in order."""
    loaded: dict[Region, list[LoadedPanel]] = {region: [] for region in REGIONS}
    for panel in person_panels:
        data = panel.load(context)
        if data is not None:
            loaded[panel.region].append(LoadedPanel(panel.key, panel.template, data))
    return loaded


@dataclass(frozen=True)
class TimelineKind:
    """One kind of entry on the journey timeline (written by the owning app's services in
    the same transaction as the change it describes)."""

    key: str  # "<app>.<what happened>", e.g. "intake.screening_completed"
    label: str | Promise  # read in the viewer's language: gettext_lazy
    group: str  # what the timeline's kind filter offers, e.g. "screenings"
    # Whether the entry's details are sensitive (decided for the viewer by the one
    # sensitivity rule at read time; the entry itself is always listed).
    sensitive: bool = False
    # How a summary the system stored in English is said in the reader's language
    # (`lib.stored_words`); None shows it as stored.
    said: Callable[[str], str] | None = None
    # The same for details the system stored in English (why a message was blocked);
    # a person's or a worker's own words in them are shown as written.
    said_details: Callable[[str], str] | None = None


timeline_kinds: Registry[TimelineKind] = Registry("timeline kind")


@dataclass(frozen=True)
class WorklistItem:
    person_id: int
    reason: str  # the WorklistReason's key
    text: str  # a few words a coordinator reads at a glance: "urgent screening result 2 h ago"
    due_at: dt.datetime
    link: str = ""
    # Which occurrence this is (e.g. "flag:42"), so that a coordinator's "done today" or
    # "snooze" of one occurrence does not hide the next one for the same person.
    key: str = ""


# One source row of a worklist reason: a `values()` row, keyed by the names the query
# selected ("pk", "person_id", "appointment_type__name", an annotation's name).
WorklistRow = dict[str, Any]


@dataclass(frozen=True)
class WorklistReason:
    """Why a person needs attention today, contributed by the app that knows it.

    `rows(viewer, caseload, now)` says what to read: a `values()` query (not evaluated)
    of the rows behind the items, for people in `caseload` (already scoped to what the
    viewer may see), or None when this viewer has nothing to ask (no query at all). The
    worklist reads every reason's rows in **one** statement (their queries joined by
    UNION ALL, each row carried as JSON and read back with its columns' types), so a
    reason costs no round trip of its own. `items(viewer, rows, now)` turns those rows
    into `WorklistItem`s without a query: anything the text needs (a related name, the
    one sensitivity rule as `sees_sensitive(viewer, "person_id")`) is a column of `rows`.
    """

    key: str
    label: str | Promise  # read in the viewer's language: gettext_lazy
    rows: Callable[[Any, QuerySet[Person], dt.datetime], QuerySet[Any] | None]
    items: Callable[[Any, list[WorklistRow], dt.datetime], Iterable[WorklistItem]]
    urgency: int = 100  # lower first when two items are equally due

    def find(self, viewer: Any, caseload: QuerySet[Person], now: dt.datetime) -> list[WorklistItem]:
        """This reason's items alone, in one query (none when `rows` asks nothing), its
        rows read as the worklist's one statement reads them."""
        [rows] = read_together([self.rows(viewer, caseload, now)])
        return list(self.items(viewer, rows, now)) if rows else []


worklist_reasons: Registry[WorklistReason] = Registry(
    "worklist reason", order=lambda r: (r.urgency, r.key)
)


@dataclass(frozen=True)
class CaseloadFilter:
    """A filter of the caseload view (`/worklist/caseload/`) contributed by the app that
    knows the data, e.g. intake's "open need". `param` is its query-string name."""

    key: str
    param: str
    label: str
    # What the filter offers: (value, label) pairs, nothing sensitive (every viewer sees
    # them); `apply` keeps the people matching `value`, as the viewer may see them, as a
    # condition in the same query (no query of its own).
    choices: Callable[[], Sequence[tuple[str, str]]]
    apply: Callable[[Any, QuerySet[Person], str], QuerySet[Person]]
    order: int = 100


caseload_filters: Registry[CaseloadFilter] = Registry(
    "caseload filter", order=lambda f: (f.order, f.key)
)


@dataclass(frozen=True)
class Occurrence:
    """One time a follow-up trigger's condition arose for a person. `key` identifies it
    for good (e.g. "flag:42", "no-contact:2026-12-01"), so evaluating a rule again or on
    two workers at once finds the same occurrence and makes no second task."""

    person_id: int
    key: str
    since: dt.datetime  # when the condition arose; the rule's deadline counts from here
    why: str  # a few words for the task and the worklist: "urgent PHQ-9 result"
    # Whether it arose from something sensitive (an urgent screening flag): its task is
    # then shown only as far as the one sensitivity rule allows (`tasks.presenting`).
    sensitive: bool = False


@dataclass(frozen=True)
class FollowUpTrigger:
    """A condition a program's follow-up rule can watch for, contributed by the app that
    owns it. The hub's sweep evaluates configured rules by calling these."""

    key: str
    label: str
    # Occurrences for people enrolled in `program_ids` that are open at `now`, given the
    # rule's `days` parameter (0 when the trigger takes none). Bounded queries: this runs
    # over the whole population in the nightly sweep.
    occurrences: Callable[[Iterable[int], int, dt.datetime], Iterable[Occurrence]]
    # Whether the condition is met for this occurrence (e.g. the person was contacted
    # after it arose); a met occurrence's task closes itself. Defaults to "contacted since".
    resolved: Callable[[Person, Occurrence], bool] | None = None
    takes_days: bool = False


follow_up_triggers: Registry[FollowUpTrigger] = Registry("follow-up trigger")


def contacted_since(person: Person, occurrence: Occurrence) -> bool:
    return person.last_contacted_at is not None and person.last_contacted_at >= occurrence.since


@dataclass(frozen=True)
class FormAssist:
    """A fragment placed inside a person form (e.g. the registration form's "is this
    someone you already know?" check); it talks to its own app's URLs."""

    key: str
    template: str
    order: int = 100


registration_assists: Registry[FormAssist] = Registry(
    "registration assist", order=lambda a: (a.order, a.key)
)


@dataclass(frozen=True)
class RecordLineage:
    key: str
    # The record a no-longer-answering record now lives on, if the viewer may follow it.
    successor: Callable[[Any, int], Person | None]
    # This record's id and the ids of the records that became it.
    predecessors: Callable[[int], list[int]]


record_lineages: Registry[RecordLineage] = Registry("record lineage")


def successor_for(viewer: Actor, pk: int) -> Person | None:
    for lineage in record_lineages:
        found = lineage.successor(viewer, pk)
        if found is not None:
            return found
    return None


def lineage_ids(person_id: int) -> list[int]:
    ids = [person_id]
    for lineage in record_lineages:
        ids.extend(i for i in lineage.predecessors(person_id) if i not in ids)
    return ids


@dataclass(frozen=True)
class NavItem:
    """A link in the main navigation to a page an app owns, with, optionally, how many
    things wait there for the viewer. `count(viewer)` makes at most one query (it runs
    on every page) and counts only what the one sensitivity rule lets the viewer see and
    act on; 0 shows no number. `nav` is what the page's context sets as `nav` to mark
    the link as the current page."""

    key: str
    label: str | Promise
    url_name: str
    nav: str
    count: Callable[[Any], int] | None = None
    order: int = 100


@dataclass(frozen=True)
class NavLink:
    """A navigation item as one viewer sees it."""

    key: str
    label: str
    url_name: str
    nav: str
    count: int


nav_items: Registry[NavItem] = Registry("navigation item", order=lambda i: (i.order, i.key))


def nav_links(viewer: Actor) -> list[NavLink]:
    """Every navigation item for this viewer, in order, with its count."""
    return [
        NavLink(
            item.key,
            str(item.label),
            item.url_name,
            item.nav,
            item.count(viewer) if item.count is not None else 0,
        )
        for item in nav_items
    ]
