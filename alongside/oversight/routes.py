"""Which routes name a person's records, and what the ids in their paths name.

A 404 on one of these routes, for a signed-in user, is a denied attempt
(`DeniedAccessMiddleware`). The table is by route name and path-parameter name only, so
the audit app needs nothing from the apps it describes; a test walks the URLconf so that
a new person-bearing route cannot go without an entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import ResolverMatch

PERSON = "people.person"
SCREENING = "intake.screeningresponse"
ENCOUNTER = "encounters.encounter"
NOTE = "encounters.note"

# Namespaces whose routes all reach a person's records (or one of their screenings,
# needs, flags, enrollments, contact points, duplicate pairs, merges, tasks, encounters,
# notes or plans).
NAMESPACES = frozenset(
    {
        "people",
        "intake",
        "matching",
        "tasks",
        "encounters",
        "plans",
        "scheduling",
        "messaging",
        "api-v1",
    }
)

# What the first id in a page's path names, by route; every `people:` route starts
# with the person.
PAGES = {
    "intake:start": PERSON,
    "intake:history": PERSON,
    "intake:response": SCREENING,
    "intake:answer": SCREENING,
    "intake:response-fhir": SCREENING,
    "intake:link-create": SCREENING,
    "intake:link-revoke": SCREENING,
    "intake:hand-over": SCREENING,
    "intake:kiosk": SCREENING,
    "intake:hand-back": SCREENING,
    "intake:flag": "intake.urgentflag",
    "intake:flag-acknowledge": "intake.urgentflag",
    "intake:need-status": "intake.need",
    "matching:pair-review": "matching.duplicatepair",
    "matching:compare": PERSON,
    "matching:merge-detail": "matching.mergerecord",
    "tasks:create": PERSON,
    "encounters:person-list": PERSON,
    "encounters:create": PERSON,
    "encounters:detail": ENCOUNTER,
    "encounters:note-start": ENCOUNTER,
    "encounters:note": NOTE,
    "encounters:note-autosave": NOTE,
    "encounters:addendum-add": NOTE,
    "encounters:note-tasks": NOTE,
    "encounters:note-cosign": NOTE,
    "plans:start": "people.enrollment",
    "messaging:texts-on": PERSON,
    "scheduling:person": PERSON,
    "scheduling:find": PERSON,
    "scheduling:hold": PERSON,
    "scheduling:preferences": PERSON,
    "scheduling:series-create": PERSON,
    "scheduling:waitlist-join": PERSON,
    "scheduling:offer": "scheduling.offer",
    "scheduling:waitlist-withdraw": "scheduling.waitlistentry",
    # calendars: whose calendar it is, and one appointment (or its .ics)
    "scheduling:calendar-staff": "accounts.user",
    "scheduling:calendar-room": "scheduling.room",
    "scheduling:calendar-team": "organizations.program",
    "scheduling:team-attendance": "organizations.program",
    "scheduling:calendar-appointment": "scheduling.appointment",
    "scheduling:appointment-ics": "scheduling.appointment",
}
# Every other `plans:` route starts with the plan, every other `scheduling:` route with
# the appointment.
NAMESPACE_DEFAULTS = {
    "people": PERSON,
    "tasks": "tasks.task",
    "plans": "plans.plan",
    "scheduling": "scheduling.appointment",
}

# The API's path parameters are named for what they hold (see docs/api.md).
API_PARAMETERS = {
    "person_id": PERSON,
    "screening_id": SCREENING,
    "enrollment_id": "people.enrollment",
    "contact_id": "people.contactpoint",
    "task_id": "tasks.task",
    "encounter_id": ENCOUNTER,
    "note_id": NOTE,
    "plan_id": "plans.plan",
    "goal_id": "plans.goal",
    "step_id": "plans.step",
    "appointment_id": "scheduling.appointment",
}

UNKNOWN = "unknown"
_MAX_ID = 64  # AuditEvent.object_id


@dataclass(frozen=True)
class Asked:
    """What a request asked for: the route, the record its first id names, every id."""

    route: str
    object_type: str
    object_id: str
    ids: dict[str, str]


def _is_id(name: str, value: object) -> bool:
    # Path ids are ints on pages and named `..._id` in the API; other parameters (a
    # screening link's token, the kind of thing to remove) are not ids, and a link's
    # token is a secret that must never reach the log.
    return isinstance(value, int) or name.endswith("_id")


def asked_for(match: ResolverMatch | None) -> Asked | None:
    """The record a resolved request names, when its route is person-bearing."""
    if match is None or match.namespace not in NAMESPACES or not match.url_name:
        return None
    ids = {
        name: str(value)[:_MAX_ID] for name, value in match.kwargs.items() if _is_id(name, value)
    }
    if not ids:
        return None
    first = next(iter(ids))
    route = f"{match.namespace}:{match.url_name}"
    object_type = (
        PAGES.get(route)
        or NAMESPACE_DEFAULTS.get(match.namespace)
        or API_PARAMETERS.get(first)
        or UNKNOWN
    )
    return Asked(route=route, object_type=object_type, object_id=ids[first], ids=ids)
