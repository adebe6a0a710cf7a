"""Finding people: by name (partial, accent- and case-insensitive, typo-tolerant), date of
birth, phone or identifier.

Names are matched against `Person.search_text`, a lower-cased, accent-free copy of the
names. On PostgreSQL a trigram index (pg_trgm) serves both substring and fuzzy matches;
on SQLite the same word-similarity function is registered in Python, so results agree.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import Exists, F, FloatField, Func, OuterRef, Q, QuerySet, Value

_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,/]+")
_DROPPED = re.compile(r"[^\w ]+")
# pg_trgm's default word-similarity threshold is 0.6; one typo in a short name scores
# lower than that, so fuzzy matching uses a looser bar and ranks by score.
FUZZY_THRESHOLD = 0.4
MAX_QUERY_LENGTH = 200


# Letters that carry their mark inside them, so Unicode decomposition leaves them alone.
_UNDECOMPOSED = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe",
                               "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t"})


def normalize(text: str) -> str:
    """Lower-case, strip accents, turn hyphens and punctuation into word breaks."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spaced = _SEPARATORS.sub(" ", bare.replace("'", "").replace("’", ""))
    return " ".join(_DROPPED.sub("", spaced).split())


def normalize_identifier(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def normalize_phone(value: str, region: str | None = None) -> str | None:
    """E.164 form of a valid phone number, or None."""
    try:
        parsed = phonenumbers.parse(value, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y")


def parse_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def word_similarity(query: str | None, text: str | None) -> float:
    """pg_trgm's word_similarity, simplified: the best trigram overlap of the query with
    any run of consecutive words in the text."""
    if not query or not text:
        return 0.0
    wanted = _trigrams(query)
    words = text.split()
    best = 0.0
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + 3) + 1):
            found = _trigrams(" ".join(words[start:end]))
            best = max(best, len(wanted & found) / len(wanted | found))
    return best


def _on_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "word_similarity", 2, word_similarity, deterministic=True
        )


def install_sqlite_functions() -> None:
    connection_created.connect(_on_connection, dispatch_uid="alongside_sqlite_functions")


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


def _name_condition(words: list[str], phrase: str) -> Q:
    every_word = Q()
    for word in words:
        every_word &= Q(search_text__contains=word)
    if connection.vendor == "postgresql":
        # `%>`: word_similarity above the session threshold, served by the trigram index.
        fuzzy = Q(search_text__trigram_word_similar=phrase)
    else:
        fuzzy = Q(name_score__gte=FUZZY_THRESHOLD)
    return every_word | fuzzy


def search_condition(query: str) -> tuple[Q, str]:
    """The filter for a free-text query, and the normalized phrase it ranks names by."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    phrase = normalize(query)
    condition = Q(pk__in=[])
    if phrase and not phrase.isdigit():
        condition |= _name_condition(phrase.split(), phrase)
    born = parse_date(query)
    if born is not None:
        condition |= Q(date_of_birth=born)
    from alongside.people.models import ContactPoint, Identifier

    phone = normalize_phone(query) if sum(c.isdigit() for c in query) >= 7 else None
    if phone:
        condition |= Exists(
            ContactPoint.objects.filter(person_id=OuterRef("pk"), kind="phone", normalized=phone)
        )
    identifier = normalize_identifier(query)
    if len(identifier) >= 3:
        condition |= Exists(
            Identifier.objects.filter(person_id=OuterRef("pk"), normalized=identifier)
        )
    return condition, phrase


def search(people: QuerySet[Any], query: str) -> QuerySet[Any]:
    """Filter and rank an already-scoped queryset of people by a free-text query."""
    condition, phrase = search_condition(query)
    ranked = people.annotate(name_score=WordSimilarity(Value(phrase or "-"), F("search_text")))
    return ranked.filter(condition).order_by("-name_score", "legal_family_name", "id")
