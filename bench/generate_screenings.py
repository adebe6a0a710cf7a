"""Add screenings to a benchmark database of people (bench/generate_people.py), so the
pages that show them are measured against realistic volumes:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/generate_screenings.py

With the defaults, at 1,000,000 people: a social-needs screening (AHC HRSN, 9 answers)
for 40% of people and three mood screenings (PHQ-9, 9 answers, months apart) for 20%,
about 1,000,000 screenings and 9,000,000 answers, with their scores, food needs from the
social-needs screenings and urgent flags from some mood screenings (a tenth still open);
the script prints how many of each it made.

Rows are written by set-based SQL inside PostgreSQL (INSERT … SELECT over the people),
not through the services: at this volume the services would take hours, and what is
measured here is reading. Answer codes and scores follow each instrument's definition.
Run it once on a database; it refuses to run twice.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from alongside.intake.models import InstrumentVersion, ScreeningResponse  # noqa: E402

HRSN_SHARE = 0.40
MOOD_SHARE = 0.20


def _run(label: str, sql: str, params: list[object] | None = None) -> None:
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        rows = cursor.rowcount
    print(f"  {label:38} {rows:>11,} rows {time.perf_counter() - began:7.1f} s", flush=True)


def _version(slug: str) -> InstrumentVersion:
    return InstrumentVersion.objects.select_related("instrument").get(
        instrument__slug=slug, status="active"
    )


def _options(version: InstrumentVersion) -> dict[str, list[str]]:
    return {e["link_id"]: [o["code"] for o in e["options"]] for e in version.definition["items"]}


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the PostgreSQL benchmark database.")
    call_command("migrate", verbosity=0)
    call_command("load_instruments", verbosity=0)
    if ScreeningResponse.objects.exists():
        raise SystemExit("This database already has screenings.")
    hrsn, phq9 = _version("ahc-hrsn-core"), _version("phq-9")
    began = time.perf_counter()
    print("Screenings", flush=True)
    # Responses: one HRSN for a share of people, three PHQ-9s ~100 days apart for another.
    _run(
        "AHC HRSN responses",
        """INSERT INTO intake_screeningresponse (person_id, instrument_version_id, status,
               started_at, completed_at, version, mode, language)
           SELECT id, %s, 'completed',
               now() - (id %% 300) * interval '1 day' - interval '12 minutes',
               now() - (id %% 300) * interval '1 day', 11, 'staff', 'en'
           FROM people_person WHERE (hashtext(id::text) & 1023) < %s""",
        [hrsn.pk, int(HRSN_SHARE * 1024)],
    )
    _run(
        "PHQ-9 responses (three each)",
        """INSERT INTO intake_screeningresponse (person_id, instrument_version_id, status,
               started_at, completed_at, version, mode, language)
           SELECT p.id, %s, 'completed', now() - (n * 100 + p.id %% 60) * interval '1 day',
               now() - (n * 100 + p.id %% 60) * interval '1 day' + interval '10 minutes',
               11, CASE WHEN n = 0 THEN 'person' ELSE 'staff' END, 'en'
           FROM people_person p CROSS JOIN generate_series(0, 2) AS n
           WHERE ((hashtext(p.id::text) >> 10) & 1023) < %s""",
        [phq9.pk, int(MOOD_SHARE * 1024)],
    )
    for version in (hrsn, phq9):
        _answers(version)
    # The PHQ-9 total and the AHC safety score both add up a sensitive item.
    _run(
        "scores",
        """INSERT INTO intake_score (response_id, name, value, band, items_missing, sensitive)
           SELECT a.response_id,
               CASE WHEN r.instrument_version_id = %s THEN 'total' ELSE 'safety' END,
               sum((a.value->>'_v')::int), '', 0, true
           FROM intake_answer a JOIN intake_screeningresponse r ON r.id = a.response_id
           WHERE a.value ? '_v' GROUP BY a.response_id, r.instrument_version_id""",
        [phq9.pk],
    )
    _run(
        "answers: drop scoring helpers",
        "UPDATE intake_answer SET value = value->'c' WHERE value ? 'c'",
    )
    _run(
        "needs",
        """INSERT INTO intake_need (person_id, kind, source_response_id, status, identified_at)
           SELECT DISTINCT ON (r.person_id) r.person_id, 'food_insecurity', r.id,
               CASE WHEN r.id %% 3 = 0 THEN 'resolved' ELSE 'identified' END, r.completed_at
           FROM intake_screeningresponse r JOIN intake_answer a ON a.response_id = r.id
           WHERE r.instrument_version_id = %s AND a.link_id = '88122-7'
             AND a.value #>> '{}' <> %s
           ORDER BY r.person_id, r.id""",
        [hrsn.pk, _options(hrsn)["88122-7"][-1]],
    )
    _run(
        "urgent flags",
        """INSERT INTO intake_urgentflag (person_id, response_id, reason, guidance, raised_at,
               acknowledged_at)
           SELECT r.person_id, r.id, 'PHQ-9 item 9 positive', 'Follow your protocol today.',
               r.completed_at,
               CASE WHEN r.id %% 10 = 0 THEN NULL ELSE r.completed_at + interval '1 hour' END
           FROM intake_screeningresponse r JOIN intake_answer a ON a.response_id = r.id
           WHERE r.instrument_version_id = %s AND a.link_id = '44260-8'
             AND a.value #>> '{}' <> %s AND r.id %% 4 = 0""",
        [phq9.pk, _options(phq9)["44260-8"][0]],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE intake_screeningresponse, intake_answer, intake_score, intake_need, "
            "intake_urgentflag"
        )
    print(f"Done in {time.perf_counter() - began:.0f} s", flush=True)


def _answers(version: InstrumentVersion) -> None:
    """One answer per item, the option drawn from a hash of (response, item) and skewed to
    the first options, as real answers are. The value carries the option's score under
    `_v` until the scores are summed (then only the code is kept)."""
    for position, entry in enumerate(version.definition["items"]):
        codes = [o["code"] for o in entry["options"]]
        values = [o.get("value") or 0 for o in entry["options"]]
        # A skewed pick: squaring a uniform number favours the first options.
        _run(
            f"answers {version.instrument.slug} {entry['link_id']}",
            """INSERT INTO intake_answer (response_id, link_id, state, value)
               SELECT r.id, %s, 'answered', jsonb_build_object(
                   'c', (%s::text[])[1 + pick], '_v', (%s::int[])[1 + pick])
               FROM intake_screeningresponse r,
                   LATERAL (SELECT floor(
                       power(((hashtext(r.id::text || %s) & 65535) / 65536.0), 2.5) * %s
                   )::int AS pick) p
               WHERE r.instrument_version_id = %s""",
            [entry["link_id"], codes, values, str(position), len(codes), version.pk],
        )


if __name__ == "__main__":
    main()
