"""A second, independent test file for `alongside dedupe`, written apart from
generate_duplicates.py with its own names and its own error model.

    .venv/bin/python bench/generate_duplicates_b.py var/dupes-b-100000.csv --records 100000

Writes RECORDS rows and OUTPUT.truth.csv (id_a, id_b, kinds: every pair of records of
one person). Nothing here comes from the matcher or the demo data: names are drawn from
its own short lists with a heavy-tailed popularity (so strangers share names often) and
made up of syllables for the long tail.

People live in households (a third of them): household members share family name,
street, postal code and landline, and are different people; about one household in
twelve has twins (same date of birth too; more than life has, to test them). Pairs of
records of two members of one household are listed in OUTPUT.kin.csv (id_a, id_b,
kind: household or twins): none of them should be marked likely. About 10% of rows
are another record of someone, with one to four errors of these kinds: identifier or
postal code digits mistyped; date of birth with an impossible month or day, another
year, or day and month swapped; given and family names swapped or a name moved into the
other field; spaces inserted into or dropped from names and streets; street number
missing or different; OCR-like substitutions (0/O, 1/l, 5/S, 8/B, rn/m, cl/d); fields
left empty; a new phone or address. The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import random
from itertools import combinations
from pathlib import Path

HEADER = ["id", "given_name", "family_name", "date_of_birth", "sex", "phone", "email"]
HEADER += ["street", "city", "postal_code", "state", "identifier"]
FEMALE = (  # noqa: SIM905 - names read best as text
    "Mary Patricia Linda Barbara Elizabeth Jennifer Maria Susan Margaret Dorothy Lisa Nancy "
    "Karen Betty Helen Sandra Donna Carol Ruth Sharon Michelle Laura Sarah Kimberly Deborah "
    "Jessica Shirley Cynthia Angela Melissa Brenda Amy Anna Rebecca Virginia Kathleen Pamela "
    "Martha Debra Amanda Stephanie Carolyn Christine Marie Janet Catherine Frances Ann Joyce "
    "Diane Alice Julie Heather Teresa Doris Gloria Evelyn Jean Cheryl Mildred Katherine Joan "
    "Ashley Judith Rose Janice Kelly Nicole Judy Christina Kathy Theresa Beverly Denise Tammy "
    "Irene Jane Lori Rachel Marilyn Andrea Kathryn Louise Sara Anne Jacqueline Wanda Bonnie "
    "Julia Ruby Lois Tina Phyllis Norma Paula Diana Annie Lillian Emily Robin Mary Ann Rosa Lucia"
).split()
MALE = (  # noqa: SIM905 - names read best as text
    "James John Robert Michael William David Richard Charles Joseph Thomas Christopher Daniel "
    "Paul Mark Donald George Kenneth Steven Edward Brian Ronald Anthony Kevin Jason Matthew "
    "Gary Timothy Jose Larry Jeffrey Frank Scott Eric Stephen Andrew Raymond Gregory Joshua "
    "Jerry Dennis Walter Patrick Peter Harold Douglas Henry Carl Arthur Ryan Roger Joe Juan "
    "Jack Albert Jonathan Justin Terry Gerald Keith Samuel Willie Ralph Lawrence Nicholas Roy "
    "Benjamin Bruce Brandon Adam Harry Fred Wayne Billy Steve Louis Jeremy Aaron Randy Howard "
    "Eugene Carlos Russell Bobby Victor Martin Ernest Phillip Todd Jesse Craig Alan Shawn "
    "Clarence Sean Philip Chris Johnny Earl Jimmy Antonio Luis Mike Danny Bryan Tony Van Minh"
).split()
FAMILY = (  # noqa: SIM905 - names read best as text
    "Smith Johnson Williams Jones Brown Davis Miller Wilson Moore Taylor Anderson Thomas "
    "Jackson White Harris Martin Thompson Garcia Martinez Robinson Clark Rodriguez Lewis Lee "
    "Walker Hall Allen Young Hernandez King Wright Lopez Hill Scott Green Adams Baker Gonzalez "
    "Nelson Carter Mitchell Perez Roberts Turner Phillips Campbell Parker Evans Edwards "
    "Collins Stewart Sanchez Morris Rogers Reed Cook Morgan Bell Murphy Bailey Rivera Cooper "
    "Richardson Cox Howard Ward Torres Peterson Gray Ramirez James Watson Brooks Kelly Sanders "
    "Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson "
    "Hughes Flores Washington Butler Simmons Foster Gonzales Bryant Alexander Russell Griffin "
    "Diaz Hayes Nguyen Tran Pham Kim Park Chen Wang Singh Patel Khan Ali Cohen Schmidt Muller "
    "Novak Kowalski Ivanov Okafor Mensah Haddad Nakamura Tanaka Silva Santos Oliveira"
).split()
STREETS = (  # noqa: SIM905 - names read best as text
    "Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Walnut Spring Ridge Church "
    "Highland Sunset Willow Meadow River Forest Jefferson Lincoln Franklin Madison Center"
).split()
TYPES = ["Street", "Avenue", "Road", "Drive", "Lane", "Court", "Boulevard", "Way"]
CITIES = ["Springfield", "Riverside", "Fairview", "Greenville", "Madison", "Georgetown"]
OCR = {"0": "O", "O": "0", "1": "l", "l": "1", "5": "S", "S": "5", "8": "B", "B": "8"}
OCR |= {"o": "0", "i": "1", "s": "5", "e": "c", "rn": "m", "m": "rn", "cl": "d", "d": "cl"}


SYLLABLES = (  # noqa: SIM905 - names read best as text
    "ka ri mo la ne to sa vi ru de lo ma chi en an el ar ber son ley ton ham ford wick "
    "dra gor iv ost ez ska nik ova ine ado illa ach ber ger man ko ta yu hi ro wa"
).split()


def zipf(rng: random.Random, items: list[str], rare: float = 0.3) -> str:
    """A name: from the list with popularity falling as 1/rank, or (`rare` of the time)
    one made up of syllables, for the long tail of names real files have."""
    if rng.random() < rare:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        return word.capitalize()
    weights = _WEIGHTS.setdefault(len(items), [1 / (k + 1) for k in range(len(items))])
    return rng.choices(items, weights, k=1)[0]


_WEIGHTS: dict[int, list[float]] = {}


def phone(rng: random.Random) -> str:
    return f"({rng.randint(201, 989)}) {rng.randint(201, 989)}-{rng.randint(0, 9999):04d}"


def new_person(rng: random.Random, family: str | None = None, home: dict | None = None) -> dict:
    sex = rng.choice("FM")
    given = zipf(rng, FEMALE if sex == "F" else MALE, 0.2)
    family = family or zipf(rng, FAMILY, 0.5)
    if rng.random() < 0.08:
        family = f"{family}-{zipf(rng, FAMILY)}"
    home = home or {
        "street": f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {rng.choice(TYPES)}",
        "city": rng.choice(CITIES),
        "postal_code": f"{rng.randint(1000, 99999):05d}",
        "state": "OH",
        "phone": phone(rng) if rng.random() < 0.7 else "",
    }
    born = f"{rng.randint(1935, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {
        "given_name": given,
        "family_name": family,
        "date_of_birth": born,
        "sex": "female" if sex == "F" else "male",
        "email": f"{given}.{family}{rng.randint(1, 999)}@mail.test".lower()
        if rng.random() < 0.4
        else "",
        "identifier": f"{rng.randint(100000000, 999999999)}" if rng.random() < 0.5 else "",
        **home,
        "phone": home["phone"] if rng.random() < 0.8 else phone(rng),
    }


def _slip(rng: random.Random, text: str, digits: bool) -> str:
    if not text:
        return text
    i = rng.randrange(len(text))
    if digits and text[i].isdigit():
        return text[:i] + str((int(text[i]) + rng.randint(1, 9)) % 10) + text[i + 1 :]
    return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1 :]


def _ocr(rng: random.Random, text: str) -> str:
    spots = [(k, i) for k in OCR for i in range(len(text)) if text.startswith(k, i)]
    if not spots:
        return text
    k, i = rng.choice(spots)
    return text[:i] + OCR[k] + text[i + len(k) :]


def _spaces(rng: random.Random, text: str) -> str:
    if " " in text and rng.random() < 0.6:
        return text.replace(" ", "", 1)
    words = text.split(" ")
    w = max(range(len(words)), key=lambda j: len(words[j]))
    word = words[w]
    if len(word) > 5:
        cut = rng.randint(2, len(word) - 3)
        words[w] = f"{word[:cut]} {word[cut:].lower()}"
    return " ".join(words)


def corrupt(rng: random.Random, r: dict, kind: str) -> None:  # noqa: C901, PLR0912 - per kind
    if kind == "id_digits" and r["identifier"]:
        for _ in range(rng.randint(1, 2)):
            r["identifier"] = _slip(rng, r["identifier"], True)
    elif kind == "postal_digits":
        r["postal_code"] = _slip(rng, r["postal_code"], True)
    elif kind == "dob_invalid" and r["date_of_birth"]:
        y, m, d = r["date_of_birth"].split("-")
        if rng.random() < 0.5:
            r["date_of_birth"] = f"{y}-{rng.randint(13, 99)}-{d}"
        else:
            r["date_of_birth"] = f"{y}-{m}-{rng.randint(32, 99)}"
    elif kind == "dob_year" and r["date_of_birth"]:
        y = int(r["date_of_birth"][:4]) + rng.choice([-10, -2, -1, 1, 2, 10, 20])
        r["date_of_birth"] = f"{min(y, 2024)}{r['date_of_birth'][4:]}"
    elif kind == "dob_swap" and r["date_of_birth"]:
        y, m, d = r["date_of_birth"].split("-")
        r["date_of_birth"] = f"{y}-{d}-{m}"
    elif kind == "name_swap":
        r["given_name"], r["family_name"] = r["family_name"], r["given_name"]
    elif kind == "name_moved":
        if rng.random() < 0.5:
            r["given_name"], r["family_name"] = f"{r['given_name']} {r['family_name']}", ""
        else:
            r["family_name"] = f"{r['given_name']} {r['family_name']}"
            r["given_name"] = ""
    elif kind == "spaces":
        field = rng.choice(["given_name", "family_name", "street"])
        r[field] = _spaces(rng, r[field])
    elif kind == "street_number":
        number, _, rest = r["street"].partition(" ")
        r["street"] = rest if rng.random() < 0.5 else f"{_slip(rng, number, True)} {rest}"
    elif kind == "ocr":
        field = rng.choice(["given_name", "family_name", "identifier", "phone", "street"])
        r[field] = _ocr(rng, r[field])
    elif kind == "typo":
        field = rng.choice(["given_name", "family_name"])
        r[field] = _slip(rng, r[field], False)
    elif kind == "missing":
        for field in rng.sample(["date_of_birth", "phone", "email", "identifier", "street"], 2):
            r[field] = ""
    elif kind == "moved":
        r["street"] = f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {rng.choice(TYPES)}"
        r["postal_code"] = f"{rng.randint(1000, 99999):05d}"
        r["phone"] = phone(rng) if rng.random() < 0.7 else ""


KINDS = ["id_digits", "postal_digits", "dob_invalid", "dob_year", "dob_swap", "name_swap"]
KINDS += ["name_moved", "spaces", "street_number", "ocr", "typo", "missing", "moved"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--duplicates", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=4242)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    people: list[dict] = []
    originals = int(args.records * (1 - args.duplicates))
    twins = 0
    household: dict[int, tuple[int, bool]] = {}  # person: (household, is a twin)
    while len(people) < originals:
        if rng.random() < 0.12:  # a household of 2 to 5
            first = new_person(rng)
            home = {k: first[k] for k in ("street", "city", "postal_code", "state", "phone")}
            house = len(people)
            household[house] = (house, False)
            people.append(first)
            size = rng.randint(2, 5)
            named = {first["given_name"]}
            for _ in range(size - 1):
                member = new_person(rng, first["family_name"], home)
                while member["given_name"] in named:  # parents do not name two children alike
                    member = new_person(rng, first["family_name"], home)
                named.add(member["given_name"])
                member["phone"] = home["phone"]
                household[len(people)] = (house, False)
                people.append(member)
            if rng.random() < 0.02 * 4:  # twins in one household in fifty people or so
                twin = new_person(rng, first["family_name"], home)
                twin["date_of_birth"], twin["phone"] = people[-1]["date_of_birth"], home["phone"]
                if twin["given_name"] not in named:
                    household[len(people) - 1] = (house, True)
                    household[len(people)] = (house, True)
                    people.append(twin)
                    twins += 1
        else:
            people.append(new_person(rng))
    people = people[:originals]
    rows: list[tuple[int, dict, str]] = [(p, dict(r), "") for p, r in enumerate(people)]
    while len(rows) < args.records:
        person, original, _ = rows[rng.randrange(len(rows))]
        record = dict(people[person] if rng.random() < 0.8 else original)
        kinds = rng.sample(KINDS, rng.choice([1, 1, 2, 2, 3, 4]))
        for kind in kinds:
            corrupt(rng, record, kind)
        rows.append((person, record, " ".join(sorted(kinds))))
    rng.shuffle(rows)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    by_person: dict[int, list[tuple[str, str]]] = {}
    with output.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for n, (person, record, kinds) in enumerate(rows):
            rid = f"B{n:07d}"
            writer.writerow([rid, *(record.get(h, "") for h in HEADER[1:])])
            by_person.setdefault(person, []).append((rid, kinds))
    truth = output.with_name(output.stem + ".truth.csv")
    pairs = 0
    with truth.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id_a", "id_b", "kinds"])
        for records in by_person.values():
            for (a, ka), (b, kb) in combinations(records, 2):
                writer.writerow([a, b, " ".join(sorted(set((ka + " " + kb).split()))) or "none"])
                pairs += 1
    homes: dict[int, list[tuple[int, str]]] = {}
    for person, records in by_person.items():
        if person in household:
            homes.setdefault(household[person][0], []).extend((person, r) for r, _ in records)
    kin = 0
    with output.with_name(output.stem + ".kin.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id_a", "id_b", "kind"])
        for members in homes.values():
            for (p, a), (q, b) in combinations(members, 2):
                if p != q:
                    both_twins = household[p][1] and household[q][1]
                    same_birth = people[p]["date_of_birth"] == people[q]["date_of_birth"]
                    writer.writerow([a, b, "twins" if both_twins and same_birth else "household"])
                    kin += 1
    print(
        f"wrote {len(rows):,} records to {output}, {pairs:,} true pairs to {truth} "
        f"({twins:,} twins, "
        f"{kin:,} pairs of household members)"
    )


if __name__ == "__main__":
    main()
