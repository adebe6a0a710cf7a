"""Benchmarks against a database filled by bench/generate_people.py (see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench \\
        .venv/bin/python bench/bench_people.py

Measures, in this process (server time, no network):

(a) people search through `people.selectors.people_search` (ranking, scoping, languages
    prefetch and the audit event included), for a mix of queries built from real
    records: exact names, given or family name alone, partial names, names with a typo,
    names typed without accents or in capitals, dates of birth, phone numbers and
    identifiers; as a coordinator, an organization admin and a coordinator in one small
    program. "shown": the intended person is on the page of 25; "found": shown, or left
    off only by a full page of people who match at least as well.
(b) the person page, GET /people/<id>/ through django.test.Client (the whole Django
    request cycle: middleware, session, scoping, audit, template).
(c) reading one person through the API, GET /api/v1/people/<id> with a bearer token
    (scoping and audit on), against the bare view of bench/calibration.py (the same
    person with the person page's related rows, without scoping, audit, auth or
    schemas, as JSON); same client, interleaved, as a ratio of requests per second;
    five runs, and their median.

Every latency is also printed as a multiple of the bare view's mean, measured in the
same run (bench/calibration.py: at the start and after each persona and section; each
figure is compared with the takes just before and after it). The targets are multiples:
search p95 and person-page p95 at most 3 × bare; the API at least 0.75 of the bare
view's throughput.

It writes audit events, sessions and one API token, like real use; it changes nothing
else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from calibration import (  # noqa: E402
    BARE_URL,
    Calibration,
    Yardstick,
    bench_settings,
    load_average,
    machine,
    percentile,
)
from django.db import connection  # noqa: E402
from django.db.models import Prefetch  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from alongside.accounts.models import User  # noqa: E402
from alongside.accounts.tokens import token_create  # noqa: E402
from alongside.people import selectors  # noqa: E402
from alongside.people.models import ContactPoint, Identifier, Person  # noqa: E402
from alongside.people.search import match_score, normalize, word_similarity  # noqa: E402

PAGE = 25
# Targets, as multiples of the bare view's mean (bench/calibration.py), and a share.
SEARCH_P95 = 3.0
PAGE_P95 = 3.0
API_RATIO = 0.75
PERSONAS = {
    "coordinator": "bench-coordinator",
    "org admin": "bench-admin",
    "small program": "bench-small-program",
}
CATEGORIES = [
    "exact name",
    "given name",
    "family name",
    "partial",
    "typo",
    "no accents",
    "capitals",
    "date of birth",
    "phone",
    "identifier",
]
# Categories whose intended person should be on the first page.
EXPECT_FOUND = {
    "exact name",
    "typo",
    "no accents",
    "capitals",
    "date of birth",
    "phone",
    "identifier",
}


# --- helpers ---------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip: a letter swapped, dropped, doubled or replaced."""
    letters = list(word)
    i = rng.randrange(1, len(letters) - 1)
    kind = rng.choice(["swap", "drop", "double", "replace"])
    if kind == "swap":
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    elif kind == "drop":
        del letters[i]
    elif kind == "double":
        letters.insert(i, letters[i])
    else:
        letters[i] = rng.choice("aeiourstnlmkdgbhy".replace(letters[i].lower(), ""))
    return "".join(letters)


def sample_people(user: User, count: int, rng: random.Random) -> list[Person]:
    """Random people the user can see, with their identifiers and phones."""
    visible = selectors.people_for(user)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    chosen: list[Person] = []
    while len(chosen) < count:
        ids = [rng.randint(1, top) for _ in range(count * 20)]
        chosen += list(
            visible.filter(pk__in=ids).prefetch_related(
                Prefetch("identifiers", queryset=Identifier.objects.all()),
                Prefetch("contact_points", queryset=ContactPoint.objects.filter(kind="phone")),
            )
        )
    rng.shuffle(chosen)
    return chosen[:count]


def query_for(category: str, person: Person, rng: random.Random) -> str | None:
    given = person.legal_given_name
    family = person.legal_family_name or given
    if category == "exact name":
        return f"{given} {family}"
    if category == "given name":
        return person.preferred_name or given
    if category == "family name":
        return family
    if category == "partial":
        words = normalize(family).split()
        if not words:
            return None
        part = words[0][: rng.randint(3, 5)]
        return part if rng.random() < 0.5 else f"{normalize(given)[:3]} {part}"
    if category == "typo":
        words = [w for w in normalize(f"{given} {family}").split() if len(w) >= 5]
        if not words:
            return None
        target = rng.choice(words)
        return normalize(f"{given} {family}").replace(target, typo(rng, target), 1)
    if category == "no accents":
        return normalize(f"{given} {family}")
    if category == "capitals":
        return f"{given} {family}".upper()
    if category == "date of birth":
        if person.date_of_birth is None:
            return None
        fmt = rng.choice(["%m/%d/%Y", "%Y-%m-%d"])
        return person.date_of_birth.strftime(fmt)
    if category == "phone":
        phones = list(person.contact_points.all())
        if not phones:
            return None
        digits = phones[0].normalized[2:]
        return rng.choice([phones[0].value, digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"])
    if category == "identifier":
        identifiers = list(person.identifiers.all())
        if not identifiers:
            return None
        value = rng.choice(identifiers).value
        return value if rng.random() < 0.5 else value.replace("-", "").lower()
    raise ValueError(category)


# --- (a) search ------------------------------------------------------------------------


def outranked(query: str, person: Person, results: list[Person]) -> bool:
    """Whether a full page of people matching at least as well left the person off it
    (e.g. one of 300 visible John Smiths): a right answer, though not this person."""
    if len(results) < PAGE:
        return False
    phrase = normalize(query)
    mine = (match_score(phrase, person.search_text), word_similarity(phrase, person.search_text))
    return all(
        (p.match_score, p.name_score) >= (mine[0] - 1e-6, mine[1] - 1e-6)  # type: ignore[attr-defined]
        for p in results
    )


def share(hits: list[bool], expected: bool) -> str:
    return f"{sum(hits) / len(hits):.0%}" if expected and hits else "-"


def search_plan(user: Any, per_category: int, rng: random.Random) -> list[tuple[str, str, Any]]:
    """(kind, query, the person it is for), `per_category` of each kind, shuffled."""
    people = sample_people(user, per_category * 2, rng)
    plan = []
    for category in CATEGORIES:
        picked = 0
        for person in people:
            query = query_for(category, person, rng)
            if query:
                plan.append((category, query, person))
                picked += 1
            if picked == per_category:
                break
    rng.shuffle(plan)
    return plan


def bench_search(
    per_category: int, rng: random.Random, bare: Calibration, slowest: int = 0
) -> dict[str, tuple[float, float, Yardstick]]:
    print("\n(a) People search: people.selectors.people_search(user, query), 25 per page")
    summary: dict[str, tuple[float, float, Yardstick]] = {}
    for label, username in PERSONAS.items():
        before = bare.latest
        user = User.objects.get(username=username)
        visible = selectors.people_for(user).count()
        plan = search_plan(user, per_category, rng)
        for _, query, _ in plan[:30]:  # warm up
            selectors.people_search(user, query)
        times: dict[str, list[float]] = defaultdict(list)
        shown: dict[str, list[bool]] = defaultdict(list)
        found: dict[str, list[bool]] = defaultdict(list)
        every_time: list[float] = []
        every_query: list[str] = []
        for category, query, person in plan:
            elapsed, results = timed(lambda u=user, q=query: selectors.people_search(u, q))
            times[category].append(elapsed)
            every_time.append(elapsed)
            every_query.append(query)
            on_page = any(p.pk == person.pk for p in results)
            shown[category].append(on_page)
            found[category].append(on_page or outranked(query, person, results))
        every = [t for ts in times.values() for t in ts]
        bare.take(f"after search as {label}")
        near = bare.since(before)
        print(
            f"\n  as {label} ({username}: {visible:,} people visible, "
            f"{visible / Person.objects.count():.1%})"
        )
        print(
            f"  {'query':<16}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p95 × bare':>12}"
            f"{'shown':>8}{'found':>8}"
        )
        for category in CATEGORIES:
            ts = times[category]
            on_page, hit = shown[category], found[category]
            expected = category in EXPECT_FOUND
            p95 = percentile(ts, 0.95)
            print(
                f"  {category:<16}{len(ts):>5}{ms(percentile(ts, 0.5)):>9}"
                f"{ms(p95):>9}{near.times(p95):>10.1f} ×{share(on_page, expected):>8}"
                f"{share(hit, expected):>8}"
            )
        p50, p95 = percentile(every, 0.5), percentile(every, 0.95)
        print(f"  {'all':<16}{len(every):>5}{ms(p50):>9}{ms(p95):>9}{near.times(p95):>10.1f} ×")
        if slowest:
            ranked = sorted(zip(every_time, every_query, strict=True), reverse=True)
            print("  slowest: " + "; ".join(f"{q!r} {ms(t).strip()}" for t, q in ranked[:slowest]))
        summary[label] = (p50, p95, near)
    return summary


# --- (b) person page -------------------------------------------------------------------


def bench_person_page(
    count: int, rng: random.Random, bare: Calibration
) -> tuple[float, float, Yardstick]:
    print("\n(b) Person page: GET /people/<id>/ through django.test.Client, as coordinator")
    before = bare.latest
    user = User.objects.get(username=PERSONAS["coordinator"])
    ids = [p.pk for p in sample_people(user, count, rng)]
    client = Client()
    client.force_login(user)
    for pk in ids[:20]:  # warm up
        client.get(reverse("people:detail", args=[pk]))
    page: list[float] = []
    for pk in ids:
        elapsed, response = timed(lambda pk=pk: client.get(reverse("people:detail", args=[pk])))
        assert response.status_code == 200, (pk, response.status_code)
        page.append(elapsed)
    selector: list[float] = []
    for pk in ids:
        elapsed, _ = timed(lambda pk=pk: selectors.person_detail(user, pk))
        selector.append(elapsed)
    bare.take("after person page")
    near = bare.since(before)
    print(f"  {'measure':<34}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p95 × bare':>12}")
    for label, times in (
        ("GET /people/<id>/ (whole request)", page),
        ("selectors.person_detail alone", selector),
    ):
        p95 = percentile(times, 0.95)
        print(
            f"  {label:<34}{len(times):>5}{ms(percentile(times, 0.5)):>9}{ms(p95):>9}"
            f"{near.times(p95):>10.1f} ×"
        )
    return percentile(page, 0.5), percentile(page, 0.95), near


# --- (c) API against a bare view -------------------------------------------------------


def bench_api(runs: int, rounds: int, block: int, rng: random.Random) -> float:
    """The API's throughput as a share of the bare view's: `runs` runs of `rounds`
    interleaved rounds (API then bare, bare then API, ...) of `block` requests each.
    Returns the median of the runs' ratios. Here the bare view is timed interleaved with
    the API, so each run's figures are multiples of that run's own bare mean."""
    print("\n(c) GET /api/v1/people/<id> (bearer token, scoping, audit) against the bare view")
    user = User.objects.get(username=PERSONAS["coordinator"])
    _, secret = token_create(
        user=user, name=f"bench {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}", days=1, actor=user
    )
    ids = [p.pk for p in sample_people(user, block, rng)]
    client = Client()
    api_headers = {"Authorization": f"Bearer {secret}"}

    def api(pk: int) -> Any:
        return client.get(f"/api/v1/people/{pk}", headers=api_headers)

    def bare_view(pk: int) -> Any:
        return client.get(BARE_URL.format(pk=pk))

    for pk in ids[:20]:  # warm up, and check both answer
        assert api(pk).status_code == 200, api(pk).content[:300]
        assert bare_view(pk).status_code == 200
    print(
        f"  {'run':<5}{'load':>6}{'API req/s':>11}{'mean ms':>9}{'= × bare':>10}"
        f"{'bare req/s':>12}{'mean ms':>9}{'ratio':>7}{'rounds min/median/max':>24}"
    )
    ratios: list[float] = []
    for run in range(1, runs + 1):
        spent = {"api": 0.0, "bare": 0.0}
        requests = {"api": 0, "bare": 0}
        per_round: list[float] = []
        for turn in range(rounds):
            order = [("api", api), ("bare", bare_view)]
            if turn % 2:
                order.reverse()
            took = {}
            for name, call in order:
                start = time.perf_counter()
                for pk in ids:
                    call(pk)
                took[name] = time.perf_counter() - start
                spent[name] += took[name]
                requests[name] += len(ids)
            per_round.append(took["bare"] / took["api"])
        api_mean = spent["api"] / requests["api"]
        bare_mean = spent["bare"] / requests["bare"]
        ratio = bare_mean / api_mean  # requests per second, API over bare
        ratios.append(ratio)
        per_round.sort()
        print(
            f"  {run:<5}{os.getloadavg()[0]:>6.2f}{1 / api_mean:>11.0f}{ms(api_mean):>9}"
            f"{api_mean / bare_mean:>8.1f} ×{1 / bare_mean:>12.0f}{ms(bare_mean):>9}"
            f"{ratio:>7.2f}{per_round[0]:>10.2f} /{per_round[len(per_round) // 2]:>5.2f} /"
            f"{per_round[-1]:>5.2f}"
        )
    median = statistics.median(ratios)
    print(f"  throughput ratio API / bare, median of {runs} runs: {median:.2f}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--per-category", type=int, default=60, help="searches per kind of query and persona"
    )
    parser.add_argument("--pages", type=int, default=400, help="person pages to load")
    parser.add_argument("--api-runs", type=int, default=5, help="API comparisons (median)")
    parser.add_argument("--api-rounds", type=int, default=12)
    parser.add_argument("--api-block", type=int, default=50)
    parser.add_argument("--calibrate", type=int, default=300, help="bare requests per take")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--slowest", type=int, default=0, help="list the N slowest searches")
    parser.add_argument("--only", choices=["search", "page", "api"])
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Point DATABASE_URL at the database bench/generate_people.py filled.")
    rng = random.Random(args.seed)
    print(machine())
    print(f"{load_average()}; {Person.objects.count():,} people")
    with bench_settings():
        bare = Calibration(requests=args.calibrate)
        bare.take("start")
        print(f"calibration at the start: {bare.summary()}")
        results: dict[str, Any] = {}
        if args.only in (None, "search"):
            results["search"] = bench_search(args.per_category, rng, bare, args.slowest)
        if args.only in (None, "page"):
            results["page"] = bench_person_page(args.pages, rng, bare)
        if args.only in (None, "api"):
            results["api"] = bench_api(args.api_runs, args.api_rounds, args.api_block, rng)
        bare.take("end")
    print(f"\nSummary ({load_average()})")
    print(f"  calibration: {bare.summary()}")
    print("  (each figure below against the bare takes just before and after it)")
    for label, (p50, p95, near) in results.get("search", {}).items():
        print(
            f"  search as {label:<14} {near.show('p50', p50)}  {near.show('p95', p95)}  "
            f"({near.verdict(p95, SEARCH_P95)})"
        )
    if "page" in results:
        p50, p95, near = results["page"]
        print(
            f"  person page               {near.show('p50', p50)}  {near.show('p95', p95)}  "
            f"({near.verdict(p95, PAGE_P95)})"
        )
    if "api" in results:
        met = "meets" if results["api"] >= API_RATIO else "misses"
        print(
            f"  API / bare throughput     {results['api']:.2f}, median of {args.api_runs} runs "
            f"({met} ≥ {API_RATIO})"
        )


if __name__ == "__main__":
    main()
