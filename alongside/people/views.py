"""Pages for finding people and keeping their record. Views stay thin: selectors read,
services write, and everything starts from `Person.objects.visible_to`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.accounts.scope import scope_for
from alongside.lib import compiled, safecsv
from alongside.lib.params import query_page
from alongside.lib.views import form_status, or_404, refusals_as_403, run_service
from alongside.people import forms, selectors, services, timeline
from alongside.people.contact_rules import warnings as contact_warnings
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


def _person(request: AuthenticatedHttpRequest, pk: int, purpose: str = "view") -> Person:
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
def people_list(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def person_create(request: AuthenticatedHttpRequest) -> HttpResponse:
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
                reach=form.reach(),
            )
        )

    if request.method == "POST" and form.is_valid() and run_service(form, create):
        messages.success(request, _("%(name)s is registered.") % {"name": created[0].display_name})
        return redirect("people:detail", pk=created[0].pk)
    context = {"form": form, "assists": list(registration_assists), "nav": "people"}
    return render(request, "people/create.html", context, status=form_status(form))


@login_required
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        # The read is recorded with the panels' reads, below.
        person = or_404(
            lambda: selectors.person_detail(request.user, pk, recorded=False), "No such person"
        )
    except Http404:
        survivor = successor_for(request.user, pk)
        if survivor is None:
            raise
        messages.info(
            request,
            _("Record #%(pk)s was merged into %(name)s's record (#%(survivor)s), shown here.")
            % {"pk": pk, "name": survivor.display_name, "survivor": survivor.pk},
        )
        return redirect("people:detail", pk=survivor.pk)
    disclosure = disclosure_for(request.user, person)
    # The panels' kept statements (and the navigation's count) go to the database in one
    # round trip; which they are depends on the viewer's scope, the person's
    # organization and what the viewer may see of the person. The audit event of the
    # read goes after them and commits while the page renders; the page is answered
    # only once it has.
    page = ("people.detail", scope_for(request.user), person.organization_id, disclosure)
    with compiled.together(page, person.pk, selectors.person_view(request.user, person)):
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
def person_timeline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The journey timeline, a page at a time; "Older entries" is a plain link that htmx
    loads in place (the next entries and the next link), so it works without JavaScript."""
    person = or_404(lambda: selectors.person_for_timeline(request.user, pk), "No such person")
    form = forms.TimelineFilterForm(
        request.GET,
        groups=timeline.kind_groups(),
        programs=timeline.filter_programs(request.user, person),
    )
    page, status = timeline.TimelinePage([], None), 400
    if form.is_valid():
        cursor = form.cleaned_data["cursor"]
        page = timeline.timeline_page(request.user, person, chosen=form.chosen(), cursor=cursor)
        status = 200
    context = {
        "person": person,
        "form": form,
        "page": page,
        "older_query": form.older_query(page.next_cursor) if page.next_cursor else "",
        "nav": "people",
    }
    more = request.headers.get("HX-Request") and form.is_valid() and form.cleaned_data["cursor"]
    template = "people/_timeline_more.html" if more else "people/timeline.html"
    return render(request, template, context, status=status)


@login_required
def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "edit")
    form = forms.PersonForm(request.POST or None, instance=person)
    if _updated(request, person, form, services.person_update):
        messages.success(request, _("Saved."))
        return redirect("people:detail", pk=person.pk)
    return _form_page(request, person, form, _("Edit identity"))


def _updated(request: HttpRequest, person: Person, form: Any, update: Callable[..., Any]) -> bool:
    """Whether a posted form of the person was valid and `update` saved its changes."""
    return (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: update(
                actor=request.user,
                person=person,
                data=form.changes(),
                version=form.cleaned_data["version"],
            ),
        )
    )


@login_required
def profile_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "edit")
    disclosure = disclosure_for(request.user, person)
    profile = getattr(person, "profile", None)
    form = forms.ProfileForm(
        request.POST or None, instance=profile, show_care_notes=disclosure.reads_care_note
    )
    if _updated(request, person, form, services.profile_update):
        messages.success(request, _("Profile saved."))
        return redirect("people:detail", pk=person.pk)
    restricted = bool(profile and profile.approach_with_care and not disclosure.reads_care_note)
    return _form_page(
        request, person, form, _("Edit profile"), note=str(RESTRICTED) if restricted else ""
    )


@dataclass(frozen=True)
class _Kind:
    """One kind of thing hanging off a person's record, and the services that add, change
    and remove it (which name the thing `name`: `contact=`, `support=`, ...)."""

    model: type[Model]
    form_class: type[BaseForm]
    title: str | Promise
    name: str
    create: Callable[..., Any]
    update: Callable[..., Any] | None = None
    remove: Callable[..., Any] | None = None


# By the segment of their URLs.
_KINDS = {
    "contacts": _Kind(
        ContactPoint,
        forms.ContactPointForm,
        gettext_lazy("Contact and safe-contact rules"),
        "contact",
        services.contact_point_create,
        services.contact_point_update,
        services.contact_point_delete,
    ),
    "support": _Kind(
        SupportContact,
        forms.SupportContactForm,
        gettext_lazy("Someone who matters"),
        "support",
        services.support_contact_create,
        services.support_contact_update,
        services.support_contact_delete,
    ),
    "identifiers": _Kind(
        Identifier,
        forms.IdentifierForm,
        gettext_lazy("Add an identifier"),
        "identifier",
        services.identifier_create,
        remove=services.identifier_delete,
    ),
    "languages": _Kind(
        PersonLanguage,
        forms.LanguageForm,
        gettext_lazy("Add a language"),
        "language",
        services.language_add,
        remove=services.language_remove,
    ),
    "enrollments": _Kind(
        Enrollment,
        forms.EnrollmentForm,
        gettext_lazy("Enrollment"),
        "enrollment",
        services.enrollment_create,
        services.enrollment_update,
    ),
}


def _item(person: Person, kind: _Kind, pk: int) -> Any:
    return or_404(lambda: selectors.record_item(person, kind.model, pk), "Not on this record")


def _child_page(
    request: AuthenticatedHttpRequest,
    pk: int,
    kind: _Kind,
    child_pk: int | None,
    *,
    form_class: type[BaseForm] | None = None,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """Add or edit one of the things hanging off a person (contact, support, ...)."""
    person = _person(request, pk, "edit")
    instance = _item(person, kind, child_pk) if child_pk else None
    form_class = form_class or kind.form_class
    form = form_class(request.POST or None, instance=instance, **(form_kwargs or {}))  # type: ignore[call-arg]
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "program")}
        extra = {"program": form.cleaned_data["program"]} if "program" in form.cleaned_data else {}
        call: Callable[[], Any]
        if instance is None:
            call = partial(kind.create, actor=request.user, person=person, data=data, **extra)
        else:
            assert kind.update is not None
            version = form.cleaned_data.get("version")
            target = {kind.name: instance}
            call = partial(kind.update, actor=request.user, data=data, version=version, **target)
        saved: list[Any] = []
        if run_service(form, lambda: saved.append(call())):
            messages.success(request, _("Saved."))
            if kind.model is ContactPoint and (found := contact_warnings(saved[0])):
                # Saved, but the rules and the notes disagree: back to the form to see it.
                for warning in found:
                    messages.warning(request, warning)
                return redirect("people:contact-edit", pk=person.pk, contact_pk=saved[0].pk)
            return redirect("people:detail", pk=person.pk)
    return _form_page(request, person, form, str(kind.title))


@login_required
def contact_edit(
    request: AuthenticatedHttpRequest, pk: int, contact_pk: int | None = None
) -> HttpResponse:
    return _child_page(request, pk, _KINDS["contacts"], contact_pk)


@login_required
def support_edit(
    request: AuthenticatedHttpRequest, pk: int, support_pk: int | None = None
) -> HttpResponse:
    return _child_page(request, pk, _KINDS["support"], support_pk)


@login_required
def identifier_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _child_page(request, pk, _KINDS["identifiers"], None)


@login_required
def language_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _child_page(request, pk, _KINDS["languages"], None)


@login_required
def enrollment_edit(
    request: AuthenticatedHttpRequest, pk: int, enrollment_pk: int | None = None
) -> HttpResponse:
    person = _person(request, pk, "edit")
    kwargs: dict[str, Any] = {"coordinators": selectors.coordinators_for(person)}
    form_class: type[BaseForm] | None = None
    if enrollment_pk is None:
        form_class = forms.EnrollmentCreateForm
        kwargs["programs"] = selectors.my_programs(
            request.user, organization_id=person.organization_id
        )
    return _child_page(
        request, pk, _KINDS["enrollments"], enrollment_pk, form_class=form_class, form_kwargs=kwargs
    )


@login_required
@require_POST
def child_delete(
    request: AuthenticatedHttpRequest, pk: int, kind: str, child_pk: int
) -> HttpResponse:
    removable = _KINDS[kind]
    assert removable.remove is not None  # the URLs name only kinds that can be removed
    person = _person(request, pk, "edit")
    removable.remove(actor=request.user, **{removable.name: _item(person, removable, child_pk)})
    messages.success(request, _("Removed."))
    return redirect("people:detail", pk=person.pk)


@login_required
def person_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "history")
    context = {
        "person": person,
        "changes": selectors.person_history(request.user, person),
        "restricted": RESTRICTED,
        "nav": "people",
    }
    return render(request, "people/history.html", context)


@login_required
def person_access(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
def people_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """CSV of the people the user can see (or of a search), for supervisors and admins."""
    with refusals_as_403():
        rows = selectors.people_export(request.user, request.GET.get("q", ""))
    writer = safecsv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response
