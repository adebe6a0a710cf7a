"""The yardstick every benchmark prints beside its latencies, measured in the same run.

The machines these benchmarks run on differ by a factor of about 2.7 (the same bare
view took 7.0 ms on one and 18.9 ms on another), and a shared machine's speed moves with
what else runs on it. So each benchmark also times a *bare* Django view that reads one
person by primary key, with the person page's prefetches and no scoping, audit, auth or
schema, through the same `django.test.Client` (URL resolving, the whole middleware
stack, the database round trips, JSON), and reports each latency also as a multiple of
that view's mean: "p95 21.3 ms = 2.6 × bare". Targets are multiples, which hold on any
machine; absolute figures are printed too.

The bare view is requested by an anonymous client, as in the API comparison of
bench_people.py, so the yardstick stays what it was when the targets were set.
A long benchmark calibrates several times (`Calibration.take`) and compares each figure
with the takes just before and after it (`Calibration.since`), which follows the load of
a shared machine; each take's mean is printed, so drift shows.

Use:

    from calibration import Calibration, bench_settings

    with bench_settings():
        bare = Calibration()
        before = bare.take("start")
        ...                                     # measure something: p95_seconds
        bare.take("after it")
        near = bare.since(before)               # the takes either side of it
        print(near.show("p95", p95_seconds))    # "p95   21.3 ms = 2.6 × bare"
        print(near.verdict(p95_seconds, 3))     # "meets ≤ 3 × bare = 24.6 ms"
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import include, path

from alongside.people.models import Enrollment, Person

BARE_URL = "/bench/bare/people/{pk}"
PROFILE_FIELDS = (
    "appreciated",
    "important_to",
    "important_for",
    "how_to_support",
    "strengths",
    "hopes",
    "want_to_change",
    "culture_identity",
    "stress_helps",
    "approach_with_care",
)


def bare_person(request: HttpRequest, pk: int) -> JsonResponse:
    """The API's person query without scoping, audit, auth or schemas."""
    person = (
        Person.objects.select_related("profile", "organization")
        .prefetch_related(
            "languages",
            "identifiers",
            "contact_points",
            "support_contacts",
            Prefetch(
                "enrollments",
                queryset=Enrollment.objects.select_related("program", "primary_coordinator"),
            ),
        )
        .get(pk=pk)
    )
    profile = getattr(person, "profile", None)
    return JsonResponse(
        {
            "id": person.pk,
            "legal_given_name": person.legal_given_name,
            "legal_family_name": person.legal_family_name,
            "preferred_name": person.preferred_name,
            "pronouns": person.pronouns,
            "date_of_birth": person.date_of_birth,
            "sex": person.sex,
            "gender_identity": person.gender_identity,
            "languages": [
                {
                    "language": x.language,
                    "is_preferred": x.is_preferred,
                    "interpreter_needed": x.interpreter_needed,
                }
                for x in person.languages.all()
            ],
            "version": person.version,
            "created_at": person.created_at,
            "updated_at": person.updated_at,
            "profile": {name: getattr(profile, name) for name in PROFILE_FIELDS}
            if profile
            else None,
            "enrollments": [
                {
                    "id": e.pk,
                    "program_id": e.program_id,
                    "program": e.program.name,
                    "status": e.status,
                    "referred_on": e.referred_on,
                    "started_on": e.started_on,
                    "ended_on": e.ended_on,
                    "closure_reason": e.closure_reason,
                    "primary_coordinator_id": e.primary_coordinator_id,
                    "version": e.version,
                }
                for e in person.enrollments.all()
            ],
            "contact_points": [
                {
                    "id": c.pk,
                    "kind": c.kind,
                    "label": c.label,
                    "value": c.value,
                    "is_preferred": c.is_preferred,
                    "may_leave_voicemail": c.may_leave_voicemail,
                    "may_text": c.may_text,
                    "safe_hours_start": c.safe_hours_start,
                    "safe_hours_end": c.safe_hours_end,
                    "best_times": c.best_times,
                    "safety_note": c.safety_note,
                    "version": c.version,
                }
                for c in person.contact_points.all()
            ],
        }
    )


# ROOT_URLCONF while benchmarking (see bench_settings): the bare view beside the app.
urlpatterns = [
    path("bench/bare/people/<int:pk>", bare_person),
    path("", include("alongside.urls")),
]


@contextmanager
def bench_settings() -> Iterator[None]:
    """The app's URLs plus the bare view, served to django.test.Client as in production
    (DEBUG off) but without the HTTPS redirect a test client cannot follow."""
    with override_settings(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["testserver"],
        DEBUG=False,
        SECURE_SSL_REDIRECT=False,
    ):
        yield


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (the same rule in every benchmark)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f}"


def machine() -> str:
    """What the figures were taken on: CPU, cores, Python, Django, the database."""
    import django

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT version(), current_setting('shared_buffers')")
            version, buffers = cursor.fetchone()
        database = f"{version.split(' on ')[0]} (shared_buffers {buffers})"
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"Django {django.get_version()}; {database}"
    )


class Yardstick:
    """Bare-view latencies to compare a figure with: a whole run's, or those taken just
    before and after the figure was measured (Calibration.since), which follow the
    machine's load more closely."""

    def __init__(self, samples: list[float]) -> None:
        self.samples = samples

    @property
    def mean(self) -> float:
        if not self.samples:
            raise RuntimeError("No calibration requests yet: call Calibration.take().")
        return statistics.fmean(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 0.95)

    def times(self, seconds: float) -> float:
        """How many bare means `seconds` is."""
        return seconds / self.mean

    def show(self, label: str, seconds: float) -> str:
        """'p95   21.3 ms = 2.6 × bare'"""
        return f"{label} {seconds * 1000:6.1f} ms = {self.times(seconds):4.1f} × bare"

    def verdict(self, seconds: float, limit: float) -> str:
        """Against a target of `limit` × the bare mean."""
        met = "meets" if self.times(seconds) <= limit else "misses"
        return f"{met} ≤ {limit:g} × bare = {limit * self.mean * 1000:.1f} ms"


@dataclass
class Take:
    label: str
    samples: list[float]
    load: float  # one-minute load average when it ended

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples)


class Calibration(Yardstick):
    """The bare view timed in takes through a run; as a Yardstick, all of them pooled."""

    def __init__(self, *, people: int = 200, seed: int = 1, requests: int = 300) -> None:
        super().__init__([])
        self.requests = requests
        self.client = Client()
        self.takes: list[Take] = []
        self.ids = self._existing_ids(people, random.Random(seed))
        for pk in self.ids[:20]:  # warm up: connection, URL resolver, first queries
            response = self.client.get(BARE_URL.format(pk=pk))
            assert response.status_code == 200, (pk, response.status_code)

    @staticmethod
    def _existing_ids(count: int, rng: random.Random) -> list[int]:
        top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
        if top is None:
            raise SystemExit("No people to calibrate with: run bench/generate_people.py.")
        found: list[int] = []
        while len(found) < count:
            wanted = {rng.randint(1, top) for _ in range(count * 2)}
            found += Person.objects.filter(pk__in=wanted).values_list("pk", flat=True)
        rng.shuffle(found)
        return found[:count]

    def timed(self, requests: int) -> list[float]:
        """Bare requests timed one by one."""
        times = []
        for n in range(requests):
            url = BARE_URL.format(pk=self.ids[n % len(self.ids)])
            began = time.perf_counter()
            self.client.get(url)
            times.append(time.perf_counter() - began)
        return times

    def take(self, label: str, requests: int | None = None) -> Take:
        """Time `requests` more bare requests (by default as many as the last take)."""
        times = self.timed(requests or self.requests)
        self.samples += times
        self.takes.append(Take(label, times, os.getloadavg()[0]))
        return self.takes[-1]

    @property
    def latest(self) -> Take:
        return self.takes[-1]

    def since(self, take: Take) -> Yardstick:
        """The takes from `take` on, pooled: take one before measuring something and
        one after, and compare the figure with both."""
        index = next(n for n, t in enumerate(self.takes) if t is take)
        return Yardstick([s for t in self.takes[index:] for s in t.samples])

    def summary(self) -> str:
        """The yardstick itself, with each take so drift during the run shows."""
        takes = ", ".join(
            f"{t.label} {t.mean * 1000:.1f} ms (load {t.load:.1f})" for t in self.takes
        )
        return (
            f"bare view (one person by primary key, {len(self.samples)} requests): "
            f"mean {self.mean * 1000:.1f} ms, p95 {self.p95 * 1000:.1f} ms; takes: {takes}"
        )
