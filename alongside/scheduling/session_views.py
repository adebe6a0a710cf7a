"""A group session's page: its seats and attendees (named as the sensitivity rule
allows), seating someone, giving a seat up, and each attendee's attendance. Thin:
selectors read in scope (out of scope is 404), services write and refuse."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alongside.accounts.actors import AuthenticatedHttpRequest
from alongside.lib.views import form_status, or_404, refusals_as_403, run_service
from alongside.scheduling import attendance, groups, selectors
from alongside.scheduling import session_selectors as seats
from alongside.scheduling.common import SessionFull
from alongside.scheduling.models import Appointment

NO_SESSION = "No such group session"


class SeatForm(forms.Form):
    """Seat one person found by the search (each match is its own small form)."""

    person = forms.IntegerField(label=gettext_lazy("Person"), widget=forms.HiddenInput)


class FindForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Find someone to seat"), max_length=200, required=False)


def _session(request: AuthenticatedHttpRequest, pk: int) -> Appointment:
    return or_404(lambda: seats.session_detail(request.user, pk), NO_SESSION)


@login_required
def session_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The session and its seats. Searching (?q=, the people search among those the
    viewer could seat) lists matches, each with a button that posts here to seat them;
    htmx asks for the matches alone, and without script the search reloads the page."""
    session = _session(request, pk)
    find = FindForm(request.GET or None)
    query = find.cleaned_data["q"].strip() if find.is_valid() else ""
    matches = seats.seat_matches(request.user, session, query)
    if request.method == "GET" and request.headers.get("HX-Request"):
        context = {"session": session, "matches": matches, "query": query}
        return render(request, "scheduling/_seat_matches.html", context)
    form = SeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def seat() -> None:
            chosen = form.cleaned_data["person"]
            if not seats.seatable(request.user, session).filter(pk=chosen).exists():
                raise ValidationError(_("Choose someone the search found."))
            person = selectors.person_for_scheduling(request.user, chosen)
            try:
                groups.seat_book(actor=request.user, session=session, person=person)
            except SessionFull as error:
                raise ValidationError(str(error)) from error

        if run_service(form, seat):
            messages.success(request, _("The seat is booked."))
            return redirect("scheduling:session", pk=session.pk)
    rows = seats.seats_of(request.user, session)
    taken = sum(1 for r in rows if r.seat.status != "cancelled")
    context = {
        "session": session,
        "rows": rows,
        "form": form,
        "find": find,
        "matches": matches,
        "query": query,
        "seats_left": max(session.appointment_type.capacity - taken, 0),
        "open": session.status == Appointment.Status.BOOKED,
        "nav": "calendar",
    }
    return render(request, "scheduling/session.html", context, status=form_status(form))


@login_required
@require_POST
def seat_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    seat = or_404(lambda: seats.seat_detail(request.user, pk), "No such seat")
    try:
        with refusals_as_403():
            if request.POST.get("status") == "cancelled":
                groups.seat_cancel(actor=request.user, seat=seat)
                messages.success(request, _("The seat is free again."))
            else:
                attendance.mark_seat(
                    actor=request.user, seat=seat, status=request.POST.get("status", "")
                )
                messages.success(request, _("Attendance recorded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("scheduling:session", pk=seat.appointment_id)
