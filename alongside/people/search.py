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
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import (
    BooleanField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)

_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,/]+")
_DROPPED = re.compile(r"[^\w ]+")
# pg_trgm's default word-similarity threshold is 0.6; one typo in a short name scores
# lower than that, so fuzzy matching uses a looser bar and ranks by score.
FUZZY_THRESHOLD = 0.4
MAX_QUERY_LENGTH = 200
# Shortest word matched anywhere inside a name (shorter ones match name starts only).
MIN_SUBSTRING = 3
# Name matches a search reads at most, per kind of match, unless the caller asks for more.
DEFAULT_LIMIT = 100


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


def _trigram_sequence(text: str) -> list[str]:
    """pg_trgm's trigrams of each word, in order: "  w", " wo", "wor", "ord", "rd "."""
    sequence: list[str] = []
    for word in text.split():
        padded = f"  {word} "
        sequence.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return sequence


def word_similarity(query: str | None, text: str | None) -> float:
    """pg_trgm's word_similarity(query, text): the best trigram similarity between the
    query and any continuous run of trigrams in the text (so "her" matches the start of
    "hernandez" as well as it matches "her"). Used on SQLite, where it is registered as a
    SQL function, so that both databases find and rank the same people."""
    if not query or not text:
        return 0.0
    wanted = set(_trigram_sequence(query))
    if not wanted:
        return 0.0
    sequence = _trigram_sequence(text)
    hits = [i for i, trigram in enumerate(sequence) if trigram in wanted]
    best = 0.0
    # A best run starts and ends on a trigram of the query; grow each run hit by hit.
    for n, start in enumerate(hits):
        seen: set[str] = set()
        shared = 0
        position = start
        for end in hits[n:]:
            while position <= end:
                trigram = sequence[position]
                if trigram not in seen:
                    seen.add(trigram)
                    shared += trigram in wanted
                position += 1
            best = max(best, shared / (len(wanted) + len(seen) - shared))
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


class WordDistance(Func):
    """`search_text <->> 'phrase'`, i.e. 1 - word_similarity(phrase, search_text). With
    the column on the left, a GiST trigram index returns the nearest names first, so a
    query with LIMIT stops after reading about as many rows as it returns."""

    template = "(%(expressions)s)"
    arg_joiner = " <->> "
    output_field = FloatField()


class IdIn(Func):
    """`id = ANY(ARRAY(subquery))`: PostgreSQL runs the subquery once and looks the ids
    up by primary key, also as one branch of an OR (where `id IN (subquery)` would make
    it test every row of the table)."""

    template = "%(expressions)s))"
    arg_joiner = " = ANY(ARRAY("
    output_field = BooleanField()


@dataclass(frozen=True)
class Terms:
    """What a free-text query can mean: name words, a date of birth, a phone number or
    an identifier. A query may mean several at once; each one finds people."""

    phrase: str  # the normalized query
    born: dt.date | None
    phone: str | None
    identifier: str

    @property
    def names(self) -> bool:
        """Whether the query may be (part of) a name: it has a letter in it."""
        return any(ch.isalpha() for ch in self.phrase)

    @property
    def words(self) -> list[str]:
        return self.phrase.split()

    @property
    def has_substring_words(self) -> bool:
        # Substrings of one or two letters match almost everyone; such words still
        # match as the start of a name through word similarity ("al" finds "Alex").
        return any(len(word) >= MIN_SUBSTRING for word in self.words)


def parse_query(query: str) -> Terms:
    query = query.strip()[:MAX_QUERY_LENGTH]
    phone = normalize_phone(query) if sum(c.isdigit() for c in query) >= 7 else None
    identifier = normalize_identifier(query)
    return Terms(
        phrase=normalize(query),
        born=parse_date(query),
        phone=phone,
        identifier=identifier if len(identifier) >= 3 else "",
    )


def _every_word(terms: Terms) -> Q:
    return Q(*[Q(search_text__contains=word) for word in terms.words])


def _portable_condition(terms: Terms) -> Q:
    """Any database: every person the query can mean, tested row by row."""
    from alongside.people.models import ContactPoint, Identifier

    condition = Q(pk__in=[])
    if terms.names:
        condition |= Q(name_score__gte=FUZZY_THRESHOLD)
        if terms.has_substring_words:
            condition |= _every_word(terms)
    if terms.born is not None:
        condition |= Q(date_of_birth=terms.born)
    if terms.phone:
        condition |= Exists(ContactPoint.objects.filter(
            person_id=OuterRef("pk"), kind="phone", normalized=terms.phone))
    if terms.identifier:
        condition |= Exists(Identifier.objects.filter(
            person_id=OuterRef("pk"), normalized=terms.identifier))
    return condition


def search_condition(query: str) -> tuple[Q, str]:
    """The filter for a free-text query on any database (it needs `name_score`, the
    word similarity of the returned phrase to `search_text`, annotated), and that phrase."""
    terms = parse_query(query)
    return _portable_condition(terms), terms.phrase


def _postgres_condition(people: QuerySet[Any], terms: Terms, limit: int) -> Q:
    """PostgreSQL: each meaning looks its people up through an index, so the cost follows
    the number of matches shown, not the number of people visible.

    Names: the `limit` nearest visible names that pass the fuzzy test (`%>`, word
    similarity of at least pg_trgm.word_similarity_threshold, set to FUZZY_THRESHOLD in
    settings), and the `limit` nearest that contain every word, both read in order from
    the GiST trigram index. Dates, phones and identifiers: exact index lookups.
    """
    from alongside.people.models import ContactPoint, Identifier

    def nearest(condition: Q) -> IdIn:
        ranked = people.filter(condition).order_by(
            WordDistance(F("search_text"), Value(terms.phrase))
        )
        return IdIn(F("pk"), Subquery(ranked.values("pk")[:limit]))

    condition = Q(pk__in=[])
    if terms.names:
        condition |= Q(nearest(Q(search_text__trigram_word_similar=terms.phrase)))
        if terms.has_substring_words:
            condition |= Q(nearest(_every_word(terms)))
    if terms.born is not None:
        condition |= Q(date_of_birth=terms.born)
    if terms.phone:
        phones = ContactPoint.objects.filter(kind="phone", normalized=terms.phone)
        condition |= Q(IdIn(F("pk"), Subquery(phones.values("person_id"))))
    if terms.identifier:
        identifiers = Identifier.objects.filter(normalized=terms.identifier)
        condition |= Q(IdIn(F("pk"), Subquery(identifiers.values("person_id"))))
    return condition


def search(people: QuerySet[Any], query: str, *, limit: int = DEFAULT_LIMIT) -> QuerySet[Any]:
    """Filter and rank an already-scoped queryset of people by a free-text query: best
    name match first, then by family name. Returns at least the best `limit` matches
    (on PostgreSQL, not many more: slice it to `limit`)."""
    terms = parse_query(query)
    if connection.vendor == "postgresql":
        condition = _postgres_condition(people, terms, limit)
    else:
        condition = _portable_condition(terms)
    score = WordSimilarity(Value(terms.phrase or "-"), F("search_text"))
    ranked = people.annotate(name_score=score).filter(condition)
    return ranked.order_by("-name_score", "legal_family_name", "id")
