"""Scheduling pages for staff: a person's appointments, finding a time (hold, then
confirm), moving, cancelling, attendance, series and the waitlist. Thin: selectors read
in scope (out of scope is 404), services write and refuse."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.lib.views import form_status, or_404, refusals_as_403, run_service
from alongside.people.models import Person
from alongside.scheduling import (
    attendance,
    booking,
    changes,
    forms,
    preferences,
    selectors,
    series,
    slots,
    waitlist,
)
from alongside.scheduling.common import SlotTaken
from alongside.scheduling.models import Appointment, AppointmentType, Room

NO_PERSON, NO_APPOINTMENT = "No such person", "No such appointment"


def _person(request: AuthenticatedHttpRequest, pk: int) -> Person:
    return or_404(lambda: selectors.person_for_scheduling(request.user, pk), NO_PERSON)


def _appointment(request: AuthenticatedHttpRequest, pk: int) -> Appointment:
    """The appointment in scope (404 otherwise); a page shown (GET) records the read, a
    change (POST) is audited by its service."""
    read = selectors.appointment_viewed if request.method == "GET" else selectors.appointment_detail
    return or_404(lambda: read(request.user, pk), NO_APPOINTMENT)


def _wishes(person: Person, data: dict[str, Any]) -> slots.Wishes:
    return slots.Wishes(
        time_zone=data.get("time_zone") or selectors.default_zone(person),
        weekdays=frozenset(data.get("weekdays") or ()),
        earliest=data.get("earliest"),
        latest=data.get("latest"),
        evenings_ok=bool(data.get("evenings_ok")),
        weekends_ok=bool(data.get("weekends_ok")),
        preferred_modality=data.get("preferred_modality") or "",
        location_id=data["location"].pk if data.get("location") else None,
        travel_limit_minutes=data.get("travel_limit_minutes"),
        preferred_staff_id=data["preferred_staff"].pk if data.get("preferred_staff") else None,
        modalities=frozenset(data.get("modalities") or ()),
        walk_in=bool(data.get("walk_in")),
    )


def _find_form(request: AuthenticatedHttpRequest, person: Person) -> forms.FindForm:
    preference = selectors.preference_for(person)
    initial = preferences.initial(person, preference, selectors.interpreter_language(person))
    initial |= {"since": timezone.localdate(), "days": 14}
    bound = "appointment_type" in request.GET
    return forms.FindForm(
        request.GET if bound else None,
        initial=initial,
        types=selectors.types_for(request.user, person),
        locations=selectors.locations_for(person),
        staff=selectors.staff_for(person),
    )


def _since(day: dt.date, person: Person) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone()
    )


@login_required
def find(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Find a time for the person: preferences prefilled, flexible options visible, the
    slots ranked with their reasons; choosing one holds it."""
    person = _person(request, pk)
    form = _find_form(request, person)
    found: list[slots.Slot] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        found = slots.search(
            kind=data["appointment_type"],
            person=person,
            wishes=_wishes(person, data),
            since=_since(data["since"], person),
            days=data["days"],
            limit=40,
        )
    context = {
        "person": person,
        "form": form,
        "slots": found,
        "nav": "people",
        "searched": form.is_bound,
    }
    return render(request, "scheduling/find.html", context, status=form_status(form))


def _choice(
    person: Person, cleaned: dict[str, Any], kind: AppointmentType, reason: str = ""
) -> booking.Choice:
    slot = cleaned["slot"]
    staff = slots.deliverers(kind, [slot["staff"]]).get(slot["staff"])
    if staff is None:
        raise ValidationError(_("Choose one of the times offered."))
    location = (
        selectors.locations_for(person).filter(pk=slot["location"]).first()
        if slot["location"]
        else None
    )
    room = (
        Room.objects.filter(pk=slot["room"], location=location).first()
        if slot["room"] and location
        else None
    )
    return booking.Choice(
        kind=kind,
        staff=staff,
        starts_at=slot["starts_at"],
        modality=slot["modality"],
        location=location,
        room=room,
        reason=reason,
    )


def _taken(
    request: AuthenticatedHttpRequest, person: Person, error: SlotTaken, kind: AppointmentType
) -> HttpResponse:
    context = {
        "person": person,
        "error": str(error),
        "slots": error.alternatives,
        "kind": kind,
        "nav": "people",
    }
    return render(request, "scheduling/taken.html", context, status=409)


@login_required
@require_POST
def hold(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = forms.ChooseForm(request.POST)
    kind = None
    if form.is_valid():
        kind = (
            selectors.types_for(request.user, person)
            .filter(pk=form.cleaned_data["appointment_type"])
            .first()
        )
    if kind is None:
        messages.error(request, _("Choose one of the times offered."))
        return redirect("scheduling:find", pk=person.pk)
    try:
        with refusals_as_403():
            held = booking.hold_slot(
                actor=request.user, person=person, choice=_choice(person, form.cleaned_data, kind)
            )
    except SlotTaken as error:
        return _taken(request, person, error, kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("scheduling:find", pk=person.pk)
    return redirect("scheduling:confirm", pk=held.pk)


@login_required
def confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    if appointment.status != Appointment.Status.HELD:
        return redirect("scheduling:appointment", pk=appointment.pk)
    form = forms.ConfirmForm(request.POST or None, initial={"reason": appointment.reason})

    def book() -> None:
        booking.confirm_hold(
            actor=request.user, hold=appointment, reason=form.cleaned_data["reason"]
        )

    if request.method == "POST":
        try:
            if form.is_valid() and run_service(form, book):
                messages.success(request, _("The appointment is booked."))
                return redirect("scheduling:appointment", pk=appointment.pk)
        except SlotTaken as error:
            assert appointment.person is not None
            return _taken(request, appointment.person, error, appointment.appointment_type)
    context = {
        "appointment": appointment,
        "person": appointment.person,
        "form": form,
        "nav": "people",
    }
    return render(request, "scheduling/confirm.html", context, status=form_status(form))


@login_required
@require_POST
def release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    with refusals_as_403():
        booking.release_hold(actor=request.user, hold=appointment)
    messages.success(request, _("The time is free again."))
    if appointment.person_id:
        return redirect("scheduling:find", pk=appointment.person_id)
    return redirect("home")


@login_required
def appointment_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    context = {
        "appointment": appointment,
        "person": appointment.person,
        "attendance_form": forms.AttendanceForm(initial={"version": appointment.version}),
        "changeable": appointment.status in changes.CHANGEABLE,
        "markable": appointment.status in (Appointment.Status.BOOKED, Appointment.Status.ARRIVED),
        "nav": "people",
    }
    return render(request, "scheduling/appointment.html", context)


@login_required
@require_POST
def mark(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    form = forms.AttendanceForm(request.POST)

    def call() -> None:
        attendance.mark(
            actor=request.user,
            appointment=appointment,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )

    if form.is_valid() and run_service(form, call):
        messages.success(request, _("Attendance recorded."))
        return redirect("scheduling:appointment", pk=appointment.pk)
    context = {
        "appointment": appointment,
        "person": appointment.person,
        "attendance_form": form,
        "changeable": appointment.status in changes.CHANGEABLE,
        "markable": True,
        "nav": "people",
    }
    return render(request, "scheduling/appointment.html", context, status=form_status(form))


@login_required
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    form = forms.CancelForm(request.POST or None, initial={"version": appointment.version})

    def call() -> None:
        data = form.cleaned_data
        if data["rest"] and appointment.series_id:
            series.cancel_rest(actor=request.user, appointment=appointment, reason=data["reason"])
        else:
            changes.cancel(
                actor=request.user,
                appointment=appointment,
                reason=data["reason"],
                by_person=data["by_person"],
                version=data["version"],
            )

    if request.method == "POST" and form.is_valid() and run_service(form, call):
        messages.success(request, _("The appointment is cancelled."))
        return redirect("scheduling:appointment", pk=appointment.pk)
    context = {
        "appointment": appointment,
        "person": appointment.person,
        "form": form,
        "nav": "people",
    }
    return render(request, "scheduling/cancel.html", context, status=form_status(form))


@login_required
def move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Reschedule: the person's best times for the same appointment type, this one's own
    time not counting against them."""
    appointment = _appointment(request, pk)
    person = appointment.person
    if person is None or appointment.status not in changes.CHANGEABLE:
        raise Http404(NO_APPOINTMENT)
    form = forms.MoveForm(
        request.POST or None, initial={"appointment_type": appointment.appointment_type_id}
    )
    kind = appointment.appointment_type
    moved: list[Appointment] = []

    def call() -> None:
        data = form.cleaned_data
        choice = _choice(person, data, kind)
        if data["rest"] and appointment.series_id:
            series.move_rest(
                actor=request.user,
                appointment=appointment,
                new_start=choice.starts_at,
                reason=data["reason"],
            )
            moved.append(appointment)
        else:
            moved.append(
                changes.reschedule(
                    actor=request.user,
                    appointment=appointment,
                    choice=choice,
                    reason=data["reason"],
                )
            )

    if request.method == "POST" and form.is_valid():
        try:
            if run_service(form, call):
                messages.success(request, _("The appointment is moved."))
                return redirect("scheduling:appointment", pk=moved[0].pk)
        except SlotTaken as error:
            return _taken(request, person, error, kind)
    found = slots.search(
        kind=kind,
        person=person,
        wishes=selectors.wishes_for(person),
        since=timezone.now(),
        days=21,
        limit=30,
        ignore=[appointment.pk],
    )
    context = {
        "appointment": appointment,
        "person": person,
        "form": form,
        "slots": found,
        "nav": "people",
    }
    return render(request, "scheduling/move.html", context, status=form_status(form))


@login_required
def person_appointments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    context = {
        "person": person,
        "appointments": selectors.person_history(request.user, person),
        "entries": selectors.waitlist_for(request.user, person),
        "offers": selectors.open_offers(request.user, person),
        "nav": "people",
    }
    return render(request, "scheduling/person.html", context)


@login_required
@require_POST
def save_preferences(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = forms.PreferencesForm(
        request.POST, locations=selectors.locations_for(person), staff=selectors.staff_for(person)
    )

    def call() -> None:
        preferences.save(actor=request.user, person=person, data=form.cleaned_data)

    if form.is_valid() and run_service(form, call):
        messages.success(request, _("Preferences saved."))
    else:
        messages.error(
            request,
            _("The preferences were not saved: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    return redirect("scheduling:find", pk=person.pk)


def _entry_form(request: AuthenticatedHttpRequest, person: Person) -> forms.WaitlistForm:
    return forms.WaitlistForm(
        request.POST or None,
        types=selectors.types_for(request.user, person),
        staff=selectors.staff_for(person),
        appointments=selectors.appointments_for(request.user).filter(
            person=person, status=Appointment.Status.BOOKED, starts_at__gt=timezone.now()
        ),
    )


@login_required
def waitlist_join(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = _entry_form(request, person)

    def call() -> None:
        data = form.cleaned_data
        waitlist.join(
            actor=request.user,
            person=person,
            kind=data["appointment_type"],
            staff=data["staff"],
            current=data["current"],
            earliest=data["earliest"],
            latest=data["latest"],
            note=data["note"],
        )

    if request.method == "POST" and form.is_valid() and run_service(form, call):
        messages.success(request, _("%(name)s is on the waitlist.") % {"name": person.first_name})
        return redirect("scheduling:person", pk=person.pk)
    context = {"person": person, "form": form, "nav": "people"}
    return render(request, "scheduling/waitlist_join.html", context, status=form_status(form))


@login_required
@require_POST
def waitlist_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = or_404(lambda: selectors.entry_detail(request.user, pk), "No such entry")
    with refusals_as_403():
        waitlist.withdraw(actor=request.user, entry=entry)
    messages.success(request, _("Taken off the waitlist."))
    return redirect("scheduling:person", pk=entry.person_id)


@login_required
@require_POST
def offer_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = or_404(lambda: selectors.offer_detail(request.user, pk), "No such offer")
    try:
        with refusals_as_403():
            if request.POST.get("answer") == "accept":
                booked = waitlist.accept(actor=request.user, offer=offer)
                messages.success(request, _("The offered time is booked."))
                return redirect("scheduling:appointment", pk=booked.pk)
            waitlist.decline(actor=request.user, offer=offer)
            messages.success(request, _("Offer declined; still waiting."))
    except (ValidationError, SlotTaken) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("scheduling:person", pk=offer.entry.person_id)


@login_required
def series_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = forms.SeriesForm(
        request.POST or None,
        initial={"time_zone": selectors.default_zone(person)},
        types=selectors.types_for(request.user, person).filter(is_group=False),
        staff=selectors.staff_for(person),
        locations=selectors.locations_for(person),
    )

    def call() -> None:
        data = form.cleaned_data
        choice = booking.Choice(
            kind=data["appointment_type"],
            staff=data["staff"],
            starts_at=form.first_aware(),
            modality=data["modality"],
            location=data["location"],
            time_zone=data["time_zone"],
            reason=data["reason"],
        )
        series.create(actor=request.user, person=person, choice=choice, rule=data["rrule"])

    if request.method == "POST" and form.is_valid():
        try:
            if run_service(form, call):
                messages.success(request, _("The series is booked."))
                return redirect("scheduling:person", pk=person.pk)
        except SlotTaken as error:
            form.add_error(None, str(error))
    context = {"person": person, "form": form, "nav": "people"}
    return render(request, "scheduling/series.html", context, status=form_status(form))
