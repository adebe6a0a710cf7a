"""String comparisons for matching names: Jaro-Winkler similarity, the NYSIIS phonetic
code, nickname groups, and the parts of compound family names. Pure Python."""

from __future__ import annotations

import re
from functools import lru_cache

from alongside.matching.nicknames import ENGLISH_NICKNAMES, NICKNAMES
from alongside.people.normalize import normalize

# Digits that scanning (OCR) or a slip of the keyboard put for the letters they look like
# ("sm1th", "br0wn", "5arah"). No name has digits, so a digit in one is read as its
# letter: "1" as "i" (as often "l": then one keystroke from the name, a typo).
_NAME_DIGITS = str.maketrans("01568", "oisgb")
_DIGIT = re.compile(r"\d")


def name_letters(name: str) -> str:
    """A normalized name with digits read as the letters they look like."""
    return name.translate(_NAME_DIGITS) if _DIGIT.search(name) else name


def jaro_winkler(a: str, b: str, prefix_scale: float = 0.1) -> float:
    """Jaro-Winkler similarity of two strings, 0 (nothing shared) to 1 (equal)."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    matched_b = [False] * lb
    a_matches: list[str] = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(lb, i + window + 1)):
            if not matched_b[j] and b[j] == ch:
                matched_b[j] = True
                a_matches.append(ch)
                break
    m = len(a_matches)
    if not m:
        return 0.0
    b_matches = [b[j] for j in range(lb) if matched_b[j]]
    transpositions = sum(x != y for x, y in zip(a_matches, b_matches, strict=True)) / 2
    jaro = (m / la + m / lb + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_scale * (1 - jaro)


def one_edit(a: str, b: str) -> bool:
    """Whether two different strings are one keystroke apart (Damerau-Levenshtein
    distance 1): a letter dropped, added or replaced, or two neighbours swapped."""
    la, lb = len(a), len(b)
    if a == b or abs(la - lb) > 1:
        return False
    i = 0
    while i < la and i < lb and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # one letter replaced
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


_VOWELS = frozenset("AEIOU")


@lru_cache(maxsize=200_000)
def nysiis(word: str, length: int = 6) -> str:  # noqa: C901, PLR0912 - the published NYSIIS rules, one branch each
    """The NYSIIS phonetic code of one word (New York State Identification and
    Intelligence System): names that sound alike share a code ("Hernandez" and
    "Hernandes", "Smith" and "Smyth"). Words not in Latin letters are returned as is."""
    name = "".join(ch for ch in word.upper() if "A" <= ch <= "Z")
    if not name:
        return word
    for start, replacement in (
        ("MAC", "MCC"),
        ("KN", "NN"),
        ("K", "C"),
        ("PH", "FF"),
        ("PF", "FF"),
        ("SCH", "SSS"),
    ):
        if name.startswith(start):
            name = replacement + name[len(start) :]
            break
    for end, replacement in (
        ("EE", "Y"),
        ("IE", "Y"),
        ("DT", "D"),
        ("RT", "D"),
        ("RD", "D"),
        ("NT", "D"),
        ("ND", "D"),
    ):
        if name.endswith(end):
            name = name[: -len(end)] + replacement
            break
    chars = list(name)
    key = [chars[0]]
    i = 1
    while i < len(chars):
        ch = chars[i]
        if ch == "E" and i + 1 < len(chars) and chars[i + 1] == "V":
            chars[i : i + 2] = ["A", "F"]
        elif ch in _VOWELS:
            chars[i] = "A"
        elif ch == "Q":
            chars[i] = "G"
        elif ch == "Z":
            chars[i] = "S"
        elif ch == "M":
            chars[i] = "N"
        elif ch == "K":
            chars[i] = "N" if i + 1 < len(chars) and chars[i + 1] == "N" else "C"
        elif ch == "S" and chars[i + 1 : i + 3] == ["C", "H"]:
            chars[i : i + 3] = ["S", "S", "S"]
        elif ch == "P" and i + 1 < len(chars) and chars[i + 1] == "H":
            chars[i : i + 2] = ["F", "F"]
        elif ch == "H":
            before = chars[i - 1]
            after = chars[i + 1] if i + 1 < len(chars) else ""
            if before not in _VOWELS or (after and after not in _VOWELS):
                chars[i] = before
        elif ch == "W" and chars[i - 1] in _VOWELS:
            chars[i] = chars[i - 1]
        if chars[i] != key[-1]:
            key.append(chars[i])
        i += 1
    if len(key) > 1 and key[-1] == "S":
        key.pop()
    if len(key) > 2 and key[-2:] == ["A", "Y"]:
        key[-2:] = ["Y"]
    if len(key) > 1 and key[-1] == "A":
        key.pop()
    return "".join(key)[:length]


_PARTICLES = frozenset(
    [
        "de",
        "del",
        "della",
        "der",
        "di",
        "da",
        "das",
        "do",
        "dos",
        "du",
        "la",
        "le",
        "van",
        "von",
        "ten",
        "ter",
        "bin",
        "ibn",
        "al",
        "el",
        "st",
        "saint",
    ]
)


def _nickname_roots() -> dict[str, frozenset[str]]:
    """Each known name or nickname (normalized) and the full names it can stand for."""
    roots: dict[str, set[str]] = {}
    for table in (NICKNAMES, ENGLISH_NICKNAMES):
        for full, nicks in table.items():
            root = normalize(full)
            roots.setdefault(root, set()).add(root)
            for nick in nicks:
                roots.setdefault(normalize(nick), set()).add(root)
    return {name: frozenset(found) for name, found in roots.items()}


NICKNAME_ROOTS: dict[str, frozenset[str]] = _nickname_roots()


def given_roots(given: str) -> frozenset[str]:
    """The full names a normalized first name may stand for (empty when unknown)."""
    return NICKNAME_ROOTS.get(given) or NICKNAME_ROOTS.get(given.split(" ", 1)[0], frozenset())


def family_parts(family: str) -> tuple[str, ...]:
    """The significant words of a normalized family name ("de la cruz" gives ("cruz",),
    "garcia lopez" gives ("garcia", "lopez"))."""
    words = family.split()
    parts = tuple(w for w in words if w not in _PARTICLES and len(w) > 1)
    return parts or tuple(words)
