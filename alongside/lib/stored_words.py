"""Sentences the system stores in English (`lib.english.in_english`: a journey entry's
summary, a plan version's) said again in the reader's language when they are shown.

An app lists the sentences it stores, each by its catalog message ("Goal added:
%(goal)s") and how to say each value again (a status stored as its English label is
said as the label is now); `say` recognises a stored text by its English form and gives
the translation, with the values put back. Rows already stored are read the same way, so
nothing is migrated. A text no sentence matches (a person's own words, an older wording)
is shown as stored."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext

# How a value is said again: None when it is not one this sentence stores (so the text is
# not this sentence).
Value = Callable[[str], str | None]


def as_stored(value: str) -> str:
    return value


@dataclass(frozen=True)
class Sentence:
    """One sentence stored in English: its message in the catalog, and how to say its
    values again (a value not named is put back as stored: a name, a person's words)."""

    message: str
    values: Mapping[str, Value] = field(default_factory=dict)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"%\((\w+)\)s", self.message)
        # Even parts are the sentence's own words, odd ones the names of its values.
        return re.compile(
            "".join(
                re.escape(part) if n % 2 == 0 else f"(?P<{part}>{self._value_pattern(part)})"
                for n, part in enumerate(parts)
            ),
            re.DOTALL,
        )

    def _value_pattern(self, name: str) -> str:
        # A label is one of its alternatives, so a value before it that holds the
        # sentence's own words ("Housing: Rapid: Active") is found by backtracking.
        value = self.values.get(name)
        if isinstance(value, ChoiceLabel):
            labels = sorted(value.english(), key=len, reverse=True)
            return "|".join(re.escape(label) for label in labels)
        return ".+?"

    def said(self, text: str) -> str | None:
        found = self.pattern.fullmatch(text)
        if found is None:
            return None
        values = {}
        for name, stored in found.groupdict().items():
            said = self.values.get(name, as_stored)(stored)
            if said is None:
                return None
            values[name] = said
        return gettext(self.message) % values if values else gettext(self.message)


class Sentences:
    """The sentences one app stores, recognised in the order given (put a sentence
    before a more general one that would also match it: "Plan approved" before "Plan
    %(status)s")."""

    def __init__(self, sentences: Iterable[Sentence]) -> None:
        self.sentences: Sequence[Sentence] = tuple(sentences)
        # The patterns are made when first needed: a label's English needs the catalogs.
        self._exact = {s.message: s for s in self.sentences if "%(" not in s.message}
        self._patterned = tuple(s for s in self.sentences if "%(" in s.message)

    def say(self, text: str) -> str:
        """`text` in the active language when it is one of these sentences, else as
        stored."""
        if not text or translation.get_language() in (None, "en"):
            return text
        exact = self._exact.get(text)
        if exact is not None:
            return gettext(exact.message)
        for sentence in self._patterned:
            said = sentence.said(text)
            if said is not None:
                return said
        return text


class ChoiceLabel:
    """A value stored as one of `choices`' English labels (lower-cased when `lower`),
    said as that label in the active language; None for any other value."""

    def __init__(self, choices: Any, *, lower: bool = False) -> None:
        self.choices = choices
        self.lower = lower
        self._by_english: dict[str, Any] = {}

    def english(self) -> dict[str, Any]:
        """The labels by their English form, as stored."""
        if not self._by_english:
            with translation.override("en"):
                self._by_english.update(
                    {_cased(str(label), self.lower): label for label in self.choices.labels}
                )
        return self._by_english

    def __call__(self, value: str) -> str | None:
        label = self.english().get(value)
        return _cased(str(label), self.lower) if label is not None else None


def choice_label(choices: Any, *, lower: bool = False) -> Value:
    """A value stored as one of `choices`' English labels (see `ChoiceLabel`)."""
    return ChoiceLabel(choices, lower=lower)


def _cased(text: str, lower: bool) -> str:
    return text.lower() if lower else text


def said_in(sentences: Iterable[Sentence]) -> Value:
    """A value stored as one of `sentences` (an appointment's line inside "Cancelled:
    …"), said again; None for any other value."""
    tried = tuple(sentences)

    def said(value: str) -> str | None:
        return next((s for s in (one.said(value) for one in tried) if s is not None), None)

    return said


# A moment as the English formats store it ("7 Dec 2026, 10:00 AM": alongside/formats/en).
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ENGLISH_MOMENT = re.compile(
    rf"(\d{{1,2}}) ({'|'.join(_MONTHS)}) (\d{{4}}), (\d{{1,2}}):(\d{{2}}) (AM|PM)"
)


def moment(value: str) -> str | None:
    """A date and time stored in the English DATETIME_FORMAT, in the active language's
    (the same wall-clock time: it was stored in the time zone it is read in); None for
    any other value."""
    found = _ENGLISH_MOMENT.fullmatch(value)
    if found is None:
        return None
    day, month, year, hour, minute, half = found.groups()
    hour_of_day = int(hour) % 12 + (12 if half == "PM" else 0)
    try:
        # The wall-clock time as stored: formatting an aware moment does not move it.
        at = dt.datetime(
            int(year), _MONTHS.index(month) + 1, int(day), hour_of_day, int(minute), tzinfo=dt.UTC
        )
    except ValueError:
        return None
    return formats.date_format(at, "DATETIME_FORMAT")
