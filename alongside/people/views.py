"""Pages for finding people and keeping their record. Views stay thin: selectors read,
services write, and everything starts from `Person.objects.visible_to`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alongside.accounts.scope import scope_for
from alongside.audit.selectors import events_for_people
from alongside.lib import safecsv
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.lib.params import query_page
from alongside.organizations.models import Program
from alongside.people import forms, selectors, services
from alongside.people.contributions import (
    PanelContext,
    lineage_ids,
    load_panels,
    registration_assists,
    successor_for,
)
from alongside.people.models import (
    ContactPoint,
    Enrollment,
    Identifier,
    Person,
    PersonLanguage,
    SupportContact,
)
from alongside.people.sensitivity import RESTRICTED, disclosure_for, may_export

CONFLICT = (
    "Someone else saved changes to this record while you were editing. Nothing was "
    "overwritten: the form still holds your changes. Check the record, then save again."
)


def _person(request: HttpRequest, pk: int, purpose: str = "view") -> Person:
    try:
        return selectors.person_detail(request.user, pk, purpose=purpose)
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def _attach_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _save(form: BaseForm, call: Callable[[], Any]) -> bool:
    """Run a service for a valid form; turn its refusals into form errors."""
    try:
        call()
    except ValidationError as error:
        _attach_errors(form, error)
    except StaleVersion as stale:
        form.add_error(None, CONFLICT)
        # Saving again after reading the record is a deliberate choice, so it may proceed.
        data = form.data.copy()  # type: ignore[attr-defined]
        data["version"] = str(stale.current_version)
        form.data = data
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    else:
        return True
    return False


def _form_page(
    request: HttpRequest,
    person: Person,
    form: BaseForm,
    title: str,
    status: int = 200,
    *,
    note: str = "",
) -> HttpResponse:
    if form.errors and status == 200:
        status = 409 if any(CONFLICT in e for e in form.non_field_errors()) else 422
    return render(
        request,
        "people/form.html",
        {"person": person, "form": form, "title": title, "note": note, "nav": "people"},
        status=status,
    )


def _my_programs(user: Any) -> Any:
    scope = scope_for(user)
    return Program.objects.filter(is_active=True).filter(
        pk__in=scope.program_ids
    ) | Program.objects.filter(is_active=True, organization_id__in=scope.admin_organization_ids)


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = query_page(request.GET)
    size = 25
    if query:
        people = selectors.people_search(request.user, query, limit=size)
        has_next = False
    else:
        rows = list(selectors.people_list(request.user)[(page - 1) * size : page * size + 1])
        people, has_next = rows[:size], len(rows) > size
        selectors.audit_people(request.user, people, "list", {"page": page})
    context = {
        "form": form,
        "people": people,
        "query": query,
        "page": page,
        "has_next": has_next,
        "nav": "people",
    }
    template = "people/_results.html" if request.headers.get("HX-Request") else "people/list.html"
    return render(request, template, context)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    programs = _my_programs(request.user).order_by("name")
    if not programs.exists():
        raise PermissionDenied("You are not a member of any program.")
    form = forms.PersonCreateForm(request.POST or None, programs=programs)
    created: list[Person] = []

    def create() -> None:
        data = form.changes()
        created.append(
            services.person_create(
                actor=request.user,
                program=form.cleaned_data["program"],
                data=data,
                profile={k: form.cleaned_data[k] for k in ("important_to", "approach_with_care")},
                primary_coordinator=request.user,
            )
        )

    if request.method == "POST" and form.is_valid() and _save(form, create):
        messages.success(request, f"{created[0].display_name} is registered.")
        return redirect("people:detail", pk=created[0].pk)
    status = 422 if form.errors else 200
    context = {"form": form, "assists": list(registration_assists), "nav": "people"}
    return render(request, "people/create.html", context, status=status)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = _person(request, pk)
    except Http404:
        survivor = successor_for(request.user, pk)
        if survivor is None:
            raise
        messages.info(
            request,
            f"Record #{pk} was merged into {survivor.display_name}'s record "
            f"(#{survivor.pk}), shown here.",
        )
        return redirect("people:detail", pk=survivor.pk)
    disclosure = disclosure_for(request.user, person)
    context = {
        "person": person,
        "profile": getattr(person, "profile", None),
        "enrollments": list(person.enrollments.all()),
        "disclosure": disclosure,
        "coordinators": _coordinators_of(person),
        "restricted": RESTRICTED,
        "panels": load_panels(PanelContext(request.user, person, disclosure)),
        "nav": "people",
    }
    return render(request, "people/detail.html", context)


def _coordinators_of(person: Person) -> list[Any]:
    """The primary coordinators of the person's open enrollments (already loaded)."""
    found = {
        e.primary_coordinator_id: e.primary_coordinator
        for e in person.enrollments.all()
        if e.is_open and e.primary_coordinator is not None
    }
    return list(found.values())


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "edit")
    form = forms.PersonForm(request.POST or None, instance=person)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.person_update(
                actor=request.user,
                person=person,
                data=form.changes(),
                version=form.cleaned_data["version"],
            ),
        )
    ):
        messages.success(request, "Saved.")
        return redirect("people:detail", pk=person.pk)
    return _form_page(request, person, form, "Edit identity")


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "edit")
    disclosure = disclosure_for(request.user, person)
    profile = getattr(person, "profile", None)
    form = forms.ProfileForm(
        request.POST or None, instance=profile, show_care_notes=disclosure.reads_care_note
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.profile_update(
                actor=request.user,
                person=person,
                data=form.changes(),
                version=form.cleaned_data["version"],
            ),
        )
    ):
        messages.success(request, "Profile saved.")
        return redirect("people:detail", pk=person.pk)
    restricted = bool(profile and profile.approach_with_care and not disclosure.reads_care_note)
    return _form_page(request, person, form, "Edit profile", note=RESTRICTED if restricted else "")


def _child_page(
    request: HttpRequest,
    pk: int,
    *,
    model: type[Model],
    form_class: type[BaseForm],
    child_pk: int | None,
    title: str,
    create: Callable[..., Any],
    update: Callable[..., Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """Add or edit one of the things hanging off a person (contact, support, ...)."""
    person = _person(request, pk, "edit")
    instance = get_object_or_404(model, pk=child_pk, person=person) if child_pk else None
    form = form_class(request.POST or None, instance=instance, **(form_kwargs or {}))  # type: ignore[call-arg]
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "program")}
        extra = {"program": form.cleaned_data["program"]} if "program" in form.cleaned_data else {}
        call: Callable[[], Any]
        if instance is None:
            call = partial(create, actor=request.user, person=person, data=data, **extra)
        else:
            assert update is not None
            call = partial(update, request.user, instance, data, form.cleaned_data.get("version"))
        if _save(form, call):
            messages.success(request, "Saved.")
            return redirect("people:detail", pk=person.pk)
    return _form_page(request, person, form, title)


@login_required
def contact_edit(request: HttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
    return _child_page(
        request,
        pk,
        model=ContactPoint,
        form_class=forms.ContactPointForm,
        child_pk=contact_pk,
        title="Contact and safe-contact rules",
        create=services.contact_point_create,
        update=lambda actor, obj, data, version: services.contact_point_update(
            actor=actor, contact=obj, data=data, version=version
        ),
    )


@login_required
def support_edit(request: HttpRequest, pk: int, support_pk: int | None = None) -> HttpResponse:
    return _child_page(
        request,
        pk,
        model=SupportContact,
        form_class=forms.SupportContactForm,
        child_pk=support_pk,
        title="Someone who matters",
        create=services.support_contact_create,
        update=lambda actor, obj, data, version: services.support_contact_update(
            actor=actor, support=obj, data=data, version=version
        ),
    )


@login_required
def identifier_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_page(
        request,
        pk,
        model=Identifier,
        form_class=forms.IdentifierForm,
        child_pk=None,
        title="Add an identifier",
        create=services.identifier_create,
    )


@login_required
def language_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_page(
        request,
        pk,
        model=PersonLanguage,
        form_class=forms.LanguageForm,
        child_pk=None,
        title="Add a language",
        create=services.language_add,
    )


def _coordinators(person: Person) -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__organization_id=person.organization_id)
        .distinct()
        .order_by("first_name", "last_name")
    )


@login_required
def enrollment_edit(
    request: HttpRequest, pk: int, enrollment_pk: int | None = None
) -> HttpResponse:
    person = _person(request, pk, "edit")
    kwargs: dict[str, Any] = {"coordinators": _coordinators(person)}
    form_class: type[BaseForm] = forms.EnrollmentForm
    if enrollment_pk is None:
        form_class = forms.EnrollmentCreateForm
        kwargs["programs"] = _my_programs(request.user).filter(
            organization_id=person.organization_id
        )
    return _child_page(
        request,
        pk,
        model=Enrollment,
        form_class=form_class,
        child_pk=enrollment_pk,
        title="Enrollment",
        create=services.enrollment_create,
        update=lambda actor, obj, data, version: services.enrollment_update(
            actor=actor, enrollment=obj, data=data, version=version
        ),
        form_kwargs=kwargs,
    )


# What may be removed from a person's record, by the segment its URL names.
_REMOVABLE: dict[str, tuple[type[Model], Callable[[Any, Any], None]]] = {
    "contacts": (
        ContactPoint,
        lambda actor, obj: services.contact_point_delete(actor=actor, contact=obj),
    ),
    "support": (
        SupportContact,
        lambda actor, obj: services.support_contact_delete(actor=actor, support=obj),
    ),
    "identifiers": (
        Identifier,
        lambda actor, obj: services.identifier_delete(actor=actor, identifier=obj),
    ),
    "languages": (
        PersonLanguage,
        lambda actor, obj: services.language_remove(actor=actor, language=obj),
    ),
}


@login_required
@require_POST
def child_delete(request: HttpRequest, pk: int, kind: str, child_pk: int) -> HttpResponse:
    model, remove = _REMOVABLE[kind]
    person = _person(request, pk, "edit")
    remove(request.user, get_object_or_404(model, pk=child_pk, person=person))
    messages.success(request, "Removed.")
    return redirect("people:detail", pk=person.pk)


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "history")
    context = {
        "person": person,
        "changes": selectors.person_history(request.user, person),
        "restricted": RESTRICTED,
        "nav": "people",
    }
    return render(request, "people/history.html", context)


@login_required
def person_access(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "access report")
    if not disclosure_for(request.user, person).access_log:
        raise PermissionDenied(
            "Only supervisors and organization admins see who accessed a record."
        )
    # Events of records merged into this one are this person's too.
    events = list(events_for_people(lineage_ids(person.pk)))
    return render(
        request, "people/access.html", {"person": person, "events": events, "nav": "people"}
    )


EXPORT_COLUMNS = [
    "id",
    "preferred_name",
    "legal_given_name",
    "legal_family_name",
    "pronouns",
    "date_of_birth",
    "languages",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def people_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the people the user can see (or of a search), for supervisors and admins."""
    if not may_export(request.user):
        raise PermissionDenied("Exports are for supervisors and organization admins.")
    query = request.GET.get("q", "").strip()[:200]
    people = (
        selectors.people_search(request.user, query, limit=1000)
        if query
        else list(selectors.people_list(request.user)[:50_000])
    )
    selectors.audit_people(request.user, people, "export", {"query": query, "format": "csv"})
    writer = safecsv.writer(_Echo())
    rows: Iterator[list[Any]] = (
        [
            p.pk,
            p.preferred_name,
            p.legal_given_name,
            p.legal_family_name,
            p.pronouns,
            p.date_of_birth or "",
            "; ".join(lang.name for lang in p.languages.all()),
        ]
        for p in people
    )
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in [EXPORT_COLUMNS, *rows]), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response
