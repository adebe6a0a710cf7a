"""Reads of encounters and notes, through the person's scope (`Person.objects.
visible_to`) and the programs the viewer works in (as the journey timeline reads them),
with a sensitive note's content taken out for anyone the one sensitivity rule does not
let read it. Reads of a person's information are recorded."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet

from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.encounters.language import Term
from alongside.encounters.models import (
    Addendum,
    Encounter,
    Note,
    NoteSettings,
    NoteTemplate,
    NoteTemplateVersion,
)
from alongside.encounters.terms import terms_listed
from alongside.lib import compiled
from alongside.organizations.models import Program
from alongside.organizations.program_settings import programs_with
from alongside.people.models import Person
from alongside.people.selectors import my_programs, people_for, with_record
from alongside.people.sensitivity import RESTRICTED, Disclosure, disclosure_for, redact_person
from alongside.people.timeline import programs_key, visible_programs

PANEL_SIZE = 5
LIST_LIMIT = 200


def _in_programs(viewer: Any, person: Person) -> Q:
    """Encounters of the programs whose work on the person the viewer sees."""
    return visible_programs(viewer, person)


def person_for_encounters(user: Any, pk: int) -> Person:
    """The person, with their profile and enrollments, in the user's scope."""
    person = with_record(people_for(user), ("enrollments",)).get(pk=pk)
    redact_person(user, person)
    return person


def encounter_for_change(user: Any, pk: int) -> Encounter:
    """An encounter to write to (a note on it), read in scope; DoesNotExist otherwise."""
    return _encounter(user, pk)


def encounter_programs(user: Any, person: Person) -> QuerySet[Program]:
    """Programs the user may record an encounter in: the person's, that the user works
    in (or, for an admin, any of the organization's)."""
    return my_programs(user, organization_id=person.organization_id).filter(
        pk__in=[e.program_id for e in person.enrollments.all()]
    )


def _redact(note: Note, disclosure: Disclosure) -> Note:
    """A sensitive note's content (and its addenda) replaced in memory for a viewer who
    may not read it; services re-read what they change, so nothing redacted is saved."""
    note.restricted = note.sensitive and not disclosure.sensitive  # type: ignore[attr-defined]
    if note.restricted:  # type: ignore[attr-defined]
        note.content = {}
        for addendum in note.addenda.all():
            addendum.content = str(RESTRICTED)
    return note


def encounters_for(user: Any, person: Person, *, limit: int = LIST_LIMIT) -> list[Encounter]:
    """The person's encounters in the viewer's programs, newest first, with their notes'
    kinds; recorded as one read."""
    encounters = list(
        Encounter.objects.filter(person=person)
        .filter(_in_programs(user, person))
        .select_related("program", "created_by")
        .prefetch_related(
            Prefetch("notes", queryset=Note.objects.select_related("template_version__template"))
        )[:limit]
    )
    audit.record_for_person(
        actor=user,
        action=Action.LIST,
        person=person,
        object_type="encounters.encounter",
        detail={"count": len(encounters)},
    )
    return encounters


def _encounter(user: Any, pk: int) -> Encounter:
    encounter = Encounter.objects.select_related("program", "created_by").get(
        pk=pk, person__in=people_for(user)
    )
    person = with_record(Person.objects.filter(pk=encounter.person_id), ("enrollments",)).get()
    redact_person(user, person)  # the note page shows the approach-with-care note
    if not Encounter.objects.filter(pk=pk).filter(_in_programs(user, person)).exists():
        raise Encounter.DoesNotExist("Not in the viewer's programs")
    encounter.person = person
    return encounter


def encounter_detail(user: Any, pk: int) -> Encounter:
    """One encounter with its staff, notes and addenda, as the user may see them;
    DoesNotExist when out of scope."""
    encounter = _encounter(user, pk)
    disclosure = disclosure_for(user, encounter.person)
    notes = list(
        encounter.notes.select_related("template_version__template", "author").prefetch_related(
            Prefetch("addenda", queryset=Addendum.objects.select_related("author"))
        )
    )
    encounter.shown_notes = [_redact(n, disclosure) for n in notes]  # type: ignore[attr-defined]
    encounter.shown_staff = list(encounter.staff.all())  # type: ignore[attr-defined]
    audit.record_for_person(actor=user, action=Action.VIEW, person=encounter.person, obj=encounter)
    return encounter


def note_detail(user: Any, pk: int, *, purpose: str = "view") -> Note:
    """One note with its template, author and addenda, as the user may see it (a
    sensitive note's content restricted outside the care team); recorded as a read.
    DoesNotExist when out of scope."""
    note = (
        Note.objects.select_related("template_version__template", "author", "cosigned_by")
        .prefetch_related(Prefetch("addenda", queryset=Addendum.objects.select_related("author")))
        .get(pk=pk, encounter__person__in=people_for(user))
    )
    note.encounter = _encounter(user, note.encounter_id)
    audit.record_for_person(
        actor=user,
        action=Action.VIEW,
        person=note.encounter.person,
        obj=note,
        detail={"purpose": purpose},
    )
    return _redact(note, disclosure_for(user, note.encounter.person))


def note_for_change(user: Any, pk: int) -> Note:
    """A note to write to (a draft's autosave, signing, an addendum), read in scope
    without redaction: the services check who may do what, and never save what they
    did not re-read."""
    note = Note.objects.select_related("template_version__template").get(
        pk=pk, encounter__person__in=people_for(user)
    )
    note.encounter = _encounter(user, note.encounter_id)
    return note


def person_panel(context: Any) -> dict[str, Any]:
    """The person page's "Recent encounters" panel, in one query."""
    visible = _in_programs(context.viewer, context.person)

    def recent_of(person_id: int) -> QuerySet[Encounter]:
        return (
            Encounter.objects.filter(person_id=person_id)
            .filter(visible)
            .select_related("program")[:PANEL_SIZE]
        )

    # The statement depends on the programs the viewer sees: compiled once per process
    # and programs (`lib.compiled`), the person's id its parameter.
    key = programs_key(context.viewer, context.person)
    recent = compiled.objects("encounters.panel", key, recent_of, context.person.pk)
    return {"encounters": recent, "writes": context.disclosure.on_team}


def templates_for(encounter: Encounter) -> list[NoteTemplateVersion]:
    """The latest version of each active template the encounter's program may use."""
    templates = (
        NoteTemplate.objects.filter(is_active=True)
        .filter(Q(organization__isnull=True) | Q(organization_id=encounter.organization_id))
        .filter(Q(program__isnull=True) | Q(program_id=encounter.program_id))
    )
    latest = templates.annotate(latest=Max("versions__number")).values("pk", "latest")
    wanted = Q()
    for row in latest:
        wanted |= Q(template_id=row["pk"], number=row["latest"])
    if not wanted:
        return []
    return list(
        NoteTemplateVersion.objects.filter(wanted)
        .select_related("template")
        .order_by("template__name")
    )


def terms_for(organization_id: int) -> list[Term]:
    """The labeling terms an organization checks notes for: the shipped ones it has not
    turned off, and its own."""
    return [
        Term(t.row.term, t.row.alternative, t.row.why)
        for t in terms_listed(organization_id)
        if t.active
    ]


def program_note_settings(organization_id: int) -> list[tuple[Program, NoteSettings]]:
    """Each of the organization's programs with how its notes are signed (the defaults
    where it has no row), in one query: for its admins' settings page."""
    return programs_with(NoteSettings, organization_id)
