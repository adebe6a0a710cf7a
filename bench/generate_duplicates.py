"""Write a CSV of people for `alongside dedupe`, with realistic duplicates and the truth.

    .venv/bin/python bench/generate_duplicates.py var/dedupe-1m.csv --records 1000000

Writes RECORDS rows to OUTPUT and the true duplicate pairs (id_a, id_b, kinds) to
OUTPUT with `.truth.csv` in place of `.csv`. About `--duplicates` of the rows (default
10%) are a second record of someone already in the file, entered again with the
slips intake makes: typos, nicknames, first and last names swapped, day and month of
birth transposed or one digit off, a hyphenated or compound family name written in part,
accents dropped or capitals, a new phone or address, fields left empty. Names and dates
of birth come from alongside/demo/names.py (22 naming traditions, Zipf-distributed, so
there are many unrelated people with the same name); people whose legal name the demo
writes in another script are written with their everyday Latin name, or drawn again.
The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from alongside.demo import names  # noqa: E402
from alongside.matching.text import NICKNAME_ROOTS  # noqa: E402
from alongside.people.normalize import normalize  # noqa: E402

HEADER = [
    "id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "street",
    "city",
    "postal_code",
    "state",
    "identifier",
]
STREETS = [
    "Main",
    "Oak",
    "Maple",
    "Cedar",
    "Pine",
    "Elm",
    "Washington",
    "Lincoln",
    "Park",
    "Lake",
    "Hill",
    "River",
    "Church",
    "Spring",
    "Center",
    "Franklin",
    "Jefferson",
    "Madison",
    "Jackson",
    "Highland",
    "Sunset",
    "Ridge",
    "Walnut",
    "Chestnut",
    "Willow",
    "Mill",
    "Forest",
    "Meadow",
    "Union",
    "Broad",
    "Market",
    "Water",
    "Grove",
    "Adams",
    "Monroe",
    "Harrison",
    "Bay",
    "Cherry",
    "Dogwood",
    "Magnolia",
    "Juniper",
    "Laurel",
    "Sycamore",
    "Birch",
    "Aspen",
    "Spruce",
    "Hickory",
    "Poplar",
]
SUFFIXES = ("Street", "St", "Avenue", "Ave", "Road", "Rd", "Drive", "Lane", "Court", "Place")
CITIES = (
    ("Springfield", "IL"),
    ("Riverside", "CA"),
    ("Franklin", "TN"),
    ("Greenville", "SC"),
    ("Bristol", "CT"),
    ("Clinton", "NY"),
    ("Fairview", "OR"),
    ("Madison", "WI"),
    ("Georgetown", "TX"),
    ("Salem", "MA"),
)
DOMAINS = ("example.com", "example.org", "example.net", "mail.example")
# Nicknames a first name can be written as, from the matcher's own table.
NICKNAMES: dict[str, list[str]] = {}
for _nick, _roots in NICKNAME_ROOTS.items():
    for _root in _roots:
        if _nick != _root:
            NICKNAMES.setdefault(_root, []).append(_nick)


def latin(text: str) -> bool:
    return normalize(text).replace(" ", "").isascii()


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip: two letters swapped, one dropped, doubled or replaced."""
    if len(word) < 3:
        return word
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
        letters[i] = rng.choice("aeiourstnlmkdgbhy".replace(letters[i].lower(), "") or "a")
    return "".join(letters)


def base_person(rng: random.Random) -> dict[str, str]:
    while True:
        identity = names.random_identity(rng)
        given, family = identity["legal_given_name"], identity["legal_family_name"]
        if not latin(given) or not latin(family):
            given = identity["preferred_name"] or ""
            if not latin(given) or not latin(family):
                continue
        break
    if not family:
        family = names.random_family_name(rng, names.random_heritage(rng))
    row = {
        "given_name": given,
        "family_name": family,
        "date_of_birth": identity["date_of_birth"].isoformat(),
        "sex": identity["sex"],
        "phone": "",
        "email": "",
        "street": "",
        "city": "",
        "postal_code": "",
        "state": "",
        "identifier": "",
    }
    if rng.random() < 0.8:
        row["phone"] = names.random_phone(rng)[0]
    if rng.random() < 0.5:
        local = normalize(f"{given}.{family}").replace(" ", ".")
        row["email"] = f"{local}{rng.randint(1, 99999)}@{rng.choice(DOMAINS)}"
    if rng.random() < 0.85:
        new_address(rng, row)
    if rng.random() < 0.4:
        row["identifier"] = f"MCD{rng.randint(10_000_000, 99_999_999)}"
    return row


def new_address(rng: random.Random, row: dict[str, str]) -> None:
    city, state = rng.choice(CITIES)
    row["street"] = f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
    row["city"], row["state"] = city, state
    row["postal_code"] = f"{rng.randint(1000, 99999):05d}"


def _dob_variant(rng: random.Random, text: str, kind: str) -> str:
    born = dt.date.fromisoformat(text)
    if kind == "dob transposed":
        if born.day <= 12 and born.day != born.month:
            return dt.date(born.year, born.day, born.month).isoformat()
        kind = "dob one digit"
    if kind == "dob one digit":
        for _ in range(20):
            digits = list(text)
            i = rng.choice([2, 3, 6, 9])
            digits[i] = str((int(digits[i]) + rng.choice([1, -1, 2])) % 10)
            candidate = "".join(digits)
            try:
                dt.date.fromisoformat(candidate)
            except ValueError:
                continue
            return candidate
    return text


MISTAKES = (
    ("given typo", 0.14),
    ("family typo", 0.14),
    ("nickname", 0.10),
    ("swapped names", 0.06),
    ("dob transposed", 0.06),
    ("dob one digit", 0.06),
    ("dob missing", 0.04),
    ("compound family", 0.08),
    ("no accents", 0.08),
    ("capitals", 0.04),
    ("new phone", 0.06),
    ("new address", 0.06),
    ("fields missing", 0.08),
)


def duplicate(rng: random.Random, original: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The same person entered again, with one to three mistakes or changes."""
    row = dict(original)
    kinds = [k for k, _ in MISTAKES]
    weights = [w for _, w in MISTAKES]
    chosen = sorted(set(rng.choices(kinds, weights, k=rng.choice([1, 1, 2, 2, 3]))))
    for kind in chosen:
        if kind == "given typo":
            row["given_name"] = typo(rng, row["given_name"])
        elif kind == "family typo":
            row["family_name"] = typo(rng, row["family_name"])
        elif kind == "nickname":
            nicks = NICKNAMES.get(normalize(row["given_name"]))
            if nicks:
                row["given_name"] = rng.choice(nicks).title()
        elif kind == "swapped names":
            row["given_name"], row["family_name"] = row["family_name"], row["given_name"]
        elif kind.startswith("dob"):
            if kind == "dob missing":
                row["date_of_birth"] = ""
            elif row["date_of_birth"]:
                row["date_of_birth"] = _dob_variant(rng, row["date_of_birth"], kind)
        elif kind == "compound family":
            parts = row["family_name"].replace("-", " ").split()
            if len(parts) > 1:
                row["family_name"] = rng.choice([parts[0], parts[-1], "-".join(parts)])
            else:
                other = names.random_family_name(rng, names.random_heritage(rng))
                joiner = rng.choice(["-", " "])
                row["family_name"] = joiner.join(
                    [row["family_name"], other] if rng.random() < 0.7 else [other, parts[0]]
                )
        elif kind == "no accents":
            row["given_name"] = normalize(row["given_name"]).title()
            row["family_name"] = normalize(row["family_name"]).title()
        elif kind == "capitals":
            row["given_name"], row["family_name"] = (
                row["given_name"].upper(),
                row["family_name"].upper(),
            )
        elif kind == "new phone":
            row["phone"] = names.random_phone(rng)[0] if rng.random() < 0.7 else ""
        elif kind == "new address":
            new_address(rng, row)
        elif kind == "fields missing":
            for name in ("phone", "email", "street", "city", "postal_code", "identifier", "sex"):
                if rng.random() < 0.5:
                    row[name] = ""
    # Phones are typed differently each time.
    if row["phone"] and rng.random() < 0.5:
        digits = "".join(ch for ch in row["phone"] if ch.isdigit())[-10:]
        row["phone"] = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return row, chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--duplicates", type=float, default=0.10, help="share of rows")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows: list[dict[str, str]] = []
    cluster: list[int] = []  # the first record of the same person
    direct: dict[tuple[int, int], str] = {}
    while len(rows) < args.records:
        if rows and rng.random() < args.duplicates:
            i = rng.randrange(len(rows))
            row, kinds = duplicate(rng, rows[i])
            direct[(i, len(rows))] = " ".join(k.replace(" ", "_") for k in kinds)
            cluster.append(cluster[i])
            rows.append(row)
        else:
            cluster.append(len(rows))
            rows.append(base_person(rng))
    # Every two records of the same person are a true pair, entered from each other or not.
    members: dict[int, list[int]] = {}
    for i, first in enumerate(cluster):
        members.setdefault(first, []).append(i)
    truth = [
        (a, b, direct.get((a, b), "same_person"))
        for group in members.values()
        if len(group) > 1
        for n, a in enumerate(group)
        for b in group[n + 1 :]
    ]
    # Ids in random order, so that file order says nothing.
    ids = [f"P{n:07d}" for n in rng.sample(range(1, 10 * args.records), args.records)]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        order = list(range(len(rows)))
        rng.shuffle(order)
        for i in order:
            writer.writerow([ids[i], *(rows[i][name] for name in HEADER[1:])])
    truth_path = args.output.with_name(args.output.stem + ".truth.csv")
    with truth_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id_a", "id_b", "kinds"])
        for a, b, kinds in truth:
            writer.writerow([ids[a], ids[b], kinds])
    print(
        f"wrote {len(rows):,} records to {args.output}, {len(truth):,} true pairs to {truth_path}"
    )


if __name__ == "__main__":
    main()
