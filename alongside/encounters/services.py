"""Every write of encounters and notes. Each takes the acting user, checks what they may
do, validates, saves in a transaction and records the audit event (and the journey
timeline entry) in that transaction. A signed note is never changed here: the database
refuses it too (migration 0002)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.encounters import definitions
from alongside.encounters.models import (
    Addendum,
    Encounter,
    Note,
    NoteSettings,
    NoteTemplateVersion,
)
from alongside.lib.english import in_english
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.lib.validation import full_clean
from alongside.organizations import program_settings
from alongside.organizations.models import Program
from alongside.people import services as people
from alongside.people import timeline
from alongside.people.models import Person
from alongside.people.permissions import can_manage_program
from alongside.people.sensitivity import disclosure_for
from alongside.tasks import services as tasks
from alongside.tasks.background import evaluate_person_later
from alongside.tasks.models import Task

ENCOUNTER_FIELDS = (
    "kind",
    "started_at",
    "ended_at",
    "duration_minutes",
    "modality",
    "place",
    "person_present",
    "summary",
)
MAX_OTHERS = 20
MAX_ADDENDUM = 20_000
# How far ahead of now an encounter may be said to start (clocks differ a little).
CLOCK_SKEW = dt.timedelta(minutes=5)

SIGNED = "This note is signed and cannot be changed. Add an addendum to correct or add to it."
NOT_SIGNED = "An addendum is added to a signed note. This note is a draft: edit it instead."
SIGNED_TWICE = "This note is already signed."
ONLY_AUTHOR = "Only the note's author can change or sign a draft."
# The section of a note template whose lines are the agreed next steps (the MI note's).
NEXT_STEPS = "next_steps"
NEXT_STEPS_DUE = dt.timedelta(days=7)
TASKS_MADE = "Tasks were already made from this note's next steps."
TASKS_MADE_CODE = "tasks_made"  # the ValidationError's code: the page's 409, the API's 200
NO_NEXT_STEPS = "This note has no next steps to make tasks from."
COSIGN_SUPERVISORS = "Only a supervisor of the note's program can co-sign it."
COSIGN_DRAFT = "A draft is not co-signed: its author signs it first."
COSIGN_OWN = "The note's author cannot co-sign their own note: another supervisor co-signs it."
COSIGNED_TWICE = "This note is already co-signed."
COSIGN_NOT_NEEDED = "This note's program does not ask for a co-signature."


class NoteLocked(Exception):
    """The note's state forbids this (changing a signed note, signing it twice, an
    addendum to a draft): a 409, with a message saying what to do instead. `code` says
    which state: "note_signed" or "note_draft"."""

    def __init__(self, message: str, code: str = "note_signed") -> None:
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- encounters


def _check_times(encounter: Encounter) -> None:
    errors: dict[str, str] = {}
    for name in ("started_at", "ended_at"):
        value = getattr(encounter, name)
        if value is not None and timezone.is_naive(value):
            errors[name] = "Give the time with its time zone."
    if errors:
        raise ValidationError(errors)
    if encounter.started_at > timezone.now() + CLOCK_SKEW:
        errors["started_at"] = "An encounter is recorded once it has started."
    if encounter.ended_at is not None and encounter.ended_at < encounter.started_at:
        errors["ended_at"] = "The end must be at or after the start."
    if errors:
        raise ValidationError(errors)
    if encounter.ended_at is not None:
        encounter.duration_minutes = int(
            (encounter.ended_at - encounter.started_at).total_seconds() // 60
        )


def _others(given: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """People who matter to the person and took part, as [{"name", "relationship"}]."""
    found = []
    for n, other in enumerate(given, 1):
        name = str(other.get("name", "")).strip()
        relationship = str(other.get("relationship", "")).strip()
        if not name or len(name) > 150 or len(relationship) > 100:
            raise ValidationError(
                {
                    "others": f"Person {n}: give a name (up to 150 characters) and, if you "
                    "like, how they are related (up to 100)."
                }
            )
        found.append({"name": name, "relationship": relationship})
    if len(found) > MAX_OTHERS:
        raise ValidationError({"others": f"Name at most {MAX_OTHERS} people."})
    return found


def _staff(person: Person, ids: Iterable[int]) -> list[Any]:
    wanted = sorted(set(ids))
    staff = list(
        get_user_model()
        .objects.filter(
            pk__in=wanted, is_active=True, memberships__organization_id=person.organization_id
        )
        .distinct()
    )
    if len(staff) != len(wanted):
        raise ValidationError({"staff": "Name staff of the person's organization only."})
    return staff


@transaction.atomic
def encounter_create(
    *,
    actor: Any,
    person: Person,
    program: Program,
    data: Mapping[str, Any],
    staff_ids: Iterable[int] = (),
    others: Iterable[Mapping[str, Any]] = (),
) -> Encounter:
    """Record an encounter with the person (read by the caller through `visible_to`, with
    their enrollments) in one of their programs. A real contact moves the person's last
    contact on; every encounter goes on their journey timeline."""
    if not can_manage_program(actor, program):
        raise NotPermitted("You can only record encounters in programs you work in.")
    if not any(e.program_id == program.pk for e in person.enrollments.all()):
        raise ValidationError({"program": "The person is not enrolled in this program."})
    encounter = Encounter(
        person=person, organization_id=person.organization_id, program=program, created_by=actor
    )
    for name in ENCOUNTER_FIELDS:
        if name in data:
            setattr(encounter, name, data[name])
    encounter.others = _others(others)
    team = _staff(person, staff_ids)
    if encounter.started_at is None:
        raise ValidationError({"started_at": "Say when the encounter started."})
    _check_times(encounter)
    full_clean(encounter)
    encounter.save()
    encounter.staff.set(team)
    if encounter.is_contact and encounter.person_present:
        people.record_contact(person=person, at=encounter.started_at)
        # Rule tasks this contact answers ("no contact for 30 days") close themselves now,
        # not at the next sweep.
        evaluate_person_later(person.pk)
    timeline.add_entry(
        person=person,
        kind="encounters.encounter",
        occurred_at=encounter.started_at,
        summary=in_english(_encounter_summary, encounter),
        details=encounter.summary,
        # What an encounter was about may be anything the person shared.
        sensitive=True,
        actor=actor,
        program=program,
        subject=encounter,
    )
    audit.record_for_person(
        actor=actor,
        action=Action.CREATE,
        person=person,
        obj=encounter,
        fields=[*(n for n in ENCOUNTER_FIELDS if n in data), "staff", "others"],
    )
    return encounter


def _encounter_summary(encounter: Encounter) -> str:
    minutes = encounter.duration_minutes
    kind = str(encounter.get_kind_display())
    return _("%(kind)s (%(minutes)s min)") % {"kind": kind, "minutes": minutes} if minutes else kind


# ---------------------------------------------------------------- notes


def _care_team(actor: Any, person: Person) -> None:
    if not disclosure_for(actor, person).sensitive:
        raise NotPermitted("Only the person's care team writes notes.")


def _locked(note: Note) -> Note:
    current = Note.objects.select_for_update().select_related("template_version").get(pk=note.pk)
    current.encounter = note.encounter  # already read in scope by the caller
    return current


def _authors_draft(actor: Any, note: Note, expected_version: int | None, signed: str) -> Note:
    """The note, locked, when it is a draft of the actor's at the version they read."""
    current = _locked(note)
    if current.is_signed:
        raise NoteLocked(signed)
    if current.author_id != getattr(actor, "pk", None):
        raise NotPermitted(ONLY_AUTHOR)
    if expected_version is not None and expected_version != current.version:
        raise StaleVersion(current.version)
    return current


@transaction.atomic
def note_start(*, actor: Any, encounter: Encounter, template_version: NoteTemplateVersion) -> Note:
    """A draft note on the encounter, from a template version, written by `actor`."""
    _care_team(actor, encounter.person)
    template = template_version.template
    if not template.is_active or template.organization_id not in (None, encounter.organization_id):
        raise ValidationError({"template": "Choose one of your organization's templates."})
    if template.program_id not in (None, encounter.program_id):
        raise ValidationError({"template": "This template is for another program."})
    note = Note.objects.create(
        encounter=encounter,
        template_version=template_version,
        author=actor,
        sensitive=template.sensitive,
        content={},
    )
    audit.record_for_person(actor=actor, action=Action.CREATE, person=encounter.person, obj=note)
    return note


@transaction.atomic
def note_save_draft(
    *, actor: Any, note: Note, content: Mapping[str, Any], expected_version: int | None
) -> Note:
    """Save sections of a draft (autosave calls this as the author types). Sections not
    given keep their text. Refused for a signed note (NoteLocked), someone else's draft,
    or a version other than `expected_version` (StaleVersion)."""
    current = _authors_draft(actor, note, expected_version, SIGNED)
    problems = definitions.content_problems(current.template_version.definition, content)
    if problems:
        raise ValidationError(problems)
    changed = [k for k, text in content.items() if current.content.get(k, "") != text]
    if not changed:
        return current
    current.content = {**current.content, **content}
    current.version += 1
    current.save(update_fields=["content", "version", "updated_at"])
    audit.record_for_person(
        actor=actor,
        action=Action.UPDATE,
        person=note.encounter.person,
        obj=current,
        fields=changed,
    )
    return current


@transaction.atomic
def note_sign(*, actor: Any, note: Note, expected_version: int | None) -> Note:
    """Sign the author's draft: from now on it is locked, and corrections are addenda."""
    current = _authors_draft(actor, note, expected_version, SIGNED_TWICE)
    missing = definitions.missing_required(current.template_version.definition, current.content)
    if missing:
        raise ValidationError(missing)
    current.status = Note.Status.SIGNED
    current.signed_at = timezone.now()
    current.cosignature_required = note_settings_for(note.encounter.program_id).requires_cosignature
    current.version += 1
    current.save(
        update_fields=["status", "signed_at", "cosignature_required", "version", "updated_at"]
    )
    summary = in_english(
        lambda: _("%(note)s signed") % {"note": current.template_version.template.name}
    )
    _on_journey(actor, note, "encounters.note_signed", current, current.signed_at, summary)
    audit.record_for_person(
        actor=actor,
        action=Action.UPDATE,
        person=note.encounter.person,
        obj=current,
        detail={"signed": True},
    )
    return current


def note_settings_for(program_id: int) -> NoteSettings:
    """The program's note settings, or the defaults (unsaved) when it has none."""
    return program_settings.settings_for(NoteSettings, program_id)


def note_settings_update(
    *, actor: Any, program: Program, requires_cosignature: bool
) -> NoteSettings:
    """Say whether the program's notes need a supervisor's co-signature: for its
    organization's admins. Notes signed before keep what they needed then."""
    found = note_settings_for(program.pk)
    found.requires_cosignature = requires_cosignature
    return program_settings.settings_save(
        actor=actor,
        settings=found,
        fields=["requires_cosignature"],
        refusal="Only an organization admin can change how a program signs notes.",
    )


@transaction.atomic
def note_cosign(*, actor: Any, note: Note, expected_version: int | None) -> Note:
    """A supervisor of the note's program co-signs a signed note that needs it (not their
    own). Once only: a second co-signature is NoteLocked ("note_cosigned"), and the
    database allows the co-signature columns to be written once, nothing else."""
    if not scope_for(actor).oversees_program(note.encounter.program_id):
        raise NotPermitted(COSIGN_SUPERVISORS)
    current = _locked(note)
    if not current.is_signed:
        raise NoteLocked(COSIGN_DRAFT, code="note_draft")
    if current.author_id == getattr(actor, "pk", None):
        raise NotPermitted(COSIGN_OWN)
    if current.cosigned_at is not None:
        raise NoteLocked(COSIGNED_TWICE, code="note_cosigned")
    if not current.cosignature_required:
        raise NoteLocked(COSIGN_NOT_NEEDED, code="cosignature_not_required")
    if expected_version is not None and expected_version != current.version:
        raise StaleVersion(current.version)
    current.cosigned_by = actor
    current.cosigned_at = timezone.now()
    current.version += 1
    current.save(update_fields=["cosigned_by", "cosigned_at", "version", "updated_at"])
    summary = in_english(
        lambda: _("%(note)s co-signed") % {"note": current.template_version.template.name}
    )
    _on_journey(actor, note, "encounters.note_cosigned", current, current.cosigned_at, summary)
    audit.record_for_person(
        actor=actor,
        action=Action.UPDATE,
        person=note.encounter.person,
        obj=current,
        detail={"cosigned": True},
        fields=["cosigned_by", "cosigned_at"],
    )
    return current


def _on_journey(
    actor: Any, note: Note, kind: str, subject: Note | Addendum, at: Any, summary: str
) -> None:
    timeline.add_entry(
        person=note.encounter.person,
        kind=kind,
        occurred_at=at,
        summary=summary,
        actor=actor,
        program=note.encounter.program,
        subject=subject,
    )


@transaction.atomic
def addendum_add(*, actor: Any, note: Note, content: str) -> Addendum:
    """A signed, unchangeable addition to a signed note, by anyone on the care team."""
    person = note.encounter.person
    _care_team(actor, person)
    current = _locked(note)
    if not current.is_signed:
        raise NoteLocked(NOT_SIGNED, code="note_draft")
    text = content.strip()
    if not text:
        raise ValidationError({"content": "Write the addendum."})
    if len(text) > MAX_ADDENDUM:
        raise ValidationError({"content": f"Keep an addendum under {MAX_ADDENDUM} characters."})
    addendum = Addendum.objects.create(
        note=current, content=text, author=actor, signed_at=timezone.now()
    )
    summary = in_english(
        lambda: _("Addendum to the %(note)s") % {"note": current.template_version.template.name}
    )
    _on_journey(actor, note, "encounters.addendum", addendum, addendum.signed_at, summary)
    audit.record_for_person(
        actor=actor, action=Action.CREATE, person=person, obj=addendum, detail={"note": note.pk}
    )
    return addendum


# ---------------------------------------------------------------- next steps to tasks


def next_steps(note: Note) -> list[str]:
    """The note's agreed next steps, one a line, blank lines left out."""
    text = str(note.content.get(NEXT_STEPS, ""))
    return [line.strip() for line in text.splitlines() if line.strip()]


TITLE_LENGTH = Task._meta.get_field("title").max_length or 200


def _step_description(step: str, title: str, name: str, note: Note) -> str:
    """Where the step came from, and the step in full when the title had to shorten it."""
    source = f"From the {name} signed by {note.author.get_full_name()}."
    return source if step == title else f"{step}\n\n{source}"


def _next_step_key(note: Note, line: int) -> str:
    return f"note:{note.pk}:{line}"


@transaction.atomic
def note_tasks_create(
    *, actor: Any, note: Note, due_in: dt.timedelta = NEXT_STEPS_DUE
) -> list[Task]:
    """One task per agreed next step of a signed note, assigned to its author (to the
    program's team queue when they no longer work there), routine, due in a week. Once
    only: a second time is refused (and the database refuses a second task per line).
    A task is seen by everyone who sees the person, so a sensitive note's steps become
    sensitive tasks: the care team reads the step, anyone else a neutral title
    (`tasks.presenting`, the one sensitivity rule)."""
    _care_team(actor, note.encounter.person)
    current = (
        Note.objects.select_for_update(of=("self",))
        .select_related("encounter__program", "encounter__person", "template_version__template")
        .get(pk=note.pk)
    )
    if not current.is_signed:
        raise NoteLocked(
            "Sign the note first: tasks are made from a signed note's next steps.",
            code="note_draft",
        )
    steps = next_steps(current)
    if not steps:
        raise ValidationError({NEXT_STEPS: NO_NEXT_STEPS})
    if Task.objects.filter(
        origin=Task.Origin.NOTE, occurrence_key__startswith=f"note:{current.pk}:"
    ).exists():
        raise ValidationError(TASKS_MADE, code=TASKS_MADE_CODE)
    program = current.encounter.program
    assignee: Any = current.author
    try:
        tasks.check_assignee(program, assignee)
    except ValidationError:
        assignee = None
    name = current.template_version.template.name
    due = timezone.now() + due_in
    made = []
    for n, step in enumerate(steps, start=1):
        title = step if len(step) <= TITLE_LENGTH else step[: TITLE_LENGTH - 1] + "…"
        made.append(
            tasks.task_create(
                actor=actor,
                program=program,
                person=current.encounter.person,
                assignee=assignee,
                data={
                    "title": title,
                    "description": _step_description(step, title, name, current),
                    "due_at": due,
                    "priority": "routine",
                },
                origin=Task.Origin.NOTE,
                occurrence_key=_next_step_key(current, n),
                sensitive=current.sensitive,
            )
        )
    return made
