"""Finding people: by name (partial, accent- and case-insensitive, typo-tolerant), date of
birth, phone or identifier.

Names are matched against `Person.search_text`, a lower-cased, accent-free copy of the
names, word by word: every typed word must match a word of the name (`word_matches`).

On PostgreSQL, typed words are first resolved against the table of all name words
(people_nameword, trigram-indexed), then people are read from a GIN index on their name
words, best matches first and no more than will be shown; so a search costs about the
same with a thousand people or a million (see bench/README.md). On SQLite the same rules
run row by row, with pg_trgm's word_similarity reimplemented in Python, so results agree.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
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
    TextField,
    Value,
)

_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,/]+")
_DROPPED = re.compile(r"[^\w ]+")
# pg_trgm's default word-similarity threshold is 0.6; one typo in a short name scores
# lower than that, so fuzzy matching uses a looser bar and ranks by score.
FUZZY_THRESHOLD = 0.4
MAX_QUERY_LENGTH = 200
# A typed word this long or longer also matches inside a name word ("ern" finds
# "Hernández"); shorter ones match by similarity, in practice the start of a name.
MIN_SUBSTRING = 3
# PostgreSQL: name matches a search reads at most (callers showing a page ask for
# fewer). The API pages through, and counts, up to this many.
DEFAULT_LIMIT = 1000
# PostgreSQL: name words one typed word may stand for (one letter matches hundreds).
MAX_NAME_WORDS = 500
# PostgreSQL: the middle tier of name matches (see _tiers).
GOOD_MATCH = 0.6


# Letters that carry their mark inside them, so Unicode decomposition leaves them alone.
_UNDECOMPOSED = str.maketrans(
    {
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ł": "l",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
    }
)


def normalize(text: str) -> str:
    """Lower-case, strip accents, turn hyphens and punctuation into word breaks."""
    # Compatibility forms (𝕬, ﬁ, ①) fold to plain letters first, then case and marks go.
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_UNDECOMPOSED)
    decomposed = unicodedata.normalize("NFKD", folded)
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
    query and any continuous run of trigrams in the text, so "her" matches the start of
    "hernandez" as well as it matches "her". Registered on SQLite so that both databases
    find and rank the same people."""
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


def word_matches(query_word: str, name_word: str) -> bool:
    """The rule for one typed word against one word of a name: it is part of the name
    word (from MIN_SUBSTRING letters on), or similar enough to it (typos, starts)."""
    return (len(query_word) >= MIN_SUBSTRING and query_word in name_word) or word_similarity(
        query_word, name_word
    ) >= FUZZY_THRESHOLD


def name_word_match(query_word: str | None, search_text: str | None) -> bool:
    if not query_word or not search_text:
        return False
    return any(word_matches(query_word, word) for word in search_text.split())


def _on_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "word_similarity", 2, word_similarity, deterministic=True
        )
        connection.connection.create_function(
            "name_word_match", 2, name_word_match, deterministic=True
        )


def install_sqlite_functions() -> None:
    connection_created.connect(_on_connection, dispatch_uid="alongside_sqlite_functions")


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


class NameWordMatch(Func):
    """SQLite: whether a typed word matches a word of the name (see `word_matches`)."""

    function = "name_word_match"
    output_field = BooleanField()


class NameWords(Func):
    """PostgreSQL: the words of `search_text` as an array, the expression that the GIN
    index person_name_words is built on (migration 0003)."""

    template = "string_to_array(%(expressions)s::text, ' ')"
    output_field = ArrayField(TextField())


class IdIn(Func):
    """PostgreSQL: `id = ANY(ARRAY(subquery))`. The subquery runs once and its ids are
    looked up by primary key, also as one branch of an OR (where `id IN (subquery)`
    would test every row of the table)."""

    template = "%(expressions)s))"
    arg_joiner = " = ANY(ARRAY("
    output_field = BooleanField()


@dataclass(frozen=True)
class Terms:
    """What a free-text query can mean: a name, a date of birth, a phone number or an
    identifier. A query may mean several at once; each meaning finds people."""

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


def search_condition(query: str) -> tuple[Q, str]:
    """The filter for a free-text query on any database, tested row by row, and the
    phrase it ranks by. The filter needs `name_score` annotated (see `search`)."""
    terms = parse_query(query)
    return _portable_condition(terms), terms.phrase


def _portable_condition(terms: Terms) -> Q:
    from alongside.people.models import ContactPoint, Identifier

    condition = Q(pk__in=[])
    if terms.names:
        condition |= Q(*[NameWordMatch(Value(word), F("search_text")) for word in terms.words])
    if terms.born is not None:
        condition |= Q(date_of_birth=terms.born)
    if terms.phone:
        condition |= Q(
            Exists(
                ContactPoint.objects.filter(
                    person_id=OuterRef("pk"), kind="phone", normalized=terms.phone
                )
            )
        )
    if terms.identifier:
        condition |= Q(
            Exists(Identifier.objects.filter(person_id=OuterRef("pk"), normalized=terms.identifier))
        )
    return condition


def _like_contains(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def name_words_matching(words: list[str]) -> list[list[tuple[str, float]]]:
    """PostgreSQL: for each typed word, the name words it matches (`word_matches`), best
    first, looked up in the table of every word of every name (people_nameword, kept up
    to date by a trigger; migration 0003)."""
    parts, params = [], []
    for n, word in enumerate(words):
        condition, condition_params = "word %%> %s", [word]
        if len(word) >= MIN_SUBSTRING:
            condition += " OR word LIKE %s"
            condition_params.append(_like_contains(word))
        parts.append(  # only fixed text and integers go into the SQL; words are params
            f"(SELECT {n}, word, word_similarity(%s, word) AS score FROM people_nameword"  # noqa: S608
            f" WHERE {condition} ORDER BY score DESC, word LIMIT {MAX_NAME_WORDS})"
        )
        params += [word, *condition_params]
    found: list[list[tuple[str, float]]] = [[] for _ in words]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for n, word, score in cursor.fetchall():
            found[n].append((word, score))
    for matches in found:
        matches.sort(key=lambda match: (-match[1], match[0]))
    return found


def _tiers(matches: list[list[tuple[str, float]]]) -> list[list[list[str]]]:
    """Sets of name words from the best matches down to all matches. Each tier holds, for
    each typed word, the name words that stand for it; each tier includes the last."""
    tiers: list[list[list[str]]] = []
    for bar in (1.0, GOOD_MATCH, 0.0):
        tier = []
        for found in matches:  # best first
            floor = min(bar, found[0][1] - 1e-6)
            tier.append([word for word, score in found if score >= floor])
        if tier not in tiers:
            tiers.append(tier)
    return tiers


def _postgres_condition(people: QuerySet[Any], terms: Terms, limit: int) -> Q:
    """PostgreSQL: each meaning looks its people up through an index, so the cost follows
    the number of people shown rather than the number of people visible.

    Names: each typed word is resolved to the name words it matches; people whose names
    have such a word for every typed word are read from the GIN index on their name
    words, best-matching words first, stopping as soon as `limit` visible people are
    found. Dates, phones and identifiers: exact index lookups.
    """
    from alongside.people.models import ContactPoint, Identifier

    condition = Q(pk__in=[])
    if terms.names:
        found = named_people(people, terms.words, limit)
        if found:
            condition |= Q(pk__in=found)
    if terms.born is not None:
        condition |= Q(date_of_birth=terms.born)
    if terms.phone:
        phones = ContactPoint.objects.filter(kind="phone", normalized=terms.phone)
        condition |= Q(IdIn(F("pk"), Subquery(phones.values("person_id"))))
    if terms.identifier:
        identifiers = Identifier.objects.filter(normalized=terms.identifier)
        condition |= Q(IdIn(F("pk"), Subquery(identifiers.values("person_id"))))
    return condition


def named_people(people: QuerySet[Any], words: list[str], limit: int) -> list[int]:
    """PostgreSQL: ids of up to about `limit` people of `people` whose names match every
    typed word, from the best-matching name words down."""
    matches = name_words_matching(words)
    if not all(matches):
        return []
    found: dict[int, None] = {}
    for tier in _tiers(matches):
        named = people.alias(name_words=NameWords(F("search_text")))
        for name_words in tier:
            named = named.filter(name_words__overlap=name_words)
        # No ORDER BY: the index scan stops after `limit` visible people.
        found.update(dict.fromkeys(named.values_list("pk", flat=True)[:limit]))
        if len(found) >= limit:
            break
    return list(found)


def search(people: QuerySet[Any], query: str, *, limit: int = DEFAULT_LIMIT) -> QuerySet[Any]:
    """Filter and rank an already-scoped queryset of people by a free-text query: best
    name match first, then by family name, then by id.

    A name query matches people whose name has, for every typed word, a word that
    contains it or is similar to it (`word_matches`): partial, accent- and
    case-insensitive, typo-tolerant. The query may also be a date of birth, a phone
    number or an identifier.

    Slice the result to at most `limit`. On PostgreSQL, when more than `limit` visible
    people match equally well, which of them are returned is up to the database.
    """
    terms = parse_query(query)
    if connection.vendor == "postgresql":
        condition = _postgres_condition(people, terms, limit)
    else:
        condition = _portable_condition(terms)
    score = WordSimilarity(Value(terms.phrase or "-"), F("search_text"))
    ranked = people.annotate(name_score=score).filter(condition)
    return ranked.order_by("-name_score", "legal_family_name", "id")
