"""The reminder sweep for a day's appointments (issue 13: 20,000 in under 2 minutes).

    createdb -h 127.0.0.1 -U postgres alongside_bench_reminders
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench_reminders \\
        .venv/bin/python bench/bench_reminders.py          # --appointments N, --keep

Fills the (empty) database with one organization, a program, 500 staff and N people,
each with a phone (texts allowed for most; for some only email; for some nothing, so
their reminders are blocked with the reason) and English or Spanish as their language,
and N appointments tomorrow between 08:00 and 18:00 (15 minutes each, no overlaps).
Then times `scheduling.reminders.sweep_reminders` at 18:00 today, when every one of
them has its 24-hour reminder due: what the worker's periodic task runs. Each reminder
is rendered in the person's language, checked against the rules, written with its audit
event (and its timeline entry when blocked) and its delivery task enqueued on the
database queue. A second sweep, which finds everything done, is timed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import zoneinfo
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from alongside.accounts.models import User  # noqa: E402
from alongside.messaging.models import OutboundMessage  # noqa: E402
from alongside.organizations.models import Organization, Program  # noqa: E402
from alongside.people.models import ContactPoint, Person, PersonLanguage  # noqa: E402
from alongside.scheduling.models import Appointment, AppointmentType  # noqa: E402
from alongside.scheduling.reminders import sweep_reminders  # noqa: E402

LIMIT = 120.0
STAFF = 500
ZONE = zoneinfo.ZoneInfo("America/New_York")


def fill(count: int) -> dt.datetime:
    org = Organization.objects.create(name="Bench reminders", slug="bench-reminders")
    program = Program.objects.create(organization=org, name="Care coordination")
    kind = AppointmentType.objects.create(program=program, name="Check-in", duration_minutes=15)
    staff = User.objects.bulk_create(
        User(username=f"bench-staff-{n}", email=f"s{n}@example.org") for n in range(STAFF)
    )
    people = Person.objects.bulk_create(
        Person(
            organization=org,
            legal_given_name=f"Person{n}",
            legal_family_name="Bench",
            search_text=f"person{n} bench",
        )
        for n in range(count)
    )
    contacts = []
    for n, person in enumerate(people):
        number = f"+1212{n // 10000 % 10}{n % 10000:04d}55"[:12]
        rules = n % 10
        contacts.append(
            ContactPoint(
                person=person,
                kind="phone",
                value=number,
                normalized=number,
                is_preferred=True,
                may_text=rules < 7,  # 70% may be texted
                text_reason="" if rules < 7 else "Partner reads the texts",
            )
        )
        if rules in (7, 8):  # 20% by email instead
            contacts.append(
                ContactPoint(
                    person=person,
                    kind="email",
                    value=f"p{n}@example.org",
                    normalized=f"p{n}@example.org",
                    may_email=True,
                )
            )
    ContactPoint.objects.bulk_create(contacts, batch_size=5000)
    PersonLanguage.objects.bulk_create(
        (
            PersonLanguage(person=p, language="es" if n % 3 == 0 else "en", is_preferred=True)
            for n, p in enumerate(people)
        ),
        batch_size=5000,
    )
    tomorrow = (dt.datetime.now(ZONE) + dt.timedelta(days=1)).date()
    day_start = dt.datetime.combine(tomorrow, dt.time(8), tzinfo=ZONE)
    appointments = []
    for n, person in enumerate(people):
        starts = day_start + dt.timedelta(minutes=15 * (n // STAFF % 40))
        appointment = Appointment(
            organization=org,
            program=program,
            person=person,
            staff=staff[n % STAFF],
            appointment_type=kind,
            modality="in_person" if n % 2 else "phone",
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=15),
            time_zone="America/New_York",
        )
        appointment.set_blocks()
        appointments.append(appointment)
    Appointment.objects.bulk_create(appointments, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return dt.datetime.combine(tomorrow - dt.timedelta(days=1), dt.time(18), tzinfo=ZONE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appointments", type=int, default=20_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL).")
    call_command("migrate", verbosity=0)
    if Appointment.objects.exists():
        sys.exit("The database already has appointments: use an empty one.")
    print(f"Filling {args.appointments:,} people and appointments ...", flush=True)
    now = fill(args.appointments)
    start = time.perf_counter()
    outcome = sweep_reminders(now)
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = sweep_reminders(now + dt.timedelta(minutes=10))
    second = time.perf_counter() - start
    statuses = dict(
        OutboundMessage.objects.values_list("status").annotate(n=django.db.models.Count("id"))
    )
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print(
        f"sweep: {outcome.considered:,} appointments, {outcome.asked:,} reminders asked "
        f"({outcome.blocked:,} blocked) in {first:.1f} s "
        f"({'within' if first < LIMIT else 'OVER'} the {LIMIT:.0f} s target)"
    )
    print(f"second sweep (nothing left to do): {again.asked} asked in {second:.1f} s")
    print(f"messages by status: {statuses}")


if __name__ == "__main__":
    main()
