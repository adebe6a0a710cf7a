"""The people who make every feature visible on the first sign-in as coordinator@riverbend
(Casey Nguyen, Housing Navigation), the supervisor and the admin: open urgent flags in
Casey's caseload, needs in every status, each enrollment state, a pair of records waiting
in the duplicates report and a merge that can be undone, and a worklist that says who needs
Casey today (an urgent result with no contact for weeks, new referrals, one item snoozed).

Written by hand, not drawn at random, so a smaller demo (`--people 30`) shows them too,
and written through the same services as everything else: the duplicates are found by the
duplicate finder and merged by the supervisor through the matching services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from alongside.accounts.models import User
from alongside.demo import screenings
from alongside.intake import services as intake
from alongside.intake.models import InstrumentVersion, Need
from alongside.matching import services as matching
from alongside.matching.models import MergeRecord
from alongside.organizations.models import Program
from alongside.people import services
from alongside.people.models import Enrollment, Person
from alongside.tasks import rules
from alongside.tasks import services as tasks
from alongside.worklist import services as worklist

SIZE = 10  # people this module adds
SEED = 20261124

NEVER, SOMETIMES, FAIRLY_OFTEN = "LA6270-8", "LA10082-8", "LA16644-9"
NOT_AT_ALL, SEVERAL_DAYS = "LA6568-5", "LA6569-3"
YES, NO = "LA33-6", "LA32-8"
OFTEN, SOMETIMES_TRUE, NEVER_TRUE = "LA28397-0", "LA6729-3", "LA28398-8"
STEADY, WORRIED = "LA31993-1", "LA31994-9"
SAFETY_ITEMS = ("95618-5", "95617-7", "95616-9", "95615-1")
SOCIAL = ("71802-3", "88122-7", "88123-5", "93030-5", "96779-4")


@dataclass
class Staff:
    coordinator: User  # Casey, Housing Navigation: the login the README names
    case_manager: User  # Jordan, Wellness & Recovery
    navigator: User  # Marisol, Re-entry Support
    supervisor: User  # Sam, every program
    housing: Program
    wellness: Program
    reentry: Program


@dataclass
class Showcase:
    people: dict[str, Person] = field(default_factory=dict)
    merge: MergeRecord | None = None


def _hrsn(social: Sequence[str], safety: Sequence[str] = (NEVER,) * 4) -> dict[str, str]:
    return dict(zip(SOCIAL, social, strict=True)) | dict(zip(SAFETY_ITEMS, safety, strict=True))


def _register(
    actor: User,
    program: Program,
    identity: Mapping[str, Any],
    *,
    profile: Mapping[str, str],
    languages: Sequence[tuple[str, bool]] = (("en", False),),
    phone: Mapping[str, Any],
    email: str = "",
    medicaid: str = "",
    support: Mapping[str, Any] | None = None,
) -> Person:
    person = services.person_create(
        actor=actor, program=program, data=identity, profile=profile, primary_coordinator=actor
    )
    for position, (code, interpreter) in enumerate(languages):
        services.language_add(
            actor=actor,
            person=person,
            data={
                "language": code,
                "is_preferred": position == 0,
                "interpreter_needed": interpreter,
            },
        )
    services.contact_point_create(
        actor=actor, person=person, data={"kind": "phone", "is_preferred": True, **phone}
    )
    if email:
        services.contact_point_create(
            actor=actor, person=person, data={"kind": "email", "value": email}
        )
    if medicaid:
        services.identifier_create(
            actor=actor,
            person=person,
            data={"kind": "medicaid", "issuer": "NY Medicaid", "value": medicaid},
        )
    if support:
        services.support_contact_create(actor=actor, person=person, data=support)
    return person


def _move(actor: User, person: Person, status: str, days_ago: int, **data: Any) -> Enrollment:
    """Move the person's enrollment on; `days_ago` is when it started (or was referred)."""
    enrollment = person.enrollments.get()
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    changes: dict[str, Any] = {"status": status, "referred_on": day}
    if status != Enrollment.Status.REFERRED:
        changes |= {"started_on": day, "referred_on": day - dt.timedelta(days=6)}
    return services.enrollment_update(
        actor=actor, enrollment=enrollment, data=changes | data, version=None
    )


def _contacted(person: Person, days_ago: int) -> None:
    at = timezone.now() - dt.timedelta(days=days_ago, hours=2)
    services.record_contact(person=person, at=at)


def _set_need(actor: User, person: Person, kind: str, status: str) -> None:
    need = Need.objects.get(person=person, kind=kind, status__in=Need.OPEN_STATUSES)
    intake.need_set_status(actor=actor, need=need, status=status, expected=need.status)


def build(staff: Staff, versions: Mapping[str, InstrumentVersion]) -> Showcase:
    rng = random.Random(SEED)  # the same showcase whatever the size of the demo
    shown = Showcase()
    casey = staff.coordinator
    hrsn, phq9 = versions[screenings.HRSN], versions[screenings.PHQ9]

    # Rosa: safety at home screened positive yesterday (an open urgent flag); her
    # contact rules and her note agree that nothing may reach her phone.
    rosa = _register(
        casey,
        staff.housing,
        {
            "legal_given_name": "Rosa",
            "legal_family_name": "Delgado",
            "pronouns": "she/her",
            "sex": "female",
            "date_of_birth": dt.date(1987, 8, 21),
        },
        languages=(("es", False), ("en", False)),
        profile={
            "important_to": "My daughters, Valeria and Sofía, and keeping them in the same school.",
            "how_to_support": "Call before you come. Don't just show up.",
            "strengths": "Resourceful; I've gotten through worse.",
            "hopes": "To have a place that's ours, with a door that locks.",
            "approach_with_care": "Please don't raise your voice. Loud voices take me back "
            "to bad times.",
        },
        phone={
            "label": "mobile",
            "value": "(718) 555-0131",
            "may_text": False,
            "may_leave_voicemail": False,
            "best_times": "Weekdays at lunch, from work",
            "never_contact_times": "Evenings and weekends",
            "safety_note": "Partner checks the phone — no texts, no voicemail.",
        },
        support={
            "name": "Lucía Delgado",
            "relationship": "family",
            "relationship_detail": "sister",
            "phone": "(718) 555-0176",
            "may_involve": True,
        },
    )
    _move(casey, rosa, Enrollment.Status.ACTIVE, 130)
    _contacted(rosa, 4)
    screenings.complete(
        rng,
        casey,
        rosa,
        hrsn,
        days_ago=75,
        answers=_hrsn((WORRIED, OFTEN, OFTEN, NO, NO)),
        language="es",
    )
    _set_need(casey, rosa, "housing_instability", Need.Status.ADDRESSING)
    _set_need(casey, rosa, "food_insecurity", Need.Status.RESOLVED)
    screenings.complete(
        rng,
        casey,
        rosa,
        hrsn,
        days_ago=1,
        answers=_hrsn(
            (WORRIED, SOMETIMES_TRUE, NEVER_TRUE, NO, NO),
            (FAIRLY_OFTEN, SOMETIMES, FAIRLY_OFTEN, SOMETIMES),
        ),
        language="es",
    )
    shown.people["rosa"] = rosa

    # Dani: a mood trend over most of a year, then thoughts of self-harm two days ago.
    dani = _register(
        casey,
        staff.housing,
        {
            "legal_given_name": "Daniela",
            "legal_family_name": "Okafor",
            "preferred_name": "Dani",
            "pronouns": "they/them",
            "sex": "female",
            "gender_identity": "Non-binary",
            "date_of_birth": dt.date(1998, 11, 2),
        },
        profile={
            "appreciated": "I make people laugh, even on hard days.",
            "how_to_support": "Text first — I don't pick up unknown numbers.",
            "stress_helps": "Music — give me my headphones and ten minutes.",
            "want_to_change": "I want to sleep through the night.",
        },
        phone={
            "label": "mobile",
            "value": "(347) 555-0158",
            "may_text": True,
            "may_leave_voicemail": True,
            "best_times": "After 3 pm",
        },
        email="dani.okafor@example.net",
    )
    _move(casey, dani, Enrollment.Status.ACTIVE, 290)
    _contacted(dani, 12)
    for days, level in ((270, 2), (180, 2), (90, 1)):
        answers = {"44260-8": NOT_AT_ALL}
        screenings.complete(rng, casey, dani, phq9, days_ago=days, level=level, answers=answers)
    _set_need(casey, dani, "depression", Need.Status.ADDRESSING)
    screenings.complete(
        rng, casey, dani, phq9, days_ago=2, level=2, answers={"44260-8": SEVERAL_DAYS}
    )
    shown.people["dani"] = dani

    # Walter: a flag five days old nobody has acted on; needs he chose not to pursue.
    walter = _register(
        casey,
        staff.housing,
        {
            "legal_given_name": "Walter",
            "legal_family_name": "Brooks",
            "pronouns": "he/him",
            "sex": "male",
            "date_of_birth": dt.date(1957, 4, 17),
        },
        profile={
            "important_to": "Playing dominoes with my friends at the park.",
            "important_for": "Taking my blood pressure medicine every morning.",
            "how_to_support": "Explain things slowly and write them down for me.",
            "culture_identity": "Black, Southern, proud of where I come from.",
        },
        phone={
            "label": "home",
            "value": "(914) 555-0109",
            "may_text": False,
            "may_leave_voicemail": True,
            "best_times": "Mornings",
        },
        medicaid="BK48213C",
    )
    _move(casey, walter, Enrollment.Status.ACTIVE, 210)
    _contacted(walter, 38)  # a flag, and no contact for longer than the rule: two reasons
    screenings.complete(
        rng,
        casey,
        walter,
        hrsn,
        days_ago=60,
        answers=_hrsn((STEADY, NEVER_TRUE, NEVER_TRUE, YES, YES)),
    )
    _set_need(casey, walter, "transportation", Need.Status.NOT_WANTED)
    _set_need(casey, walter, "utilities", Need.Status.ADDRESSING)
    screenings.complete(
        rng, casey, walter, phq9, days_ago=5, level=1, answers={"44260-8": SEVERAL_DAYS}
    )
    shown.people["walter"] = walter

    # One person in each other state of the journey.
    kim = _register(
        casey,
        staff.housing,
        {
            "legal_given_name": "Kim-Ly",
            "legal_family_name": "Tran",
            "pronouns": "she/her",
            "sex": "female",
            "date_of_birth": dt.date(1971, 2, 9),
        },
        languages=(("vi", True),),
        profile={"important_to": "Talking to my grandchildren on video every night."},
        phone={"label": "mobile", "value": "(646) 555-0112", "may_text": True},
    )
    _move(casey, kim, Enrollment.Status.REFERRED, 2)
    shown.people["referred"] = kim

    marcus = _register(
        casey,
        staff.housing,
        {
            "legal_given_name": "Marcus",
            "legal_family_name": "Bell",
            "pronouns": "he/him",
            "sex": "male",
            "date_of_birth": dt.date(1983, 12, 1),
        },
        profile={"important_to": "Staying sober one day at a time."},
        phone={"label": "mobile", "value": "(212) 555-0190", "may_text": True},
    )
    _move(casey, marcus, Enrollment.Status.ACTIVE, 320)
    _move(casey, marcus, Enrollment.Status.PAUSED, 320)
    _contacted(marcus, 50)
    shown.people["paused"] = marcus

    fatima = _register(
        casey,
        staff.housing,
        {
            "legal_given_name": "Fatima",
            "legal_family_name": "Haidari",
            "pronouns": "she/her",
            "sex": "female",
            "date_of_birth": dt.date(1979, 5, 23),
        },
        languages=(("fa", True), ("en", False)),
        profile={"hopes": "To go back to school for nursing."},
        phone={"label": "mobile", "value": "(516) 555-0147", "may_text": True},
    )
    _move(casey, fatima, Enrollment.Status.ACTIVE, 400)
    _contacted(fatima, 50)
    _move(
        casey,
        fatima,
        Enrollment.Status.CLOSED,
        400,
        ended_on=timezone.localdate() - dt.timedelta(days=45),
        closure_reason=Enrollment.ClosureReason.GOALS_MET,
        closure_note="Moved into her own apartment in Eastside.",
    )
    shown.people["closed"] = fatima

    # The same man, registered twice by two programs: left for the supervisor to review.
    jonathan = {
        "legal_family_name": "Reyes",
        "pronouns": "he/him",
        "sex": "male",
        "date_of_birth": dt.date(1979, 6, 14),
    }
    shown.people["jonathan"] = _register(
        casey,
        staff.housing,
        jonathan | {"legal_given_name": "Jonathan"},
        profile={"important_to": "Getting back to work as a welder."},
        phone={"label": "mobile", "value": "(347) 555-0168", "may_text": True},
        medicaid="HJ20417A",
    )
    shown.people["jon"] = _register(
        staff.navigator,
        staff.reentry,
        jonathan | {"legal_given_name": "Jon"},
        profile={"strengths": "I can fix almost anything with a motor."},
        phone={"label": "mobile", "value": "347-555-0168", "may_text": True},
        email="jreyes79@example.net",
        medicaid="HJ20417A",
    )

    # Casey's worklist: Jonathan, new, set aside until the duplicate is reviewed.
    worklist.decision_record(
        actor=casey,
        person=shown.people["jonathan"],
        reason_key="worklist.not_yet_contacted",
        item_key="new",
        action="snoozed",
        until=timezone.localdate() + dt.timedelta(days=3),
        note="Waiting for the duplicate review before reaching out.",
    )

    # And a woman registered twice, whose records the supervisor merged (see merge()).
    ana = {
        "legal_family_name": "Castillo",
        "pronouns": "she/her",
        "sex": "female",
        "date_of_birth": dt.date(1992, 1, 30),
    }
    shown.people["ana maría"] = _register(
        staff.case_manager,
        staff.wellness,
        ana | {"legal_given_name": "Ana María"},
        profile={"stress_helps": "Going for a walk by myself."},
        phone={"label": "mobile", "value": "(201) 555-0123", "may_text": True},
        email="anamaria.castillo@example.net",
    )
    shown.people["ana"] = _register(
        casey,
        staff.housing,
        ana | {"legal_given_name": "Ana"},
        profile={"important_to": "My garden plot at the community garden."},
        phone={"label": "mobile", "value": "201-555-0123", "may_text": True},
        email="anamaria.castillo@example.net",
    )
    return shown


def merge(staff: Staff, shown: Showcase) -> MergeRecord:
    """After the duplicate finder ran: the supervisor merges Ana's two records, and the
    merge can be undone from its record."""
    shown.merge = matching.person_merge(
        actor=staff.supervisor,
        survivor=shown.people["ana maría"],
        merged=shown.people["ana"],
        reason="Same person: same date of birth, phone and email. Ana confirmed it at the "
        "Eastside drop-in.",
    )
    return shown.merge


def follow_up_rules(admin: User, programs: Sequence[Program]) -> None:
    """Every program follows up an urgent screening result the same day; the first also
    reaches out after 30 days without contact, the second calls new people within two
    business days."""
    for n, program in enumerate(programs):
        org = program.organization
        rules.rule_create(
            actor=admin,
            organization=org,
            program=program,
            data={
                "trigger": "intake.urgent_flag",
                "deadline": "same_day",
                "priority": "asap",
                "assign_to": "coordinator",
                "title": "Contact after an urgent screening result",
            },
        )
        extra: list[dict[str, Any]] = [
            {"trigger": "tasks.no_contact", "days": 30, "deadline": "business_days"},
            {"trigger": "tasks.new_enrollment_not_contacted", "deadline": "business_days"},
        ]
        if n < len(extra):
            rules.rule_create(
                actor=admin,
                organization=org,
                program=program,
                data=extra[n]
                | {
                    "deadline_amount": 2,
                    "priority": "routine",
                    "assign_to": "team" if n else "coordinator",
                    "title": "Check in" if n == 0 else "Welcome call",
                },
            )


def hub(staff: Staff, shown: Showcase) -> None:
    """Tasks a coordinator finds on their first day: some by hand, the rest made by the
    rules (an urgent result days old makes an overdue task)."""
    now = timezone.now()
    today_end = timezone.localtime(now).replace(hour=23, minute=30, second=0, microsecond=0)
    casey = staff.coordinator
    tasks.task_create(
        actor=casey,
        program=staff.housing,
        person=shown.people["rosa"],
        assignee=casey,
        data={
            "title": "Go over the safety plan with Rosa (in person only)",
            "due_at": max(today_end, now + dt.timedelta(minutes=30)),
            "priority": "urgent",
            "description": "No calls or texts: her phone is not safe. Meet at the office.",
        },
    )
    tasks.task_create(
        actor=casey,
        program=staff.housing,
        person=shown.people["referred"],
        assignee=None,
        data={
            "title": "Find a Vietnamese interpreter for Kim-Ly's first visit",
            "due_at": now + dt.timedelta(days=2),
            "priority": "routine",
        },
    )
    tasks.task_create(
        actor=casey,
        program=staff.housing,
        person=shown.people["walter"],
        assignee=casey,
        data={
            "title": "Send Walter the utility assistance application",
            "due_at": now + dt.timedelta(days=5),
            "priority": "routine",
        },
    )
    rules.evaluate_rules(now)
