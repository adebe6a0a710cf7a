"""The world the authorization walk runs in: the `world` fixture's personas and two
people with something sensitive of everything, and how to fill each route's path from it.

- **Lupe** (the `world` fixture's person) is enrolled in housing only: the colleague from
  the wellness program does not see her (404).
- **Rosa** is enrolled in housing and was once in wellness (closed): the colleague sees
  her, but is not on her care team.

Each has an approach-with-care note with a unique marker (also in the details of a
sensitive journey entry and in a signed motivational-interviewing note of a home
visit, which has an addendum), a PHQ-9 answering the
self-harm item "nearly every day" (a total that adds it up, a depression need, an urgent
flag), a GAD-7 with a total of its own (behavioral health: every answer and score is
sensitive; an anxiety need), a food need (not sensitive: everyone who sees them sees
it), contact points with safe-contact rules, someone who matters, an identifier, a
language and a screening in progress with a link for the person to answer it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from alongside.accounts.models import Membership, Role
from alongside.accounts.tokens import token_create
from alongside.encounters import services as encounters
from alongside.encounters.models import LabelingTerm, NoteTemplateVersion
from alongside.intake import services as intake
from alongside.intake.definitions import Given
from alongside.intake.models import InstrumentVersion, Need, ScreeningResponse
from alongside.matching import services as matching
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.messaging.models import TextOptOut
from alongside.organizations import services as organizations
from alongside.people import services as people
from alongside.people import timeline
from alongside.people.models import ContactPoint, Person
from alongside.plans import programs as plan_programs
from alongside.plans import services as plans
from alongside.plans.models import GoalTemplate
from alongside.scheduling import booking as scheduling
from alongside.scheduling import changes as scheduling_changes
from alongside.scheduling import configure, feeds, groups, offer_links, person_feeds, waitlist
from alongside.scheduling.models import Appointment, AppointmentType, Offer, Room
from alongside.scheduling.reply_links import make_token
from alongside.scheduling.tests.factories import make_location, make_room
from alongside.tasks import rules as follow_up
from alongside.tasks import services as tasks
from alongside.worklist import services as worklist
from conftest import World, add_role, make_person, make_user
from tests.authz.routes import Fillers, Probe

NOT_AT_ALL, SEVERAL, MORE_THAN_HALF, NEARLY = "LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"
PHQ9 = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3"]
ITEM_9 = "44260-8"
GAD7 = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
# Answers giving each person a GAD-7 total no other score of theirs has: 17 and 13.
GAD7_ANSWERS = {
    "lupe": [NEARLY] * 5 + [SEVERAL] * 2,
    "rosa": [NEARLY] * 3 + [MORE_THAN_HALF] * 2 + [NOT_AT_ALL] * 2,
}

PERSONAS = ("coordinator", "colleague", "supervisor", "admin", "scheduler", "outsider", "anonymous")
# Who sees each person at all, and who is on their care team (sees everything sensitive),
# as decided (docs/access-and-audit.md), independently of the code that decides it.
IN_SCOPE = {
    "lupe": {"coordinator", "supervisor", "admin", "scheduler"},
    "rosa": {"coordinator", "supervisor", "admin", "scheduler", "colleague"},
}
CARE_TEAM = {"lupe": {"coordinator", "supervisor"}, "rosa": {"coordinator", "supervisor"}}


# An encounter and its notes belong to a program (housing, in this world): they are for
# those who see the person *and* work in that program (or administer the organization),
# as the journey timeline's entries of a program are. Rosa's colleague from her old
# wellness enrollment sees her, not her housing encounters.
IN_HOUSING = {key: people - {"colleague"} for key, people in IN_SCOPE.items()}
PROGRAM_RECORDS = ("{encounter_id}", "{note_id}", "{appointment_id}")
PROGRAM_RECORD_PAGES = frozenset(
    f"encounters:{name}"
    for name in (
        "detail",
        "note-start",
        "note",
        "note-autosave",
        "addendum-add",
        "note-tasks",
        "note-cosign",
    )
) | frozenset(
    # Appointments, waitlist entries and offers belong to a program, like encounters.
    f"scheduling:{name}"
    for name in (
        "appointment",
        "calendar-appointment",
        "appointment-ics",
        "confirm",
        "release",
        "attendance",
        "cancel",
        "move",
        "offer",
        "waitlist-withdraw",
        "seat-attendance",
    )
)


def _of_a_program(probe: Probe) -> bool:
    return probe.route.name in PROGRAM_RECORD_PAGES or any(
        slot in probe.route.template for slot in PROGRAM_RECORDS
    )


def out_of_scope(persona: str, probe: Probe) -> bool:
    """Whether the probe is about a person the persona may not see (anonymous included),
    or about a record of a program of theirs the persona does not work in, which must
    answer 404 (or send them to sign in)."""
    if probe.subject is None:
        return False
    scope = IN_HOUSING if _of_a_program(probe) else IN_SCOPE
    return persona not in scope[probe.subject]


RESTRICTED = "Details restricted to the care team."


@dataclass
class Subject:
    """One person and what hangs off them, with the values that must not leak."""

    key: str
    person: Person
    marker: str  # in the approach-with-care note and a sensitive timeline entry, only
    goal_marker: str  # the words of a plan goal about substance use (sensitive)
    total: int  # of the PHQ-9, which adds up the self-harm item
    band: str
    phq9: ScreeningResponse
    gad7: ScreeningResponse  # behavioral health: its total and answers are sensitive
    gad7_total: int
    gad7_band: str
    draft: ScreeningResponse
    token: str
    ids: dict[str, int] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [self.person.legal_given_name, self.person.legal_family_name]

    @property
    def own_needles(self) -> list[str]:
        """Forms that can only be this person's sensitive data: looked for in every
        answer to anyone not on their care team."""
        needles = [self.marker, self.goal_marker]
        for total, band in ((self.total, self.band), (self.gad7_total, self.gad7_band)):
            needles += [
                f"total {total} (",  # a score line: "Total 19 (moderately severe range)"
                f"total: {total}",  # the results page
                f"{total} ({band}",  # a trend chart's summary
                f'"value":{total},"band"',  # the API
            ]
        return needles

    @property
    def word_needles(self) -> list[str]:
        """Words that give the sensitive details away on a page about this person, but
        that also describe instruments (band labels, answer options, urgent rules): not
        looked for on the pages that show instrument definitions."""
        words = [
            self.band,
            self.gad7_band,
            "nearly every day",  # the answer to PHQ-9 item 9, and to GAD-7 items
            NEARLY.lower(),
            "depression",  # the need's kind, in the API
            "how they have been feeling",  # the need, as the person page words it
            '"kind":"anxiety"',  # the GAD-7's need, in the API
            "worry and stress",  # and as the person page words it
            "worry or anxiety",
            "thoughts of death or self-harm",  # the urgent flag's reason
            "suicide-risk protocol",  # and its guidance
        ]
        return list(dict.fromkeys(words))  # the two bands may be the same word


@dataclass
class AuthzWorld:
    world: World
    subjects: dict[str, Subject]
    clinician: Any
    location_pk: int
    instrument_pk: int
    version_pk: int
    item: str
    pair_pk: int
    rule_pk: int
    merge_pk: int
    merged_pk: int
    twin_pk: int
    term_pk: int
    room_pk: int = 0
    feed_secret: str = ""
    # Scheduling set-up rows (type, location, hours, pattern, change) for /manage/.
    setup: dict[str, Any] = field(default_factory=dict)

    def user(self, persona: str) -> Any:
        return None if persona == "anonymous" else getattr(self.world, persona)

    def token(self, persona: str) -> str | None:
        user = self.user(persona)
        return None if user is None else token_create(user=user, name="authz")[1]


def _screen(actor: Any, person: Person, version: InstrumentVersion, answers: dict[str, str]) -> Any:
    response = intake.response_start(actor=actor, person=person, instrument_version=version)
    given = {link_id: Given(value=value, declined=False) for link_id, value in answers.items()}
    response = intake.answers_save(
        actor=actor, response=response, answers=given, expected_version=response.version
    )
    return intake.response_complete(actor=actor, response=response, expected_version=None)


def _subject(w: World, key: str, person: Person, versions: dict[str, Any], usual: str) -> Subject:
    actor = w.coordinator
    marker = f"{key.upper()}-CARE-MARKER-7Q3"
    people.profile_update(
        actor=actor,
        person=person,
        data={"approach_with_care": f"Please knock. {marker}"},
        version=None,
    )
    # The food screening first: the person's page lists the latest three screenings,
    # which are then the PHQ-9, the GAD-7 and the one in progress.
    _screen(
        actor,
        person,
        versions["hunger-vital-sign"],
        {"88122-7": "LA28397-0", "88123-5": "LA28398-8"},
    )
    phq = _screen(actor, person, versions["phq-9"], {i: usual for i in PHQ9} | {ITEM_9: NEARLY})
    gad = _screen(actor, person, versions["gad-7"], dict(zip(GAD7, GAD7_ANSWERS[key], strict=True)))
    draft = intake.response_start(
        actor=actor, person=person, instrument_version=versions["hunger-vital-sign"]
    )
    link, token = intake.link_create(actor=actor, response=draft)
    contact = people.contact_point_create(
        actor=actor,
        person=person,
        data={"kind": "phone", "value": "212-555-0187", "safety_note": "Work phone only."},
    )
    support = people.support_contact_create(
        actor=actor, person=person, data={"name": "Ana", "relationship": "family"}
    )
    identifier = people.identifier_create(
        actor=actor, person=person, data={"kind": "hmis", "issuer": "County", "value": key}
    )
    language = people.language_add(actor=actor, person=person, data={"language": "es"})
    task = tasks.task_create(
        actor=actor,
        program=w.housing,
        person=person,
        assignee=None,
        data={"title": "Call back", "due_at": timezone.now() + dt.timedelta(days=1)},
    )
    # A sensitive journey entry (of a sensitive kind) of no program, so everyone who sees
    # the person gets it listed, and only the care team its details.
    timeline.add_entry(
        person=person,
        kind="intake.urgent_flag_raised",
        occurred_at=timezone.now(),
        summary="Urgent screening result",
        details=f"Safety plan reviewed together. {marker}",
        actor=actor,
    )
    # A home visit with a signed motivational-interviewing note (sensitive as a whole:
    # behavioral health) holding the marker, and an addendum.
    visit = encounters.encounter_create(
        actor=actor,
        person=person,
        program=w.housing,
        data={
            "kind": "home",
            "modality": "in_person",
            "started_at": timezone.now() - dt.timedelta(hours=3),
            "ended_at": timezone.now() - dt.timedelta(hours=2),
        },
        staff_ids=[actor.pk],
    )
    note = encounters.note_start(
        actor=actor,
        encounter=visit,
        template_version=NoteTemplateVersion.objects.filter(template__slug="mi-progress").latest(
            "number"
        ),
    )
    note = encounters.note_save_draft(
        actor=actor,
        note=note,
        content={"what_matters": f"Staying housed. {marker}", "next_steps": "Call the landlord"},
        expected_version=None,
    )
    note = encounters.note_sign(actor=actor, note=note, expected_version=None)
    encounters.addendum_add(actor=actor, note=note, content="The landlord called back.")
    score, gad_score = phq.scores.get(), gad.scores.get()
    goal_marker = f"{key.upper()}-PLAN-GOAL-MARKER-5K"
    plan_ids = _plan(w, person, goal_marker)
    return Subject(
        key=key,
        person=person,
        marker=marker,
        goal_marker=goal_marker,
        total=score.value,
        band=score.band,
        phq9=phq,
        gad7=gad,
        gad7_total=gad_score.value,
        gad7_band=gad_score.band,
        draft=draft,
        token=token,
        ids={
            "contact": contact.pk,
            "support": support.pk,
            "identifier": identifier.pk,
            "language": language.pk,
            "enrollment": person.enrollments.get(program=w.housing).pk,
            "flag": phq.urgent_flags.get().pk,
            "need": Need.objects.get(person=person, kind="depression").pk,
            "link": link.pk,
            "task": task.pk,
            "encounter": visit.pk,
            "note": note.pk,
            **plan_ids,
        },
    )


def _scheduling(w: World, subjects: dict[str, Subject]) -> None:
    """Each subject's appointment, waitlist entry and an offer of a freed slot (a
    filler person's cancelled appointment), booked by the supervisor outside any
    availability (an override, which supervisors may make)."""
    kind = AppointmentType.objects.create(program=w.housing, name="Check-in", modalities=["phone"])
    filler = make_person(w.coordinator, w.housing, legal_given_name="Filler")
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)

    def book(person: Person, hours: int) -> Any:
        choice = scheduling.Choice(
            kind=kind,
            staff=w.coordinator,
            starts_at=start + dt.timedelta(hours=hours),
            modality="phone",
            override="authorization walk",
        )
        return scheduling.book(actor=w.supervisor, person=person, choice=choice)

    for n, s in enumerate(subjects.values()):
        s.ids["appointment"] = book(s.person, n).pk
        s.ids["entry"] = waitlist.join(actor=w.coordinator, person=s.person, kind=kind).pk
    workshop = AppointmentType.objects.create(
        program=w.housing, name="Workshop", modalities=["phone"], is_group=True, capacity=4
    )
    session = groups.session_create(
        actor=w.supervisor,
        choice=scheduling.Choice(
            kind=workshop,
            staff=w.supervisor,
            starts_at=start + dt.timedelta(hours=20),
            modality="phone",
            override="authorization walk",
        ),
    )
    for s in subjects.values():
        s.ids["session"] = session.pk
        s.ids["seat"] = groups.seat_book(actor=w.coordinator, session=session, person=s.person).pk
    for n, s in enumerate(subjects.values()):
        freed = book(filler, 10 + n)
        scheduling_changes.cancel(actor=w.coordinator, appointment=freed, reason="freed")
        s.ids["offer"] = Offer.objects.get(entry_id=s.ids["entry"]).pk


def _plan(w: World, person: Person, goal_marker: str) -> dict[str, int]:
    """A plan in the housing enrollment with a goal everyone who sees the person may
    read, and one about substance use (sensitive) with a step and readiness."""
    actor = w.coordinator
    plan = plans.plan_start(actor=actor, enrollment=person.enrollments.get(program=w.housing))
    plans.goal_add(
        actor=actor,
        plan=plan,
        data={"words": "A place of my own.", "domain": "housing", "importance": "to"},
        expected_version=None,
    )
    goal = plans.goal_add(
        actor=actor,
        plan=plan,
        data={"words": goal_marker, "domain": "substance_use", "importance": "both"},
        expected_version=None,
    )
    step = plans.step_add(
        actor=actor,
        goal=goal,
        data={"text": f"Meeting. {goal_marker}", "owner_kind": "person"},
        expected_version=None,
    )
    plans.readiness_record(
        actor=actor, goal=goal, importance=8, confidence=6, expected_version=None
    )
    plan.refresh_from_db()
    if not GoalTemplate.objects.filter(program=w.housing).exists():
        plan_programs.goal_template_save(
            actor=w.admin,
            program=w.housing,
            data={"title": "Steady income", "domain": "income", "steps": "Apply for SSI"},
        )
    return {"plan": plan.pk, "goal": goal.pk, "step": step.pk, "plan_version": plan.version}


def build(w: World) -> AuthzWorld:
    intake.instruments_load()
    versions = {
        v.instrument.slug: v
        for v in InstrumentVersion.objects.filter(status="active").select_related("instrument")
    }
    rosa = make_person(
        w.coordinator,
        w.housing,
        legal_given_name="Rosalind",
        legal_family_name="Achterberg",
        preferred_name="Rosa",
        primary_coordinator=w.coordinator,
    )
    people.enrollment_create(
        actor=w.admin,
        person=rosa,
        program=w.wellness,
        data={"status": "closed", "closure_reason": "moved", "ended_on": timezone.localdate()},
    )
    subjects = {
        "lupe": _subject(w, "lupe", w.person, versions, MORE_THAN_HALF),
        "rosa": _subject(w, "rosa", rosa, versions, SEVERAL),
    }
    _scheduling(w, subjects)
    for s in subjects.values():  # each phone replied STOP (messaging:texts-on)
        number = ContactPoint.objects.get(pk=s.ids["contact"]).normalized
        TextOptOut.objects.get_or_create(
            number=number, defaults={"word": "STOP", "opted_out_at": timezone.now()}
        )
    assert (subjects["lupe"].total, subjects["rosa"].total) == (19, 11)
    assert [(s.gad7_total, s.gad7_band) for s in subjects.values()] == [
        (17, "severe"),
        (13, "moderate"),
    ]

    # The coordinator's worklist holds both, with one item snoozed and one done today, so
    # the walk reads every section of it (as a teammate covering, too).
    worklist.decision_record(
        actor=w.coordinator,
        person=rosa,
        reason_key="worklist.not_yet_contacted",
        item_key="new",
        action="snoozed",
        until=timezone.localdate() + dt.timedelta(days=7),
        note="Back from her sister's next week.",
    )
    worklist.decision_record(
        actor=w.coordinator,
        person=w.person,
        reason_key="intake.urgent_flag",
        item_key=f"flag:{subjects['lupe'].ids['flag']}",
        action="done",
    )

    clinician = make_user("jo", first_name="Jo", last_name="Park")
    add_role(clinician, Role.CLINICIAN, program=w.housing)

    # A record of Lupe registered twice: one merged into hers, one still to review.
    merged = make_person(
        w.coordinator, w.housing, legal_given_name="Lupe", legal_family_name="Hernandes"
    )
    record = matching.person_merge(
        actor=w.admin, survivor=w.person, merged=merged, reason="Registered twice."
    )
    twin = make_person(
        w.coordinator,
        w.housing,
        legal_given_name="Guadalupe",
        legal_family_name="Hernandez",
        date_of_birth=dt.date(1984, 3, 9),
    )
    pair = DuplicatePair.objects.create(
        organization=w.org,
        person_a=w.person,
        person_b=twin,
        score=30.0,
        decision=DuplicatePair.Decision.LIKELY,
        reasons=[],
        found_at=timezone.now(),
        last_seen_at=timezone.now(),
    )

    location = organizations.location_create(
        actor=w.admin, organization=w.org, data={"name": "Main office"}
    )
    copy = intake.instrument_copy(actor=w.admin, organization=w.org, version=versions["phq-9"])
    rule = follow_up.rule_create(
        actor=w.admin,
        organization=w.org,
        program=w.housing,
        data={"trigger": "tasks.no_contact", "days": 30, "title": "Reach out"},
    )
    assert MergeRecord.objects.filter(pk=record.pk).exists()
    room_pk, feed_secret = _calendars(w)
    return AuthzWorld(
        world=w,
        subjects=subjects,
        clinician=clinician,
        location_pk=location.pk,
        instrument_pk=copy.instrument_id,
        version_pk=copy.pk,
        item=copy.definition["items"][0]["link_id"],
        pair_pk=pair.pk,
        rule_pk=rule.pk,
        merge_pk=record.pk,
        merged_pk=merged.pk,
        twin_pk=twin.pk,
        term_pk=LabelingTerm.objects.get(organization=None, term="refused").pk,
        room_pk=room_pk,
        feed_secret=feed_secret,
        setup=_scheduling_setup(w, room_pk),
    )


def _scheduling_setup(w: World, room_pk: int) -> dict[str, Any]:
    """What the scheduling set-up screens edit: a type, the room's location with opening
    hours, and the coordinator's weekly availability and time off."""
    room = Room.objects.select_related("location").get(pk=room_pk)
    kind = AppointmentType.objects.filter(program=w.housing).first()
    assert kind is not None
    hours = configure.hours_add(
        actor=w.admin,
        location=room.location,
        data={"weekday": 0, "opens": dt.time(9), "closes": dt.time(17)},
    )
    zone = {"time_zone": "America/New_York"}
    pattern = configure.pattern_save(
        actor=w.admin,
        organization=w.org,
        staff=w.coordinator,
        data={
            "weekday": 1,
            "starts": dt.time(9),
            "ends": dt.time(12),
            "valid_from": dt.date(2026, 1, 1),
        }
        | zone,
    )
    start = timezone.now() + dt.timedelta(days=30)
    change = configure.change_add(
        actor=w.admin,
        organization=w.org,
        staff=w.coordinator,
        data={"kind": "time_off", "starts_at": start, "ends_at": start + dt.timedelta(hours=8)}
        | zone,
    )
    return {
        "type": kind.pk,
        "location": room.location_id,
        "hours": hours.pk,
        "pattern": pattern.pk,
        "change": change.pk,
        # Lupe's own calendar feed (its secret is the authority).
        "person_feed": person_feeds.feed_make(
            actor=w.coordinator, person=w.person, detail="details"
        ),
    }


def _calendars(w: World) -> tuple[int, str]:
    """A room for its calendar, and the coordinator's calendar feed (each subject's
    appointment with the coordinator is made by `_scheduling`)."""
    room = make_room(make_location(w))
    return room.pk, feeds.feed_regenerate(actor=w.coordinator)


# ---------------------------------------------------------------- filling routes


def reminder_token(appointment_id: int) -> str:
    return make_token(Appointment.objects.get(pk=appointment_id))


def offer_token(offer_id: int) -> str:
    return offer_links.make_token(Offer.objects.get(pk=offer_id))


def fillers(a: AuthzWorld) -> Fillers:
    """How to fill every route's path parameters in this world."""
    w = a.world
    lupe = a.subjects["lupe"]

    def each(make: Any) -> Any:
        """The route once for each person: `make(subject)` gives its parameters."""
        return lambda: [("", s.key, make(s)) for s in a.subjects.values()]

    def screenings(param: str) -> Any:
        """The route for each person's PHQ-9 and GAD-7."""
        return lambda: [
            (slug, s.key, {param: response.pk})
            for s in a.subjects.values()
            for slug, response in (("phq-9", s.phq9), ("gad-7", s.gad7))
        ]

    def org(**values: Any) -> Any:
        return lambda: [("", None, {"org": w.org.pk, **values})]

    instrument = {"pk": a.instrument_pk, "vpk": a.version_pk}
    coordinator = w.coordinator.pk
    membership = Membership.objects.filter(user=w.coordinator).first()
    assert membership is not None
    by_route: dict[str, Any] = {
        # people
        **{
            f"people:{name}": each(lambda s: {"pk": s.person.pk})
            for name in (
                "edit",
                "profile",
                "history",
                "access",
                "contact-add",
                "support-add",
                "identifier-add",
                "language-add",
                "enrollment-add",
                "timeline",
            )
        },
        "people:detail": lambda: [
            *each(lambda s: {"pk": s.person.pk})(),
            ("merged record", "lupe", {"pk": a.merged_pk}),  # leads to the survivor
        ],
        "people:contact-edit": each(lambda s: {"pk": s.person.pk, "contact_pk": s.ids["contact"]}),
        "people:support-edit": each(lambda s: {"pk": s.person.pk, "support_pk": s.ids["support"]}),
        "people:enrollment-edit": each(
            lambda s: {"pk": s.person.pk, "enrollment_pk": s.ids["enrollment"]}
        ),
        **{
            f"people:{kind}-delete": each(
                lambda s, kind=kind: {"pk": s.person.pk, "child_pk": s.ids[kind]}
            )
            for kind in ("contact", "support", "identifier", "language")
        },
        # intake
        "intake:start": each(lambda s: {"pk": s.person.pk}),
        "intake:history": each(lambda s: {"pk": s.person.pk}),
        "intake:response": lambda: [
            *[("phq-9", s.key, {"pk": s.phq9.pk}) for s in a.subjects.values()],
            *[("gad-7", s.key, {"pk": s.gad7.pk}) for s in a.subjects.values()],
            *[("in progress", s.key, {"pk": s.draft.pk}) for s in a.subjects.values()],
        ],
        "intake:response-fhir": screenings("pk"),
        **{
            f"GET /api/v1/screenings/{{screening_id}}{tail}": screenings("screening_id")
            for tail in ("", "/fhir")
        },
        **{
            f"intake:{name}": each(lambda s: {"pk": s.draft.pk})
            for name in ("answer", "link-create", "hand-over", "kiosk", "hand-back")
        },
        "intake:link-revoke": each(lambda s: {"pk": s.draft.pk, "link_pk": s.ids["link"]}),
        # The link is the authority, for anyone who holds it: about no one in scope terms.
        "intake:link": lambda: [
            *[(f"{s.key}'s link", None, {"token": s.token}) for s in a.subjects.values()],
            ("unknown link", None, {"token": "not-a-real-token"}),
        ],
        # A reminder's link too: the signed token is the authority, for whoever holds it.
        "scheduling-reply:page": lambda: [
            *[
                (f"{s.key}'s reminder link", None, {"token": reminder_token(s.ids["appointment"])})
                for s in a.subjects.values()
            ],
            ("unknown link", None, {"token": "not-a-real-token"}),
        ],
        # A waitlist offer's link: the same, about the offer of a freed slot.
        "scheduling-reply:offer": lambda: [
            *[
                (f"{s.key}'s offer link", None, {"token": offer_token(s.ids["offer"])})
                for s in a.subjects.values()
            ],
            ("unknown link", None, {"token": "not-a-real-token"}),
        ],
        # Each person's phone, after it replied STOP (build() records that).
        "messaging:texts-on": each(lambda s: {"pk": s.person.pk, "contact_pk": s.ids["contact"]}),
        "intake:flag": each(lambda s: {"pk": s.ids["flag"]}),
        "intake:flag-acknowledge": each(lambda s: {"pk": s.ids["flag"]}),
        # encounters and notes
        **{
            f"encounters:{name}": each(lambda s: {"pk": s.person.pk})
            for name in ("person-list", "create")
        },
        **{
            f"encounters:{name}": each(lambda s: {"pk": s.ids["encounter"]})
            for name in ("detail", "note-start")
        },
        **{
            f"encounters:{name}": each(lambda s: {"pk": s.ids["note"]})
            for name in ("note", "note-autosave", "addendum-add", "note-tasks", "note-cosign")
        },
        "intake:need-status": each(lambda s: {"pk": s.ids["need"]}),
        # plans: each person's plan, its sensitive goal and step, its latest version
        "plans:start": each(lambda s: {"enrollment_pk": s.ids["enrollment"]}),
        **{
            f"plans:{name}": each(lambda s: {"pk": s.ids["plan"]})
            for name in (
                "plan",
                "print",
                "goal-add",
                "review",
                "agreement",
                "status",
                "approve",
                "versions",
            )
        },
        **{
            f"plans:{name}": each(lambda s: {"pk": s.ids["plan"], "goal_pk": s.ids["goal"]})
            for name in ("goal-edit", "step-add", "readiness")
        },
        "plans:step-done": each(lambda s: {"pk": s.ids["plan"], "step_pk": s.ids["step"]}),
        "plans:version": each(lambda s: {"pk": s.ids["plan"], "number": s.ids["plan_version"]}),
        # matching: Lupe's records
        "matching:pair-review": lambda: [("", "lupe", {"pk": a.pair_pk})],
        "matching:compare": lambda: [("", "lupe", {"first": lupe.person.pk, "second": a.twin_pk})],
        "matching:merge-detail": lambda: [("", "lupe", {"pk": a.merge_pk})],
        # organization screens
        "manage:program-edit": org(pk=w.housing.pk),
        "manage:program-active": org(pk=w.housing.pk),
        "manage:location-edit": org(pk=a.location_pk),
        "manage:location-active": org(pk=a.location_pk),
        **{
            f"manage:{name}": org(pk=coordinator)
            for name in ("staff-detail", "role-grant", "staff-active", "staff-link")
        },
        "manage:role-revoke": org(pk=coordinator, membership_pk=membership.pk),
        "manage:instrument": org(pk=a.instrument_pk),
        **{
            f"manage:instrument-{name}": org(**instrument)
            for name in (
                "version",
                "details",
                "item-add",
                "score-add",
                "preview",
                "fhir",
                "publish",
                "retire",
                "new-version",
                "copy",
            )
        },
        **{
            f"manage:instrument-{name}": org(**instrument, link_id=a.item)
            for name in ("item", "item-remove", "item-move")
        },
        "manage:instrument-score": org(**instrument, index=0),
        "manage:language-terms": org(),
        "manage:language-term-active": org(pk=a.term_pk),
        "manage:instrument-rule-add": org(**instrument, kind="needs"),
        "manage:instrument-rule": org(**instrument, kind="needs", index=0),
        "manage:instrument-rule-remove": org(**instrument, kind="needs", index=0),
        "manage:follow-up-edit": org(pk=a.rule_pk),
        "manage:scheduling-type-edit": org(pk=a.setup["type"]),
        **{
            f"manage:scheduling-{name}": org(pk=a.setup["location"])
            for name in ("location", "room-add")
        },
        "manage:scheduling-room-edit": org(pk=a.room_pk),
        "manage:scheduling-hours-remove": org(pk=a.setup["hours"]),
        **{
            f"manage:scheduling-{name}": org(pk=coordinator)
            for name in ("staff", "pattern-add", "change-add")
        },
        **{
            f"manage:scheduling-{name}": org(pk=a.setup["pattern"])
            for name in ("pattern-edit", "pattern-remove")
        },
        "manage:scheduling-change-remove": org(pk=a.setup["change"]),
        "manage:plan-settings-edit": org(pk=w.housing.pk),
        "manage:goal-templates": org(pk=w.housing.pk),
        "manage:goal-template-edit": lambda: org(
            pk=w.housing.pk, template_pk=GoalTemplate.objects.get(program=w.housing).pk
        )(),
        "manage:note-settings-edit": org(pk=w.housing.pk),
        # tasks: each person's task in the housing team queue
        **{
            f"tasks:{name}": each(lambda s: {"pk": s.ids["task"]})
            for name in (
                "detail",
                "edit",
                "take",
                "start",
                "complete",
                "reopen",
                "cancel",
                "assign",
                "comment",
            )
        },
        "tasks:create": each(lambda s: {"pk": s.person.pk}),
        # scheduling: each person's appointment, waitlist entry and offer
        **{
            f"scheduling:{name}": each(lambda s: {"pk": s.person.pk})
            for name in (
                "person",
                "find",
                "hold",
                "preferences",
                "series-create",
                "waitlist-join",
                "person-feed-settings",
            )
        },
        **{
            f"scheduling:{name}": each(lambda s: {"pk": s.ids["appointment"]})
            for name in ("appointment", "confirm", "release", "attendance", "cancel", "move")
        },
        "scheduling:offer": each(lambda s: {"pk": s.ids["offer"]}),
        "scheduling:session": lambda: [("", None, {"pk": lupe.ids["session"]})],
        "scheduling:seat-attendance": each(lambda s: {"pk": s.ids["seat"]}),
        "scheduling:waitlist-withdraw": each(lambda s: {"pk": s.ids["entry"]}),
        # scheduling: the coordinator's, the room's and the housing team's calendars, each
        # person's appointment, and the coordinator's feed (its secret is the authority)
        "scheduling:calendar-staff": lambda: [("", None, {"user_pk": coordinator})],
        "scheduling:calendar-room": lambda: [("", None, {"room_pk": a.room_pk})],
        **{
            f"scheduling:{name}": lambda: [("", None, {"program_pk": w.housing.pk})]
            for name in ("calendar-team", "team-attendance")
        },
        **{
            f"scheduling:{name}": each(lambda s: {"appointment_id": s.ids["appointment"]})
            for name in ("calendar-appointment", "appointment-ics")
        },
        "scheduling:person-feed": lambda: [
            ("lupe's own feed", None, {"secret": a.setup["person_feed"]}),
            ("unknown feed", None, {"secret": "alp_not-a-real-one"}),
        ],
        "scheduling:feed": lambda: [
            ("coordinator's feed", None, {"secret": a.feed_secret}),
            ("unknown feed", None, {"secret": "alc_not-a-real-one"}),
        ],
        # accounts: a reset link that is not valid answers the same to everyone
        # worklist: the coordinator's worklist, opened by a teammate covering for them
        "worklist:member": lambda: [("", None, {"user_pk": coordinator})],
        "password_reset_confirm": lambda: [("", None, {"uidb64": "MQ", "token": "x-y"})],
        "/api/{rest}": lambda: [("", None, {"rest": "no-such-thing"})],
    }
    generic = {
        "org": {None: w.org.pk},
        "person_id": {k: s.person.pk for k, s in a.subjects.items()},
        "screening_id": {k: s.phq9.pk for k, s in a.subjects.items()},
        "contact_id": {k: s.ids["contact"] for k, s in a.subjects.items()},
        "enrollment_id": {k: s.ids["enrollment"] for k, s in a.subjects.items()},
        "task_id": {k: s.ids["task"] for k, s in a.subjects.items()},
        "encounter_id": {k: s.ids["encounter"] for k, s in a.subjects.items()},
        "note_id": {k: s.ids["note"] for k, s in a.subjects.items()},
        "plan_id": {k: s.ids["plan"] for k, s in a.subjects.items()},
        "goal_id": {k: s.ids["goal"] for k, s in a.subjects.items()},
        "step_id": {k: s.ids["step"] for k, s in a.subjects.items()},
        "appointment_id": {k: s.ids["appointment"] for k, s in a.subjects.items()},
    }
    return Fillers(by_route=by_route, generic=generic)


# What the care team sees on a page about one of the subjects, proving that the walk
# would notice the details if they were there; everyone else in scope is told those
# details are restricted (`RESTRICTED_MARK`).
def shows(s: Subject) -> dict[tuple[str, str], list[str]]:
    api = "/api/v1"
    return {
        ("people:detail", ""): [
            s.marker,
            "how they have been feeling",
            "worry or anxiety",
            f"total {s.total} (",
            f"total {s.gad7_total} (",
        ],
        ("people:history", ""): [s.marker],
        ("people:timeline", ""): [s.marker],
        ("encounters:note", ""): [s.marker],
        (f"GET {api}/notes/{{note_id}}", ""): [s.marker],
        (f"GET {api}/people/{{person_id}}/timeline", ""): [s.marker],
        (f"GET {api}/notes/{{note_id}}/fhir", ""): ['"data":'],
        ("intake:response", "phq-9"): [
            f"total: {s.total}",
            "nearly every day",
            "how they have been feeling",  # the need, named as everywhere (intake.wording)
            "thoughts of death or self-harm",  # the urgent flag and its history
        ],
        ("intake:flag", ""): ["thoughts of death or self-harm", "suicide-risk protocol"],
        ("plans:plan", ""): [s.goal_marker],
        ("plans:version", ""): [s.goal_marker],
        ("intake:response", "gad-7"): [f"total: {s.gad7_total}", "nearly every day"],
        ("intake:history", ""): [f"total {s.total} (", f"total {s.gad7_total} ("],
        ("intake:response-fhir", "phq-9"): [NEARLY.lower()],
        ("intake:response-fhir", "gad-7"): [NEARLY.lower()],
        (f"GET {api}/people/{{person_id}}", ""): [s.marker],
        (f"GET {api}/people/{{person_id}}/profile", ""): [s.marker],
        (f"GET {api}/people/{{person_id}}/screenings", ""): [
            f'"value":{s.total},"band"',
            f'"value":{s.gad7_total},"band"',
        ],
        (f"GET {api}/screenings/{{screening_id}}", "phq-9"): [f'"value":{s.total},"band"'],
        (f"GET {api}/screenings/{{screening_id}}", "gad-7"): [f'"value":{s.gad7_total},"band"'],
        (f"GET {api}/screenings/{{screening_id}}/fhir", "phq-9"): [NEARLY.lower()],
        (f"GET {api}/screenings/{{screening_id}}/fhir", "gad-7"): [NEARLY.lower()],
        (f"GET {api}/people/{{person_id}}/needs", ""): ['"kind":"depression"'],
        (f"GET {api}/plans/{{plan_id}}", ""): [s.goal_marker],
        (f"GET {api}/plans/{{plan_id}}/fhir", ""): [s.goal_marker],
    }


RESTRICTED_MARK = {"page": RESTRICTED.lower(), "api": '"restricted":true', "fhir": '"masked"'}
