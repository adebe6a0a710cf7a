"""The person's pages behind a reminder's link (see the appointment, then confirm it,
cancel it or ask for another time) and a waitlist offer's (take the freed slot or say
no). No account: the signed link is the key, and it
expires. Everything is in the person's language; the pages name no one (a link can be
seen by someone else), and a link that opens nothing says so in the browser's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone, translation
from django.views.decorators.http import require_http_methods

from alongside.messaging.services import person_language
from alongside.people.models import Person
from alongside.scheduling import offer_links, reply_links
from alongside.scheduling.models import Appointment, ReminderReply
from alongside.scheduling.reminders import appointment_zone, how_words, when_words

ANSWERS = {choice.value for choice in ReminderReply.Answer}
NOTE_LENGTH = 500


@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        appointment, starts_at = reply_links.open_token(token)
    except reply_links.LinkUnavailable:
        return render(request, "scheduling/reply/unavailable.html", status=404)
    person = appointment.person
    assert person is not None  # open_token finds only a person's appointments
    context = _speak_to(request, person, appointment) | {"note_length": NOTE_LENGTH}
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        if answer not in ANSWERS:
            context["error"] = True
            return render(request, "scheduling/reply/page.html", context, status=422)
        reply_links.answer(
            appointment=appointment,
            starts_at=starts_at,
            answer=answer,
            via=ReminderReply.Via.LINK,
            note=request.POST.get("note", "")[:NOTE_LENGTH],
        )
        return render(request, "scheduling/reply/done.html", context | {"answer": answer})
    return render(request, "scheduling/reply/page.html", context)


def _speak_to(request: HttpRequest, person: Person, appointment: Appointment) -> dict[str, str]:
    """Switch to the person's language; the appointment in neutral words (no kind, no
    program, no one's name)."""
    translation.activate(person_language(person))
    request.LANGUAGE_CODE = translation.get_language()
    day, time = when_words(appointment, person)
    return {
        "day": day,
        "time": time,
        "how": how_words(appointment),
        "where": appointment.location.name if appointment.location else "",
    }


@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """A freed slot offered from the waitlist: take it or say no, once."""
    try:
        current = offer_links.open_token(token)
    except reply_links.LinkUnavailable:
        return render(request, "scheduling/reply/offer_gone.html", status=404)
    hold, person = current.hold, current.entry.person
    until = timezone.localtime(current.expires_at, appointment_zone(hold, person))
    context = _speak_to(request, person, hold)
    context["until"] = formats.date_format(until, "SHORT_DATETIME_FORMAT")
    if request.method == "POST":
        choice = request.POST.get("answer", "")
        if choice not in ("accept", "decline"):
            context["error"] = "true"
            return render(request, "scheduling/reply/offer.html", context, status=422)
        outcome = offer_links.answer(offer=current, accept=choice == "accept")
        if outcome.done == "gone":
            return render(request, "scheduling/reply/offer_gone.html", context, status=409)
        return render(request, "scheduling/reply/offer_done.html", context | {"done": outcome.done})
    return render(request, "scheduling/reply/offer.html", context)
