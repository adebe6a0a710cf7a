"""How a merge moves the rows of relations that cannot all simply be re-pointed (a
uniqueness rule, one row per person, or a duplicate the survivor would show twice). Each
rule moves the merged record's rows onto the survivor where that breaks no rule, and
otherwise keeps both pieces of information, noting what it did on the merge record so that
undo puts everything back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils import timezone

from alongside.matching import merge_words as words
from alongside.matching.merge_base import MergeWork
from alongside.people.enrollment_words import MERGE_CLOSURE
from alongside.people.models import (
    ContactPoint,
    Enrollment,
    Identifier,
    PersonLanguage,
    Profile,
)
from alongside.people.services import PROFILE_EDITABLE


def _move_languages(m: MergeWork, model: type[models.Model], field_name: str) -> None:
    """A language the survivor already has stays with the merged record (it says
    nothing new), but its 'needs an interpreter' carries over. The survivor's preferred
    language stays preferred."""
    theirs = {
        lang.language: lang
        for lang in PersonLanguage.objects.select_for_update().filter(person=m.survivor)
    }
    has_preferred = any(lang.is_preferred for lang in theirs.values())
    moving: list[int] = []
    for lang in PersonLanguage.objects.select_for_update().filter(person=m.merged).order_by("pk"):
        same = theirs.get(lang.language)
        if same is None:
            if lang.is_preferred and has_preferred:
                m.change(lang, "is_preferred", False, words.PREFERRED_STAYS)
            moving.append(lang.pk)
            continue
        m.keep(lang, "the survivor already has this language")
        if lang.interpreter_needed and not same.interpreter_needed:
            m.change(same, "interpreter_needed", True, words.NEEDS_INTERPRETER)
    m.move(model, field_name, moving)


def _move_identifiers(m: MergeWork, model: type[models.Model], field_name: str) -> None:
    """An identifier the survivor already has (same kind, issuer and value) stays with
    the merged record."""
    theirs = set(
        Identifier.objects.filter(person=m.survivor).values_list("kind", "issuer", "normalized")
    )
    moving: list[int] = []
    for identifier in Identifier.objects.select_for_update().filter(person=m.merged).order_by("pk"):
        if (identifier.kind, identifier.issuer, identifier.normalized) in theirs:
            m.keep(identifier, "the survivor already has this identifier")
        else:
            moving.append(identifier.pk)
    m.move(model, field_name, moving)


# Where a contact the survivor already has is more careful on the merged record, the
# survivor's copy takes on its care: (field, the careful value's test); the why is
# `merge_words.CAREFUL`'s.
_CAREFUL: tuple[tuple[str, Callable[[Any, Any], bool]], ...] = (
    ("may_leave_voicemail", lambda mine, theirs: theirs and not mine),
    ("may_text", lambda mine, theirs: theirs and not mine),
    ("may_call", lambda mine, theirs: theirs and not mine),
    ("may_email", lambda mine, theirs: theirs and not mine),
    ("safety_note", lambda mine, theirs: mine and not theirs),
    ("never_contact_times", lambda mine, theirs: mine and not theirs),
    ("best_times", lambda mine, theirs: mine and not theirs),
)


def _take_care(m: MergeWork, mine: ContactPoint, theirs: ContactPoint) -> None:
    """The survivor's copy of a contact takes on the merged copy's stricter rules."""
    changed = False
    for name, careful in _CAREFUL:
        if careful(getattr(mine, name), getattr(theirs, name)):
            m.change(theirs, name, getattr(mine, name), words.CAREFUL[name])
            changed = True
    if theirs.safe_hours_start is None and mine.safe_hours_start is not None:
        m.change(theirs, "safe_hours_start", mine.safe_hours_start, words.SAFE_HOURS)
        m.change(theirs, "safe_hours_end", mine.safe_hours_end, words.SAFE_HOURS)
        changed = True
    if changed:
        ContactPoint.objects.filter(pk=theirs.pk).update(version=models.F("version") + 1)


def _move_contact_points(m: MergeWork, model: type[models.Model], field_name: str) -> None:
    """A phone, email or address the survivor already has (the same kind and normalized
    value) stays with the merged record, so that none is shown twice; where that copy's
    contact rules are the more careful (no voicemail, no texts, a safety note, safe
    hours), the survivor's copy takes them on."""
    theirs = {
        (c.kind, c.normalized): c
        for c in ContactPoint.objects.select_for_update().filter(person=m.survivor)
    }
    moving: list[int] = []
    for contact in ContactPoint.objects.select_for_update().filter(person=m.merged).order_by("pk"):
        same = theirs.get((contact.kind, contact.normalized))
        if same is None:
            moving.append(contact.pk)
            continue
        m.keep(contact, "the survivor already has this contact")
        _take_care(m, contact, same)
    m.move(model, field_name, moving)


def _move_enrollments(m: MergeWork, model: type[models.Model], field_name: str) -> None:
    """All enrollments move. Where both records are open in the same program, the
    survivor's stays open and the merged record's is closed, with a note saying so."""
    open_programs = set(
        Enrollment.objects.filter(
            person=m.survivor, status__in=Enrollment.OPEN_STATUSES
        ).values_list("program_id", flat=True)
    )
    today = timezone.localdate()
    rows = list(Enrollment.objects.select_for_update().filter(person=m.merged).order_by("pk"))
    for enrollment in rows:
        if enrollment.is_open and enrollment.program_id in open_programs:
            why = words.OPEN_ENROLLMENT
            ended = max(today, enrollment.started_on or today)
            # In this order so that every step keeps "closed has a reason" true, and
            # undo (which goes backwards) reopens before clearing the reason.
            m.change(enrollment, "closure_reason", Enrollment.ClosureReason.MERGED.value, why)
            m.change(enrollment, "ended_on", ended, why)
            m.change(
                enrollment,
                "closure_note",
                MERGE_CLOSURE.message
                % {
                    "name": m.survivor.display_name,
                    "merged": m.merged.pk,
                    "survivor": m.survivor.pk,
                },
                why,
            )
            m.change(enrollment, "status", Enrollment.Status.CLOSED.value, why)
    m.move(model, field_name, [e.pk for e in rows])


def _move_needs(m: MergeWork, model: type[models.Model], field_name: str) -> None:
    """All needs move. Where both records have an open need of the same kind, the
    survivor's stays open and the merged record's is marked resolved (by the merge)."""
    need_model: Any = model
    open_statuses = [str(s) for s in need_model.OPEN_STATUSES]
    open_kinds = set(
        need_model._base_manager.filter(person=m.survivor, status__in=open_statuses).values_list(
            "kind", flat=True
        )
    )
    rows = list(need_model._base_manager.select_for_update().filter(person=m.merged).order_by("pk"))
    for need in rows:
        if need.status in open_statuses and need.kind in open_kinds:
            m.change(
                need,
                "status",
                need_model.Status.RESOLVED.value,
                words.NEED_RESOLVED,
            )
    m.move(model, field_name, [n.pk for n in rows])


def _move_profile(m: MergeWork, model: type[models.Model], field_name: str) -> None:
    """The survivor keeps its one-page profile. Sections it has left empty are filled
    from the merged record's; where both wrote something different, the survivor's words
    stay and the merged record keeps its own profile, listed on the merge record. When
    the survivor has no profile, the merged record's moves."""
    theirs = Profile.objects.select_for_update().filter(person=m.survivor).first()
    mine = Profile.objects.select_for_update().filter(person=m.merged).first()
    if mine is None:
        return
    if theirs is None:
        m.move(model, field_name, [mine.pk])
        return
    m.keep(mine, "the survivor keeps its own profile; empty sections were filled from this one")
    filled = False
    for name in PROFILE_EDITABLE:
        text, own = getattr(mine, name), getattr(theirs, name)
        if not text or text == own:
            continue
        if not own:
            m.change(theirs, name, text, words.FILLED_PROFILE)
            filled = True
        else:
            m.keep(mine, "the survivor's own words were kept", name)
    if filled:
        Profile.objects.filter(pk=theirs.pk).update(version=models.F("version") + 1)


def _move_one_per_person(m: MergeWork, model: type[models.Model], field_name: str) -> None:
    """A row a person has at most one of (scheduling preferences): the survivor keeps
    its own; when it has none, the merged record's moves."""
    rows: Any = model._base_manager.select_for_update()
    mine = rows.filter(**{field_name: m.merged}).first()
    if mine is None:
        return
    if model._base_manager.filter(**{field_name: m.survivor}).exists():
        m.keep(mine, "the survivor keeps its own")
    else:
        m.move(model, field_name, [mine.pk])


def _move_unless_survivor_has(other: str) -> Callable[[MergeWork, type[models.Model], str], None]:
    """Rows unique per person and `other` (a seat in a group session, a live waitlist
    entry for an appointment type): a row whose `other` the survivor already has stays
    with the merged record; the rest move."""

    def move(m: MergeWork, model: type[models.Model], field_name: str) -> None:
        rows: Any = model._base_manager
        theirs = set(rows.filter(**{field_name: m.survivor}).values_list(other, flat=True))
        moving: list[int] = []
        for row in rows.select_for_update().filter(**{field_name: m.merged}).order_by("pk"):
            if getattr(row, f"{other}_id") in theirs:
                m.keep(row, "the survivor already has one")
            else:
                moving.append(row.pk)
        m.move(model, field_name, moving)

    return move


# Relations whose rows cannot all simply be re-pointed (a uniqueness rule, or one row
# per person), and how a merge moves them.
CLASH_RULES: dict[str, Callable[[MergeWork, type[models.Model], str], None]] = {
    "people.personlanguage.person": _move_languages,
    "people.identifier.person": _move_identifiers,
    "people.contactpoint.person": _move_contact_points,
    "people.enrollment.person": _move_enrollments,
    "people.profile.person": _move_profile,
    "intake.need.person": _move_needs,
    "scheduling.schedulingpreference.person": _move_one_per_person,
    # A person's own calendar feed: the survivor's address stays; else the merged
    # record's moves (a feed left with a merged record is no longer served).
    "scheduling.personcalendarfeed.person": _move_one_per_person,
    "scheduling.groupseat.person": _move_unless_survivor_has("appointment"),
    "scheduling.waitlistentry.person": _move_unless_survivor_has("appointment_type"),
}
