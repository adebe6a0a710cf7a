"""Pages for recording encounters and writing, signing and adding to notes. Views stay
thin: selectors read (in scope, redacted), services write and refuse."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.accounts.scope import scope_for
from alongside.encounters import forms, selectors, services
from alongside.encounters.language import findings
from alongside.encounters.models import Encounter, Note
from alongside.lib.errors import StaleVersion
from alongside.lib.params import id_or_none
from alongside.lib.views import (
    CONFLICT,
    attach_errors,
    form_status,
    or_404,
    refusals_as_403,
    run_service,
)
from alongside.people.models import Person
from alongside.people.selectors import coordinators_for
from alongside.people.sensitivity import RESTRICTED, disclosure_for

NO_PERSON, NO_ENCOUNTER, NO_NOTE = "No such person", "No such encounter", "No such note"


def _person(request: AuthenticatedHttpRequest, pk: int) -> Person:
    return or_404(lambda: selectors.person_for_encounters(request.user, pk), NO_PERSON)


@login_required
def person_encounters(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    context = {
        "person": person,
        "encounters": selectors.encounters_for(request.user, person),
        "writes": disclosure_for(request.user, person).on_team,
        "nav": "people",
    }
    return render(request, "encounters/person_list.html", context)


@login_required
def encounter_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = forms.EncounterForm(
        request.POST or None,
        programs=selectors.encounter_programs(request.user, person),
        staff=coordinators_for(person),
        initial={"started_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    created: list[Encounter] = []

    def create() -> None:
        created.append(
            services.encounter_create(
                actor=request.user,
                person=person,
                program=form.cleaned_data["program"],
                data=form.data_for_service(),
                staff_ids=[u.pk for u in form.cleaned_data["staff"]],
                others=form.cleaned_data["others"],
            )
        )

    if request.method == "POST" and form.is_valid() and run_service(form, create):
        messages.success(request, _("The encounter is recorded."))
        return redirect("encounters:detail", pk=created[0].pk)
    context = {"person": person, "form": form, "nav": "people"}
    return render(request, "encounters/create.html", context, status=form_status(form))


@login_required
def encounter_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    encounter = or_404(lambda: selectors.encounter_detail(request.user, pk), NO_ENCOUNTER)
    writes = disclosure_for(request.user, encounter.person).sensitive
    versions = selectors.templates_for(encounter) if writes else []
    context = {
        "encounter": encounter,
        "person": encounter.person,
        "start_form": forms.NoteStartForm(versions=versions) if versions else None,
        "restricted": RESTRICTED,
        "nav": "people",
    }
    return render(request, "encounters/detail.html", context)


@login_required
@require_POST
def note_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    encounter = or_404(lambda: selectors.encounter_for_change(request.user, pk), NO_ENCOUNTER)
    form = forms.NoteStartForm(request.POST, versions=selectors.templates_for(encounter))
    started: list[Note] = []

    def start() -> None:
        version = form.cleaned_data["template"]
        started.append(
            services.note_start(actor=request.user, encounter=encounter, template_version=version)
        )

    if form.is_valid() and run_service(form, start):
        return redirect("encounters:note", pk=started[0].pk)
    messages.error(request, _("Choose a template for the note."))
    return redirect("encounters:detail", pk=encounter.pk)


def _note_page(
    request: AuthenticatedHttpRequest,
    note: Note,
    *,
    form: forms.NoteForm | None = None,
    addendum: forms.AddendumForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    person = note.encounter.person
    disclosure = disclosure_for(request.user, person)
    editing = not note.is_signed and note.author_id == request.user.pk
    if editing and form is None:
        initial = {f"s_{k}": v for k, v in note.content.items()} | {"version": note.version}
        form = forms.NoteForm(sections=note.template_version.sections, initial=initial)
    terms = selectors.terms_for(person.organization_id) if editing else []
    text = "\n".join(note.content.values()) if editing else ""
    context = {
        "note": note,
        "encounter": note.encounter,
        "person": person,
        "profile": getattr(person, "profile", None),
        "disclosure": disclosure,
        "form": form if editing else None,
        "findings": [(f, f.context(text)) for f in findings(text, terms)],
        "addendum_form": (addendum or forms.AddendumForm())
        if note.is_signed and disclosure.sensitive
        else None,
        # The care team make tasks of a signed note's agreed next steps (once: asking
        # again is refused, so the page needs no query to know whether they exist).
        "next_steps": bool(services.next_steps(note))
        and note.is_signed
        and disclosure.sensitive
        and not getattr(note, "restricted", False),
        # Offered to a supervisor of the note's program; the service decides the rest.
        "can_cosign": note.awaits_cosignature
        and note.author_id != request.user.pk
        and scope_for(request.user).oversees_program(note.encounter.program_id),
        "problem": problem,
        "restricted": RESTRICTED,
        "nav": "people",
    }
    return render(request, "encounters/note.html", context, status=status)


@login_required
def note_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A note: its author edits and signs a draft here (saving by the button works
    without JavaScript; autosave saves as they type); a signed note is read with its
    addenda, and the care team add to it."""
    if request.method == "POST":
        return _note_post(request, pk)
    note = or_404(lambda: selectors.note_detail(request.user, pk), NO_NOTE)
    return _note_page(request, note)


def _note_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = or_404(lambda: selectors.note_for_change(request.user, pk), NO_NOTE)
    form = forms.NoteForm(request.POST, sections=note.template_version.sections)
    sign = "sign" in request.POST
    try:
        with refusals_as_403():
            if not form.is_valid():
                raise ValidationError("Check the note.")
            version = form.cleaned_data["version"]
            note = services.note_save_draft(
                actor=request.user, note=note, content=form.content(), expected_version=version
            )
            if sign:
                services.note_sign(actor=request.user, note=note, expected_version=note.version)
    except services.NoteLocked as locked:
        return _note_page(request, _reread(request, pk), problem=str(locked), status=409)
    except StaleVersion:
        return _note_page(request, _reread(request, pk), form=form, problem=CONFLICT, status=409)
    except ValidationError as error:
        attach_errors(form, _on_sections(error))
        return _note_page(request, _reread(request, pk), form=form, status=422)
    messages.success(request, _("The note is signed.") if sign else _("The draft is saved."))
    return redirect("encounters:note", pk=pk)


def _on_sections(error: ValidationError) -> ValidationError:
    """A service's errors by section key, on the form's section fields."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({f"s_{key}": messages for key, messages in error.message_dict.items()})


def _reread(request: AuthenticatedHttpRequest, pk: int) -> Note:
    return or_404(lambda: selectors.note_detail(request.user, pk, purpose="edit"), NO_NOTE)


@login_required
@require_POST
def note_autosave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Autosave of a draft as its author types (htmx): the save's status, the version to
    send next, and the respectful-language findings for what is written now."""
    note = or_404(lambda: selectors.note_for_change(request.user, pk), NO_NOTE)
    form = forms.NoteForm(request.POST, sections=note.template_version.sections)
    status, said = 200, ""
    try:
        with refusals_as_403():
            if not form.is_valid():
                raise ValidationError("The draft could not be read; save it with the button.")
            note = services.note_save_draft(
                actor=request.user,
                note=note,
                content=form.content(),
                expected_version=form.cleaned_data["version"],
            )
    except services.NoteLocked as locked:
        status, said = 409, str(locked)
    except StaleVersion:
        status, said = 409, CONFLICT
    except ValidationError as error:
        status, said = 422, " ".join(error.messages)
    return _language(request, note, form, status=status, said=said)


def _language(
    request: AuthenticatedHttpRequest, note: Note, form: forms.NoteForm, *, status: int, said: str
) -> HttpResponse:
    terms = selectors.terms_for(note.encounter.organization_id)
    text = "\n".join(form.content().values()) if form.is_valid() else ""
    context = {
        "note": note,
        "said": said,
        "saved": status == 200,
        "findings": [(f, f.context(text)) for f in findings(text, terms)],
    }
    return render(request, "encounters/_autosaved.html", context, status=status)


@login_required
@require_POST
def addendum_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = or_404(lambda: selectors.note_for_change(request.user, pk), NO_NOTE)
    form = forms.AddendumForm(request.POST)
    problem, status = "", 422

    def add() -> None:
        services.addendum_add(actor=request.user, note=note, content=form.cleaned_data["content"])

    try:
        if form.is_valid() and run_service(form, add):
            messages.success(request, _("The addendum is added and signed."))
            return redirect("encounters:note", pk=pk)
    except services.NoteLocked as locked:
        problem, status = str(locked), 409
    return _note_page(request, _reread(request, pk), addendum=form, problem=problem, status=status)


@login_required
@require_POST
def note_cosign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A supervisor of the note's program co-signs a signed note that needs it."""
    note = or_404(lambda: selectors.note_for_change(request.user, pk), NO_NOTE)
    try:
        with refusals_as_403():
            services.note_cosign(
                actor=request.user, note=note, expected_version=_posted_version(request)
            )
    except services.NoteLocked as locked:
        return _note_page(request, _reread(request, pk), problem=str(locked), status=409)
    except StaleVersion:
        return _note_page(request, _reread(request, pk), problem=CONFLICT, status=409)
    messages.success(request, _("The note is co-signed."))
    return redirect("encounters:note", pk=pk)


def _posted_version(request: AuthenticatedHttpRequest) -> int | None:
    return id_or_none(request.POST.get("version", ""))


@login_required
@require_POST
def note_tasks(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Make a task of each agreed next step of a signed note."""
    note = or_404(lambda: selectors.note_for_change(request.user, pk), NO_NOTE)
    try:
        with refusals_as_403():
            made = services.note_tasks_create(actor=request.user, note=note)
    except services.NoteLocked as locked:
        return _note_page(request, _reread(request, pk), problem=str(locked), status=409)
    except ValidationError as error:
        status = 409 if getattr(error, "code", "") == services.TASKS_MADE_CODE else 422
        return _note_page(
            request, _reread(request, pk), problem=" ".join(error.messages), status=status
        )
    messages.success(
        request,
        ngettext(
            "%(n)d task made from the next steps.",
            "%(n)d tasks made from the next steps.",
            len(made),
        )
        % {"n": len(made)},
    )
    return redirect("encounters:note", pk=pk)
