"""Reads for the worklist: whose caseload, every registered reason's items for it, and
the decisions that set some aside. Everything starts from `Person.objects.visible_to`
of the viewer; a teammate's worklist is theirs as far as the viewer may see it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from alongside.accounts.models import Membership, Role, User
from alongside.accounts.scope import scope_for
from alongside.audit.services import Action
from alongside.lib import compiled
from alongside.people.contributions import WorklistItem, worklist_reasons
from alongside.people.models import Enrollment, Person, Profile
from alongside.people.selectors import audit_people, my_first_people
from alongside.people.sensitivity import sees_sensitive
from alongside.worklist import statements
from alongside.worklist.models import WorklistDecision

ROW_LIMIT = 100


def caseload_of(viewer: User, owner: User | None = None) -> QuerySet[Person]:
    """The people on `owner`'s caseload (the viewer's own when None) that the viewer may
    see: those whose open enrollment names the owner as primary coordinator and, for a
    supervisor, everyone with an open enrollment in the programs they supervise."""
    owner = owner or viewer
    return _caseload(viewer, owner.pk, scope_for(owner).supervised_program_ids)


def _caseload(viewer: User, owner_id: int, supervised: frozenset[int]) -> QuerySet[Person]:
    open_enrollments = Enrollment.objects.filter(
        person_id=OuterRef("pk"), status__in=Enrollment.OPEN_STATUSES
    )
    condition: Any = Exists(open_enrollments.filter(primary_coordinator_id=owner_id))
    if supervised:
        condition |= Exists(open_enrollments.filter(program_id__in=supervised))
    return Person.objects.visible_to(viewer).filter(condition)


def has_caseload(user: User) -> bool:
    return caseload_of(user).exists()


def with_care_note_flag(people: QuerySet[Person]) -> QuerySet[Person]:
    """People with `has_care_note`: whether an approach-with-care note exists (never its
    text, which only the care team reads, on the person's page)."""
    notes = Profile.objects.filter(person_id=OuterRef("pk")).exclude(approach_with_care="")
    return people.annotate(has_care_note=Exists(notes))


# ---------------------------------------------------------------- teammates


def teammates(viewer: User) -> QuerySet[User]:
    """Active staff who share a program with the viewer in a role that coordinates
    (schedulers have no caseload), or who work in an organization the viewer
    administers: whose worklist the viewer may open when covering for them."""
    scope = scope_for(viewer)
    shares = Membership.objects.filter(user_id=OuterRef("pk")).exclude(role=Role.SCHEDULER)
    together = Q(program_id__in=scope.program_ids) | Q(
        organization_id__in=scope.admin_organization_ids, program__isnull=False
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Exists(shares.filter(together)))
        .exclude(pk=viewer.pk)
        .order_by("first_name", "last_name", "id")
    )


def teammate(viewer: User, pk: int) -> User:
    """One teammate (see `teammates`); DoesNotExist for anyone else (a 404)."""
    return teammates(viewer).get(pk=pk)


def oversees_team(viewer: User) -> bool:
    scope = scope_for(viewer)
    return bool(scope.supervised_program_ids or scope.admin_organization_ids)


# ---------------------------------------------------------------- the worklist


@dataclass
class Row:
    """One person who needs attention, with every reason why, most pressing first."""

    person: Person
    items: list[WorklistItem]

    @property
    def urgency(self) -> int:
        return min(_urgency(i) for i in self.items)

    @property
    def due_at(self) -> dt.datetime:
        return min(i.due_at for i in self.items)


@dataclass
class Decided:
    """An item set aside by a decision: still listed, with who, why and an undo."""

    decision: WorklistDecision
    person: Person
    item: WorklistItem


@dataclass
class Worklist:
    owner: User
    covering: bool
    rows: list[Row]
    total: int
    done: list[Decided] = field(default_factory=list)
    snoozed: list[Decided] = field(default_factory=list)


def _urgency(item: WorklistItem) -> int:
    reason = worklist_reasons.get(item.reason)
    return reason.urgency if reason else 100


def find_items(
    viewer: User, caseload: QuerySet[Person], now: dt.datetime, *, key: Hashable | None = None
) -> list[WorklistItem]:
    """Every registered reason's items for the caseload, their rows read in one
    statement (`lib.union`), so the reasons cost one query together, whatever the number
    of reasons or of people. With `key` (everything the caseload's SQL depends on), the
    statement is kept for the rest of the day (`statements.rows`)."""
    reasons = tuple(worklist_reasons)
    found: list[WorklistItem] = []
    for reason, rows in zip(
        reasons, statements.rows(reasons, viewer, caseload, now, key), strict=True
    ):
        if rows:
            found.extend(reason.items(viewer, rows, now))
    return found


def standing_decisions(people: QuerySet[Person], today: dt.date) -> QuerySet[WorklistDecision]:
    """Decisions that still set an item aside today: done today, or snoozed past today."""
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return (
        WorklistDecision.objects.filter(person__in=people, undone_at__isnull=True)
        .filter(
            Q(action=WorklistDecision.Action.DONE, created_at__gte=start)
            | Q(action=WorklistDecision.Action.SNOOZED, until__gt=today)
        )
        .select_related("decided_by", "covering_for")
    )


def _item_id(person_id: int, reason: str, key: str) -> tuple[int, str, str]:
    return (person_id, reason, key)


def split_decided(
    items: Iterable[WorklistItem], decisions: Iterable[WorklistDecision]
) -> tuple[list[WorklistItem], list[tuple[WorklistDecision, WorklistItem]]]:
    """Items still to do, and those a standing decision sets aside (with the decision)."""
    by_item = {_item_id(d.person_id, d.reason_key, d.item_key): d for d in decisions}
    open_items, set_aside = [], []
    for item in items:
        decision = by_item.get(_item_id(item.person_id, item.reason, item.key))
        if decision is None:
            open_items.append(item)
        else:
            set_aside.append((decision, item))
    return open_items, set_aside


def _rows(items: list[WorklistItem], people: Mapping[int, Person]) -> list[Row]:
    """One row a person, their items most pressing first; rows ordered by their most
    urgent kind of reason, then by how long it has been due."""
    grouped: dict[int, list[WorklistItem]] = defaultdict(list)
    for item in items:
        grouped[item.person_id].append(item)
    rows = [
        Row(people[pk], sorted(found, key=lambda i: (_urgency(i), i.due_at)))
        for pk, found in grouped.items()
        if pk in people
    ]
    rows.sort(key=lambda r: (r.urgency, r.due_at, r.person.display_name, r.person.pk))
    return rows


def _read_worklist(viewer: User, owner: User, now: dt.datetime, limit: int) -> Worklist:
    """The worklist, not yet recorded (`worklist_for` and `start_page` record it)."""
    covering = owner.pk != viewer.pk
    supervised = scope_for(owner).supervised_program_ids
    caseload = _caseload(viewer, owner.pk, supervised)
    # What the caseload's SQL depends on: the viewer's scope (visible_to), the owner and
    # the programs they supervise.
    key = ("caseload", scope_for(viewer), owner.pk, supervised)
    today = timezone.localdate(now)

    def decisions(owner_id: int) -> QuerySet[WorklistDecision]:
        return standing_decisions(_caseload(viewer, owner_id, supervised), today)

    # Compiled once for the day (its start, in the zone): the owner's id the parameter.
    day = (key[:2], supervised, today, timezone.get_current_timezone_name())
    open_items, set_aside = split_decided(
        find_items(viewer, caseload, now, key=key),
        compiled.objects("worklist.decisions", day, decisions, owner.pk),
    )
    wanted = {i.person_id for i in open_items} | {i.person_id for _, i in set_aside}
    people: dict[int, Person] = {}
    if wanted:  # nobody to show: no query for them
        # `care_team`: whether the viewer may set the person's items aside (services
        # check it).
        loaded = with_care_note_flag(Person.objects.filter(pk__in=wanted))
        people = {p.pk: p for p in loaded.annotate(care_team=sees_sensitive(viewer))}
    rows = _rows(open_items, people)
    decided = [Decided(d, people[i.person_id], i) for d, i in set_aside if i.person_id in people]
    return Worklist(
        owner=owner,
        covering=covering,
        rows=rows[:limit],
        total=len(rows),
        done=[d for d in decided if d.decision.action == WorklistDecision.Action.DONE],
        snoozed=[d for d in decided if d.decision.action == WorklistDecision.Action.SNOOZED],
    )


def _shown(worklist: Worklist) -> list[Person]:
    """The people a worklist names (its rows and the items set aside), each once."""
    shown = [r.person for r in worklist.rows] + [d.person for d in worklist.done + worklist.snoozed]
    return list({p.pk: p for p in shown}.values())


def worklist_for(
    viewer: User,
    owner: User | None = None,
    *,
    now: dt.datetime | None = None,
    limit: int = ROW_LIMIT,
) -> Worklist:
    """Who on the owner's caseload (the viewer's own by default) needs attention today,
    as the viewer may see them, and what was done or snoozed; recorded as one list
    event (naming whom the viewer covered for). A fixed number of queries: every
    reason's rows in one, the decisions, and the people shown."""
    owner = owner or viewer
    worklist = _read_worklist(viewer, owner, now or timezone.now(), limit)
    shown = _shown(worklist)
    if shown or worklist.covering:
        detail: dict[str, Any] = {"page": "worklist"}
        if worklist.covering:
            detail["covering_for"] = owner.pk
        audit_people(viewer, shown, Action.LIST, detail)
    return worklist


@dataclass
class StartPage:
    worklist: Worklist | None  # None for anyone without a caseload
    people: list[Person]  # the people the viewer coordinates, the first PEOPLE_SHOWN


PEOPLE_SHOWN = 100


def start_page(viewer: User, *, now: dt.datetime | None = None) -> StartPage:
    """The start page's reads: the people the viewer coordinates and, for anyone with a
    caseload, their worklist. Recorded as **one** list event naming everyone the page
    shows (`ids`; those on the worklist again under `worklist`), not one a section: each
    event is a commit waiting on the audit chain's head (bench/README.md, "Hub")."""
    people = my_first_people(viewer, PEOPLE_SHOWN)
    # Whoever coordinates someone has a caseload (my_people is within caseload_of); only
    # the others are asked (a supervisor's caseload is their programs' people).
    worklist = None
    if people or has_caseload(viewer):
        worklist = _read_worklist(viewer, viewer, now or timezone.now(), ROW_LIMIT)
    on_worklist = _shown(worklist) if worklist else []
    shown = list({p.pk: p for p in people + on_worklist}.values())
    if shown:
        detail = {"page": "home", "worklist": [p.pk for p in on_worklist]}
        audit_people(viewer, shown, Action.LIST, detail)
    return StartPage(worklist=worklist, people=people)


def decision_for(viewer: User, pk: int) -> WorklistDecision:
    """A decision about a person the viewer may see; DoesNotExist otherwise."""
    return WorklistDecision.objects.select_related("person").get(
        pk=pk, person__in=Person.objects.visible_to(viewer)
    )


def caseload_person(viewer: User, owner: User | None, pk: int) -> Person:
    """A person on the owner's caseload as the viewer sees it; DoesNotExist otherwise."""
    return caseload_of(viewer, owner).get(pk=pk)
