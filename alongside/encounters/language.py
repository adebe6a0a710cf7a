"""The respectful-language check: words in a note that label the person rather than
describe them, each with a person-first alternative and why. Advisory only: a note is
never refused for its words. The list is data (`LabelingTerm`), shipped with the terms
below (sources in docs/timeline-and-notes.md) and edited by each organization."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

NIDA = "NIDA, Words Matter: Terms to Use and Avoid When Talking About Addiction (2021)"
PARK = (
    "Park et al., Physician Use of Stigmatizing Language in Patient Medical Records, "
    "JAMA Network Open (2021)"
)
GODDU = (
    "Goddu et al., Do Words Matter? Stigmatizing Language and the Transmission of Bias in "
    "the Medical Record, J Gen Intern Med (2018)"
)
SUICIDE = "Mindframe, Language Matters: communicating about suicide (Everymind, Australia)"
PERSON_FIRST = "Alongside's own words: never 'case' for a human being (docs/timeline-and-notes.md)"

# term, alternative, why, source
SHIPPED: list[tuple[str, str, str, str]] = [
    (
        "non-compliant",
        "Describe what happened and why: 'has not started the medication; worried about "
        "side effects'",
        "It casts a person's choice or barrier as disobedience and hides the reason.",
        PARK,
    ),
    (
        "refused",
        "'declined' or 'chose not to', with their reason if they gave one",
        "It frames a person's choice as defiance; declining is their right.",
        GODDU,
    ),
    (
        "addict",
        "'person who uses drugs' or 'person with a substance use disorder'",
        "It reduces the person to a condition and carries stigma that keeps people from care.",
        NIDA,
    ),
    (
        "frequent flyer",
        "'has come to the emergency department often'; say which needs bring them",
        "It mocks a person for seeking help and hides needs that are not being met.",
        PARK,
    ),
    (
        "manipulative",
        "Describe the behavior and the need behind it: 'asked several staff for a bed tonight'",
        "It judges motive instead of describing what happened, and follows the person.",
        GODDU,
    ),
    (
        "suicidal patient",
        "'person experiencing thoughts of suicide'",
        "It defines the person by a moment of crisis.",
        SUICIDE,
    ),
    (
        "drug-seeking",
        "Describe the request: 'asked for more pain relief; says the current dose does not help'",
        "It questions the person's credibility and can leave real pain untreated.",
        PARK,
    ),
    (
        "the case",
        "the person's name, or 'the person'",
        "People are not cases; the word turns someone into a file.",
        PERSON_FIRST,
    ),
]


@dataclass(frozen=True)
class Term:
    term: str
    alternative: str
    why: str


@dataclass(frozen=True)
class Finding:
    """One labeling word found in a text: where, what it said, and what to say instead."""

    found: str
    start: int
    end: int
    term: Term

    def context(self, text: str, width: int = 40) -> tuple[str, str, str]:
        """The words before, the word itself and the words after, to show it in place."""
        before = text[max(0, self.start - width) : self.start]
        after = text[self.end : self.end + width]
        return before, text[self.start : self.end], after


@lru_cache(maxsize=512)
def _pattern(term: str) -> re.Pattern[str]:
    # "non-compliant" also matches "noncompliant" and "non compliant"; a plural too.
    words = [re.escape(w) for w in re.split(r"[-\s]+", term.strip()) if w]
    return re.compile(r"\b" + r"[-\s]?".join(words) + r"s?\b", re.IGNORECASE)


def findings(text: str, terms: Iterable[Term]) -> list[Finding]:
    """Every labeling term in `text`, in the order they appear."""
    found = [
        Finding(match.group(0), match.start(), match.end(), term)
        for term in terms
        for match in _pattern(term.term).finditer(text)
    ]
    return sorted(found, key=lambda f: (f.start, -f.end))
