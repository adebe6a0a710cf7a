"""Pages for finding people and keeping their record. Views stay thin: selectors read,
services write, and everything starts from `Person.objects.visible_to`."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alongside.lib import safecsv
from alongside.lib.params import query_page
from alongside.lib.views import form_status, or_404, refusals_as_403, run_service
from alongside.people import forms, selectors, services
from alongside.people.contributions import (
    PanelContext,
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
from alongside.people.sensitivity import RESTRICTED, disclosure_for

PAGE_SIZE = 25


def _person(request: HttpRequest, pk: int, purpose: str = "view") -> Person:
    return or_404(
        lambda: selectors.person_detail(request.user, pk, purpose=purpose), "No such person"
    )


def _form_page(
    request: HttpRequest, person: Person, form: BaseForm, title: str, *, note: str = ""
) -> HttpResponse:
    return render(
        request,
        "people/form.html",
        {"person": person, "form": form, "title": title, "note": note, "nav": "people"},
        status=form_status(form),
    )


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = query_page(request.GET)
    if query:
        people, has_next = selectors.people_search(request.user, query, limit=PAGE_SIZE), False
    else:
        people, has_next = selectors.people_page(request.user, page=page, size=PAGE_SIZE)
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
    programs = selectors.my_programs(request.user).order_by("name")
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

    if request.method == "POST" and form.is_valid() and run_service(form, create):
        messages.success(request, f"{created[0].display_name} is registered.")
        return redirect("people:detail", pk=created[0].pk)
    context = {"form": form, "assists": list(registration_assists), "nav": "people"}
    return render(request, "people/create.html", context, status=form_status(form))


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
        "coordinators": selectors.open_coordinators(person),
        "restricted": RESTRICTED,
        "panels": load_panels(PanelContext(request.user, person, disclosure)),
        "nav": "people",
    }
    return render(request, "people/detail.html", context)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "edit")
    form = forms.PersonForm(request.POST or None, instance=person)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
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
        and run_service(
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


def _item(person: Person, model: type[Model], pk: int) -> Any:
    return or_404(lambda: selectors.record_item(person, model, pk), "Not on this record")


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
    instance = _item(person, model, child_pk) if child_pk else None
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
        if run_service(form, call):
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


@login_required
def enrollment_edit(
    request: HttpRequest, pk: int, enrollment_pk: int | None = None
) -> HttpResponse:
    person = _person(request, pk, "edit")
    kwargs: dict[str, Any] = {"coordinators": selectors.coordinators_for(person)}
    form_class: type[BaseForm] = forms.EnrollmentForm
    if enrollment_pk is None:
        form_class = forms.EnrollmentCreateForm
        kwargs["programs"] = selectors.my_programs(
            request.user, organization_id=person.organization_id
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
    remove(request.user, _item(person, model, child_pk))
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
    with refusals_as_403():
        events = selectors.access_events(request.user, person)
    return render(
        request, "people/access.html", {"person": person, "events": events, "nav": "people"}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def people_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the people the user can see (or of a search), for supervisors and admins."""
    with refusals_as_403():
        rows = selectors.people_export(request.user, request.GET.get("q", ""))
    writer = safecsv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response
