"""Finding people: by name (partial, accent- and case-insensitive, typo-tolerant), date of
birth, phone or identifier.

Names are matched against `Person.search_text`, a lower-cased, accent-free copy of the
names, word by word: every typed word must match a word of the name (`word_matches`).

On PostgreSQL, typed words are first resolved against the table of all name words
(people_nameword, trigram-indexed), then people are read from a GIN index on their name
words, best matches first and no more than will be shown; so a search costs about the
same with a thousand people or a million (see bench/README.md). A searcher whose scope
starts from few rows (fewer than SCOPE_FIRST_BELOW enrollments and people of
administered organizations) has their own people read first instead and their names
checked, one statement that orders them as the tiers would find them. On SQLite the same rules
run row by row, with pg_trgm's word_similarity reimplemented in Python, so results agree.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.db.models import (
    BigIntegerField,
    BooleanField,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.db.models.lookups import Exact

from alongside.lib import compiled
from alongside.lib.kept import kept
from alongside.people.models import ContactPoint, Identifier
from alongside.people.normalize import normalize, normalize_identifier

# Matching's candidate records read these through this module.
from alongside.people.normalize import normalize_phone as normalize_phone
from alongside.people.normalize import parse_date as parse_date

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
# Words this long or longer match with one slip of the keyboard (see one_slip), scoring
# as a fairly good match.
MIN_SLIP = 4
SLIP_SCORE = 0.7
# PostgreSQL: the middle tier of name matches (see _tiers).
GOOD_MATCH = 0.6
# PostgreSQL: a searcher whose scope starts from fewer rows than this (enrollments in
# its programs, people of the organizations it administers; see `Reach`) has its people
# read first and their names checked (`_scope_first`), one statement, instead of the
# name-word index read tier by tier and filtered by scope. Reading a scope's people costs
# 5–20 µs a person whatever is typed; the index's tiers cost what the typed words match
# across everyone (a short word in a small scope: every tier read whole, 10–100 ms).
# Measured in bench/README.md, "Search: small scopes read first (branch search2)".
SCOPE_FIRST_BELOW = 2000
# PostgreSQL: a searcher of up to this many organizations reads their entries of the
# name-word index alone (`OrgNameWords`); one of more reads everyone's (`_prefixes`).
PREFIXED_UP_TO = 8
# Seconds a scope's count of rows is kept per process before it is counted again.
REACH_KEPT_FOR = 300.0


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


def one_slip(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one slip after the first letter: two letters
    swapped, or one letter dropped, added or replaced ("simth", "jhonson", "hernandes")."""
    if typed == word or min(len(typed), len(word)) < MIN_SLIP or typed[0] != word[0]:
        return False
    if abs(len(typed) - len(word)) > 1:
        return False
    i = next((i for i, (a, b) in enumerate(zip(typed, word, strict=False)) if a != b), None)
    if i is None:  # one is the other with a letter added at the end
        return True
    if len(typed) > len(word):
        return typed[i + 1 :] == word[i:]
    if len(typed) < len(word):
        return typed[i:] == word[i + 1 :]
    swapped = typed[i + 1 : i + 2] == word[i : i + 1] and typed[i : i + 1] == word[i + 1 : i + 2]
    return typed[i + 1 :] == word[i + 1 :] or (swapped and typed[i + 2 :] == word[i + 2 :])


@lru_cache(maxsize=2**16)
def word_score(typed: str, word: str) -> float:
    """How well one typed word matches one word of a name, 0 for not at all. It matches
    when similar enough (pg_trgm word similarity, which also favours the start of a
    word), when it is part of the word (from MIN_SUBSTRING letters), or with one slip.
    Kept per process (it depends on nothing else): a search scores the same few hundred
    name words for a typed word that the searches before it scored."""
    similarity = word_similarity(typed, word)
    matches = similarity >= FUZZY_THRESHOLD or (len(typed) >= MIN_SUBSTRING and typed in word)
    score = similarity if matches else 0.0
    return max(score, SLIP_SCORE) if one_slip(typed, word) else score


def word_matches(typed: str, word: str) -> bool:
    return word_score(typed, word) > 0


def name_word_match(typed: str | None, search_text: str | None) -> bool:
    """Whether a typed word matches some word of a name (SQLite's filter)."""
    if not typed or not search_text:
        return False
    return any(word_matches(typed, word) for word in search_text.split())


def match_score(phrase: str | None, search_text: str | None) -> float:
    """How well a name matches a query: the mean, over typed words, of the best
    `word_score` among the name's words. The first key of the ranking."""
    typed = (phrase or "").split()
    words = (search_text or "").split()
    if not typed or not words:
        return 0.0
    return sum(max(word_score(t, w) for w in words) for t in typed) / len(typed)


def _on_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        for name, function in [
            ("word_similarity", word_similarity),
            ("name_word_match", name_word_match),
            ("match_score", match_score),
        ]:
            connection.connection.create_function(name, 2, function, deterministic=True)


def install_sqlite_functions() -> None:
    connection_created.connect(_on_connection, dispatch_uid="alongside_sqlite_functions")


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


class NameWordMatch(Func):
    """SQLite: whether a typed word matches a word of the name (see `word_matches`)."""

    function = "name_word_match"
    output_field = BooleanField()


class MatchScore(Func):
    """SQLite: `match_score(phrase, search_text)`, computed in Python."""

    function = "match_score"
    output_field = FloatField()


class KnownMatchScore(Func):
    """PostgreSQL: `match_score` from the scores of the name words each typed word
    matches (worked out in Python, see `name_words_matching`, and passed as `Given`
    arrays: each matching word's typed word, the word, its score): for each typed word
    the best score among the person's name words, summed and divided by `typed`, the
    number of typed words."""

    output_field = FloatField()

    def __init__(self, text: Any, slots: Any, words: Any, scores: Any, typed: Any) -> None:
        super().__init__(text, slots, words, scores, typed)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        compiled_ = [compiler.compile(e) for e in self.get_source_expressions()]
        # The parameters in the order their expressions appear (`known_match_sql`).
        params = [p for n in (4, 1, 2, 3, 0) for p in compiled_[n][1]]
        return known_match_sql(*(sql for sql, _ in compiled_)), params


def known_match_sql(text: str, slots: str, words: str, scores: str, typed: str) -> str:
    """The SQL of `KnownMatchScore` from its parts' SQL; they appear in the order typed,
    slots, words, scores, text."""
    return (
        f"(SELECT COALESCE(SUM(best), 0) / {typed} FROM ("  # noqa: S608
        f"SELECT MAX(c.score) AS best FROM unnest({slots}, {words}, "
        f"{scores}) AS c(slot, word, score) "
        f"WHERE c.word = ANY(string_to_array({text}::text, ' ')) GROUP BY c.slot) AS b)"
    )


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


class IdAmong(Func):
    """PostgreSQL: `id = ANY(array)`, the array a parameter (one statement for any
    number of ids, where `pk__in` writes one parameter an id)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
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
    """The filter SQLite uses for a free-text query, tested row by row with the
    functions registered on SQLite connections, and the normalized phrase."""
    terms = parse_query(query)
    return _portable_condition(terms), terms.phrase


def _portable_condition(terms: Terms) -> Q:
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
    """PostgreSQL: for each typed word, the name words it matches with their
    `word_score`, best first, from the table of every word of every name
    (people_nameword, kept up to date by a trigger; migration 0003). The trigram index
    finds similar words and words containing the typed one; an index on first letter and
    length finds the candidates for one slip (the function people_name_words_matching,
    migration 0005, which makes sure those indexes are used)."""
    return _name_words_and_reach(words, None)[0]


def _name_words_and_reach(
    words: list[str], reach: Reach | None
) -> tuple[list[list[tuple[str, float]]], int | None]:
    """`name_words_matching`, and with a `reach` its rows counted up to
    SCOPE_FIRST_BELOW in the same statement (no query more)."""
    patterns = [_like_contains(word) if len(word) >= MIN_SUBSTRING else None for word in words]
    slips = [len(word) >= MIN_SLIP for word in words]
    candidates: list[dict[str, bool]] = [{} for _ in words]
    sql = (
        "SELECT slot, word, slip_only FROM people_name_words_matching("
        "%s::text[], %s::text[], %s::boolean[], %s)"
    )
    params: list[Any] = [words, patterns, slips, MAX_NAME_WORDS]
    if reach is not None:
        sql += (
            " UNION ALL SELECT -1, COUNT(*)::text, false FROM ("  # noqa: S608
            f"SELECT 1 FROM ({reach.sql}) r LIMIT %s) counted"
        )
        params += [*reach.params, SCOPE_FIRST_BELOW]
    counted: int | None = None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for n, word, slip_only in cursor.fetchall():
            if n < 0:
                counted = int(word)
                continue
            candidates[n][word] = candidates[n].get(word, True) and slip_only
    found: list[list[tuple[str, float]]] = []
    for typed, names in zip(words, candidates, strict=True):
        scored = [
            (word, word_score(typed, word))
            for word, slip_only in names.items()
            if not slip_only or one_slip(typed, word)
        ]
        found.append(sorted(((w, s) for w, s in scored if s > 0), key=lambda m: (-m[1], m[0])))
    return found, counted


@dataclass(frozen=True)
class Reach:
    """PostgreSQL: where a searcher's scope starts: `sql` selects (as `id`) a person for
    each of the scope's rows, a superset of the people searched (the searched queryset
    still decides who is seen; `people.models.rows_reached`); `key`, everything `sql`
    and the searched queryset depend on (the scope). Fewer rows than SCOPE_FIRST_BELOW:
    the scope's people are read first (`_scope_first`)."""

    key: Hashable
    sql: str
    params: tuple[Any, ...]
    # Every organization the scope's people belong to (`organizations_reached`).
    organizations: tuple[int, ...] | None = None


# A scope's rows counted (up to SCOPE_FIRST_BELOW), with when, kept per process.
_reach_sizes: dict[Hashable, tuple[float, int]] = {}


def _reads_scope_first(
    words: list[str], reach: Reach | None
) -> tuple[list[list[tuple[str, float]]], bool]:
    """The typed words' name words (`name_words_matching`), and whether the scope is
    small enough to be read first: its rows are counted with the words when the count
    kept for it is missing or older than REACH_KEPT_FOR seconds."""
    if reach is None:
        return name_words_matching(words), False
    now = time.monotonic()
    size: int | None = None
    kept_size = _reach_sizes.get(reach.key)
    if kept_size is not None and now - kept_size[0] < REACH_KEPT_FOR:
        size = kept_size[1]
    matches, counted = _name_words_and_reach(words, reach if size is None else None)
    if counted is not None:
        if len(_reach_sizes) >= KEPT_STATEMENTS:
            _reach_sizes.clear()
        _reach_sizes[reach.key] = (now, counted)
        size = counted
    return matches, size is not None and size < SCOPE_FIRST_BELOW


def best_words(matches: list[list[tuple[str, float]]]) -> list[list[str]]:
    """For each typed word, the name words that match it best (often just one)."""
    return [[word for word, score in found if score >= found[0][1] - 1e-6] for found in matches]


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


class OrgNameWords(Func):
    """PostgreSQL: the words of `search_text`, each prefixed by the person's organization
    ("6:garcia"), the expression that the GIN index person_org_name_words is built on
    (migration 0012): a search within some organizations reads only their entries."""

    output_field = ArrayField(TextField())

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        (org, org_params), (text, text_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        sql = (
            f"string_to_array({org}::text || ':' || replace({text}::text, ' ', ' ' || "
            f"{org}::text || ':'), ' ')"
        )
        return sql, [*org_params, *text_params, *org_params]


class TierWords:
    """PostgreSQL: a parameter of a compiled tier query (see `named_people`): the name
    words that stand for typed word `slot` in the tier being read; with `organizations`,
    as `OrgNameWords` has them, once for each organization."""

    def __init__(self, slot: int, organizations: tuple[int, ...] | None = None) -> None:
        self.slot = slot
        self.organizations = organizations

    def value(self, tier: list[list[str]]) -> list[str]:
        words = tier[self.slot]
        if self.organizations is None:
            return words
        return [f"{organization}:{word}" for organization in self.organizations for word in words]


class HasNameWordIn(Func):
    """PostgreSQL: whether the name has one of the words of a `TierWords` parameter
    (`&&` on the expression of the GIN index person_name_words, or with organizations
    of person_org_name_words)."""

    template = "%(expressions)s && %%s::text[]"
    output_field = BooleanField()

    def __init__(self, text: Any, words: TierWords) -> None:
        self.words = words
        if words.organizations is None:
            super().__init__(NameWords(text))
        else:
            super().__init__(OrgNameWords(F("organization_id"), text))

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = super().as_sql(compiler, connection, **extra)
        return sql, (*params, self.words)


# A stand-in for the exact name in a tier statement kept for later searches; its place
# among the parameters is where each search's phrase goes.
EXACT_STAND_IN = "\x1fexact name\x1f"
# Tier statements kept per process (see `_tier_statement`; a scope keeps one per number
# of typed words, page size and kind); past this many the cache starts again.
KEPT_STATEMENTS = 8192

Statement = tuple[str, tuple[Any, ...]]
_tier_statements: dict[Hashable, Statement | None] = {}


def _tier_statement(
    build: Callable[[], QuerySet[Any]], limit: int, cache_key: Hashable | None
) -> Statement | None:
    """The SQL and parameters of one tier query (`build()`, up to `limit + 1` ids), or
    None when it can find nobody. With a `cache_key` (everything the statement depends
    on), compiled by the ORM once per process and kept: building and compiling the
    scoped query cost more Python than the database took to answer it."""

    def compile_() -> Statement | None:
        return compiled.sql_of(build().values_list("pk", flat=True)[: limit + 1])

    if cache_key is None:
        return compile_()
    return kept(_tier_statements, cache_key, compile_, KEPT_STATEMENTS)


def named_people(
    people: QuerySet[Any],
    matches: list[list[tuple[str, float]]],
    limit: int,
    typed: list[str] | tuple[()] = (),
    *,
    key: Hashable | None = None,
    reach: Reach | None = None,
    phrase: str = "-",
    organizations: tuple[int, ...] | None = None,
) -> list[int]:
    """PostgreSQL: ids of up to `limit` people of `people` whose names have a matching
    word for every typed word, best-matching name words first.

    With a `reach` (a small scope's rows, see `Reach`), the scope's people are read first
    in one statement (`_scope_first`), which orders every match as the tiers below would
    find them; `phrase` (the whole query, as ranked) chooses among more than `limit` of
    equally good tier. Otherwise, from the name-word index (with `organizations`, every
    organization the people of `people` may belong to, its entries for those alone):

    One query per tier, from the best, until `limit` people are found. A tier's query
    has no ORDER BY, so its index scan stops as soon as it has enough visible people.
    (One UNION ALL of the tiers would save round trips, but PostgreSQL may run its
    branches in parallel, and then the best tier no longer comes first.) The tiers differ
    only in their words, so the ORM builds the query once (twice with the exact name)
    and each tier runs it with its own words as parameters. With a `key` (everything
    the SQL of `people` depends on, e.g. the searcher's scope), that query is built once
    per process and key, and later searches run it with their own words and phrase.

    Each tier includes the one before, so when the last (every match) holds no more than
    `limit` visible people, they are the answer whatever the tiers' order. For two or
    more `typed` words of MIN_SLIP letters or more, each of which a name must match, that
    is asked first, for one more than `limit`: mostly every match comes in that one
    query, where the tiers in turn ran up to four (a searcher who sees one small program
    ran them all). Only when it finds more than `limit` do the tiers run from the best.
    A single word's every match is often thousands of people, and a short word ("mar",
    "and") stands for many common name words, so there the costly last tier is mostly
    more than a page and the best tiers fill it: their tiers run from the best."""
    slots = [TierWords(n, organizations) for n in range(len(matches))]

    def named() -> QuerySet[Any]:
        return people.filter(*[HasNameWordIn(F("search_text"), slot) for slot in slots])

    def exact() -> QuerySet[Any]:
        # The names with the best words in the order typed, side by side: the exact
        # name among many people with both words ("Ana García"); the phrase is a
        # stand-in, each search's own goes in its place (`_parameters`).
        padded: QuerySet[Any] = named().alias(
            padded=Concat(Value(" "), F("search_text"), Value(" "))
        )
        return padded.filter(padded__contains=f" {EXACT_STAND_IN} ")

    def cached(kind: str) -> Hashable | None:
        return None if key is None else (kind, len(slots), limit, people.db, key, organizations)

    def across() -> QuerySet[Any]:
        # The best tier's people whose name scores above its word (see `_boost`), best
        # first; the words that may come before theirs read from the name-word table.
        scored: QuerySet[Any] = named().alias(
            across=WordSimilarity(compiled.Given("typed", "text", TextField()), F("search_text"))
        )
        before = WordBeforeIn(F("search_text"), compiled.Given("ending", "text", TextField()))
        return scored.filter(
            before, across__gt=compiled.Given("floor", "float8", FloatField())
        ).order_by("-across", "legal_family_name", "id")

    tiers = _tiers(matches)
    exact_name = _exact_name(matches)
    if reach is not None and key is not None:
        order = [(tiers[0], exact_name)] if exact_name else []
        order += [(tier, "") for tier in tiers]
        return _scope_first(people, reach, order, matches, phrase, limit)
    tier_query = _tier_statement(named, limit, cached("tiers"))
    if tier_query is None:
        return []
    runs = [(tier_query, tier, "") for tier in tiers]
    if exact_name:
        exact_query = _tier_statement(exact, limit, cached("exact"))
        if exact_query is not None:
            runs.insert(0, (exact_query, tiers[0], exact_name))
    every_match = len(runs) > 1 and len(typed) > 1 and min(map(len, typed)) >= MIN_SLIP
    boost: Boost | None = None
    values = _boost(matches, typed)
    if values is not None:
        statement = _tier_statement(across, limit, cached("across"))
        boost = None if statement is None else (statement, values)
    return _read_tiers(people.db, runs, limit, every_match=every_match, boost=boost)


def _prefixes(organizations: tuple[int, ...] | None) -> tuple[int, ...] | None:
    """The organizations whose entries of person_org_name_words a search reads, or None
    to read person_name_words: beyond PREFIXED_UP_TO organizations the typed words'
    array grows as many times, and everyone's entries cost less to read."""
    if organizations is None or len(organizations) > PREFIXED_UP_TO:
        return None
    return organizations


def _exact_name(matches: list[list[tuple[str, float]]]) -> str:
    """The best words in the order typed, when each typed word has one best word and
    there are several ("ana garcia"): the exact name read before the tiers, or ""."""
    if len(matches) > 1 and all(len(best) == 1 for best in best_words(matches)):
        return " ".join(found[0][0] for found in matches)
    return ""


def _scope_first(
    people: QuerySet[Any],
    reach: Reach,
    order: list[tuple[list[list[str]], str]],
    matches: list[list[tuple[str, float]]],
    phrase: str,
    limit: int,
) -> list[int]:
    """PostgreSQL: `named_people` for a small scope, in one statement: each of the
    scope's rows (`reach`) leads to its person through `people` (the visibility rule
    itself, by primary key, one person at a time: `LATERAL ... OFFSET 0` keeps the plan
    so), and those whose names match the last tier (every match) are ordered by the first
    of `order`'s (tier, exact name) they match, as `_read_tiers` reads them, then as the
    results page ranks them (`match_score`, whole-name score, family name, id), up to
    `limit`. The people and their tiers are those the tiers read; among more than a page
    of equally good tier, the best ranked come first (the tiers take them as the index
    gives them, and `_boost` puts the best first for one word)."""

    def driven() -> Statement | None:
        return compiled.sql_of(
            people.filter(pk=RawSQL("r.id", ())).values_list(
                "pk", "search_text", "legal_family_name"
            )
        )

    statement = kept(_tier_statements, ("driven", people.db, reach.key), driven, KEPT_STATEMENTS)
    if statement is None:
        return []
    inner_sql, inner_params = statement
    words = "string_to_array(seen.search_text::text, ' ')"
    like = connections[people.db].ops.prep_for_like_query

    def holds(tier: list[list[str]], exact_name: str) -> tuple[str, list[Any]]:
        conditions = [f"{words} && %s::text[]" for _ in tier]
        params: list[Any] = list(tier)
        if exact_name:
            conditions.append("(' ' || seen.search_text::text || ' ') LIKE %s")
            params.append(f"% {like(exact_name)} %")
        return " AND ".join(conditions), params

    every_sql, every_params = holds(*order[-1])
    cases = [holds(tier, exact_name) for tier, exact_name in order[:-1]]
    rank = " ".join(f"WHEN {sql} THEN {n}" for n, (sql, _) in enumerate(cases))
    rank = f"CASE {rank} ELSE {len(cases)} END, " if cases else ""
    score = known_match_sql("seen.search_text", "%s::int[]", "%s::text[]", "%s::float8[]", "%s")
    sql = (
        f"SELECT seen.id FROM (SELECT DISTINCT r0.id FROM ({reach.sql}) r0) r "  # noqa: S608
        f"CROSS JOIN LATERAL ({inner_sql} OFFSET 0) seen(id, search_text, legal_family_name) "
        f"WHERE {every_sql} "
        f"ORDER BY {rank}{score} DESC, word_similarity(%s, seen.search_text) DESC, "
        f"seen.legal_family_name, seen.id LIMIT %s"
    )
    params = [
        *reach.params,
        *inner_params,
        *every_params,
        *(p for _, case_params in cases for p in case_params),
        float(len(matches)),
        [n for n, found in enumerate(matches) for _ in found],
        [word for found in matches for word, _ in found],
        [score for found in matches for _, score in found],
        phrase,
        limit,
    ]
    with connections[people.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


class WordBeforeIn(Func):
    """PostgreSQL: whether the name has a word ending as the `Given` LIKE pattern says,
    tested on each row the name words found: as an index condition (the words of
    people_nameword with that ending, `&&` on person_name_words) it read every person
    with one of them, 113,000 for "an", where the rows it filters are a few dozen."""

    output_field = BooleanField()

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        text, ending = self.get_source_expressions()
        text_sql, text_params = compiler.compile(text)
        ending_sql, ending_params = compiler.compile(ending)
        sql = (
            f"EXISTS (SELECT FROM unnest(string_to_array({text_sql}::text, ' ')) "
            f"AS w(word) WHERE w.word LIKE {ending_sql})"
        )
        return sql, [*text_params, *ending_params]


Boost = tuple[Statement, dict[str, Any]]


def _boost(
    matches: list[list[tuple[str, float]]], typed: list[str] | tuple[()]
) -> dict[str, Any] | None:
    """For one typed word matched no better than in part ("pier", "rah"), what finds the
    people of its best tier whose whole name scores above their best word: a name's
    score (`name_score`, pg_trgm's word similarity of the whole name) also counts the
    trigrams of a run across two words, so "tucker pierce" has every trigram of "pier"
    ("er " from "tucker") where "pierce" alone lacks one. Such a word before ends as
    the typed word does. When the best tier holds more than a page, these are its best
    and are read first (`_read_tiers`); other people of that tier score as their word
    does, and which of them fill the page is up to the database. The values of that
    read's statement, or None."""
    if len(matches) != 1 or len(typed) != 1 or not matches[0]:
        return None
    word, best = typed[0], matches[0][0][1]
    if len(word) < MIN_SUBSTRING or best >= 1 - 1e-6:
        return None
    ending = "%" + _like_contains(word[-2:])[1:-1]
    # pg_trgm scores in single precision: a name scoring as its word must not pass.
    return {"typed": word, "ending": ending, "floor": best + 1e-6}


def _parameters(
    db: str,
    params: tuple[Any, ...],
    tier: list[list[str]],
    phrase: str,
    values: dict[str, Any] | None = None,
) -> list[Any]:
    """A tier statement's parameters for this tier's words, this exact phrase and these
    `Given` values."""
    stand_in = f"% {EXACT_STAND_IN} %"
    exact = f"% {connections[db].ops.prep_for_like_query(phrase)} %"  # as `contains` has it
    return [
        p.value(tier)
        if isinstance(p, TierWords)
        else exact
        if p == stand_in
        else values[p.name]
        if values is not None and isinstance(p, compiled.Slot)
        else p
        for p in params
    ]


def _read_tiers(
    db: str,
    runs: list[tuple[Statement, list[list[str]], str]],
    limit: int,
    *,
    every_match: bool,
    boost: Boost | None = None,
) -> list[int]:
    """Run each (statement, tier, exact phrase) in turn, up to `limit + 1` ids each,
    until `limit` are found. With `every_match`, the last run goes first (see
    `named_people`): when it finds no more than `limit`, that is the whole answer;
    otherwise the runs decide, and the last of them (that same statement with the same
    parameters) takes the ids the first read rather than asking again. With a `boost`
    (see `_boost`), when the first tier holds more than `limit`, its best come first."""
    if every_match:
        runs = [runs[-1], *runs]
    found: dict[int, None] = {}
    every: list[int] = []
    with connections[db].cursor() as cursor:
        for n, ((sql, params), tier, phrase) in enumerate(runs):
            if every_match and n == len(runs) - 1:
                ids = every  # asked first: the same statement, the same words
            else:
                cursor.execute(sql, _parameters(db, params, tier, phrase))
                ids = [pk for (pk,) in cursor.fetchall()]
            if n == 0 and every_match:
                if len(ids) <= limit:
                    return ids  # every match: the tiers would find the same people
                every = ids
                continue
            if n == 0 and boost is not None and len(ids) > limit:
                (sql, params), values = boost
                cursor.execute(sql, _parameters(db, params, tier, phrase, values))
                found.update(dict.fromkeys(pk for (pk,) in cursor.fetchall()))
            found.update(dict.fromkeys(ids))
            if len(found) >= limit:
                break
    return list(found)[:limit]


def search(
    people: QuerySet[Any],
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    key: Hashable | None = None,
    organizations: tuple[int, ...] | None = None,
) -> QuerySet[Any]:
    """Filter and rank an already-scoped queryset of people by a free-text query.

    A name query matches people whose name has, for every typed word, a word that it
    matches (`word_score`): partial, accent- and case-insensitive, typo-tolerant. The
    query may also be a date of birth, a phone number or an identifier. Ranked by
    `match_score`, then by word similarity of the whole query (word order and closeness
    count), then family name and id.

    Slice the result to at most `limit`. On PostgreSQL, when more than `limit` visible
    people match equally well, which of them are returned is up to the database (for
    one typed word, those whose whole name scores best come first: see `_boost`). `key`, if
    given, is everything the SQL of `people` depends on (e.g. the searcher's scope, for
    `visible_to`): the name tiers' query is then compiled once per process and key (see
    `named_people`). `organizations`, if given, holds every organization the people of
    `people` belong to: names are then looked up in those organizations' entries alone.
    """
    terms = parse_query(query)
    if connection.vendor == "postgresql":
        shape, values = _postgres_terms(people, terms, limit, key, organizations=organizations)
        return _postgres_ranked(people, shape, values)
    condition = _portable_condition(terms)
    match: Any = MatchScore(Value(terms.phrase), F("search_text"))
    if not terms.names:
        match = Value(0.0)
    ranked: QuerySet[Any] = people.annotate(
        match_score=match,
        name_score=WordSimilarity(Value(terms.phrase or "-"), F("search_text")),
    ).filter(condition)
    return ranked.order_by(*RANKING)


RANKING = ("-match_score", "-name_score", "legal_family_name", "id")


@dataclass(frozen=True)
class Shape:
    """PostgreSQL: which meanings a search's ranked query has (its SQL depends on these
    alone; the rest are its `Given` values)."""

    names: bool  # the query may be a name: ranked by match_score
    named: bool  # some people were found by name (their ids are given)
    born: bool
    phone: bool
    identifier: bool


def _postgres_terms(
    people: QuerySet[Any],
    terms: Terms,
    limit: int,
    key: Hashable | None,
    reach: Reach | None = None,
    organizations: tuple[int, ...] | None = None,
) -> tuple[Shape, dict[str, Any]]:
    """PostgreSQL: what a search means and the values its ranked query is run with. Each
    meaning looks its people up through an index, so the cost follows the number of
    people shown rather than the number of people visible: names from the GIN index on
    their name words, best-matching words first, no more than `limit` (`named_people`);
    dates, phones, identifiers by exact lookups."""
    matches, scope_first = _reads_scope_first(terms.words, reach) if terms.names else ([], False)
    named = bool(matches) and all(matches)
    found: list[int] = []
    if named:
        found = named_people(
            people,
            matches,
            limit,
            terms.words,
            key=key,
            reach=reach if scope_first else None,
            phrase=terms.phrase or "-",
            organizations=_prefixes(organizations if reach is None else reach.organizations),
        )
    shape = Shape(
        names=terms.names,
        named=bool(found),
        born=terms.born is not None,
        phone=bool(terms.phone),
        identifier=bool(terms.identifier),
    )
    values = {
        "ids": found,
        "slots": [n for n, words in enumerate(matches) for _ in words],
        "words": [word for words in matches for word, _ in words],
        "scores": [score for words in matches for _, score in words],
        "typed": float(max(1, len(matches))),
        "phrase": terms.phrase or "-",
        "born": terms.born,
        "phone": terms.phone,
        "identifier": terms.identifier,
    }
    return shape, values


def _postgres_ranked(
    people: QuerySet[Any], shape: Shape, values: dict[str, Any] | None
) -> QuerySet[Any]:
    """PostgreSQL: `people` matching a search of this shape, ranked: with `values` an
    ordinary query, without them the statement `search_page` keeps (the same SQL)."""

    def given(name: str, cast: str, field: Any) -> compiled.Given:
        if values is None:
            return compiled.Given(name, cast, field)
        return compiled.Given(name, cast, field, values[name])

    condition = Q(pk__in=[])
    if shape.named:
        condition |= Q(IdAmong(F("pk"), given("ids", "bigint[]", _IDS)))
    if shape.born:
        condition |= Q(Exact(F("date_of_birth"), given("born", "date", DateField())))
    if shape.phone:
        phone = given("phone", "text", TextField())
        phones = ContactPoint.objects.filter(kind="phone", normalized=phone).order_by()
        condition |= Q(IdIn(F("pk"), Subquery(phones.values("person_id"))))
    if shape.identifier:
        identifier = given("identifier", "text", TextField())
        identifiers = Identifier.objects.filter(normalized=identifier).order_by()
        condition |= Q(IdIn(F("pk"), Subquery(identifiers.values("person_id"))))
    match: Any = Value(0.0)
    if shape.names:
        match = KnownMatchScore(
            F("search_text"),
            given("slots", "int[]", _SLOTS),
            given("words", "text[]", _WORDS),
            given("scores", "float8[]", _SCORES),
            given("typed", "float8", FloatField()),
        )
    ranked: QuerySet[Any] = people.annotate(
        match_score=match,
        name_score=WordSimilarity(given("phrase", "text", TextField()), F("search_text")),
    ).filter(condition)
    return ranked.order_by(*RANKING)


_IDS = ArrayField(BigIntegerField())
_SLOTS = ArrayField(IntegerField())
_WORDS = ArrayField(TextField())
_SCORES = ArrayField(FloatField())


# The results pages' statements, one per searcher's scope, shape of query and page size:
# apart from the person page's (`compiled`), which a few hundred staff searching would
# otherwise fill and empty.
KEPT_PAGES_LIMIT = 4096
_KEPT_PAGES: compiled.GivenStore = {}


def search_page(
    people: QuerySet[Any],
    query: str,
    *,
    limit: int,
    key: Hashable | None = None,
    shown: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda people: people,
    reach: Reach | None = None,
) -> list[Any]:
    """The first `limit` people of `search(people, query)`, read with what `shown` adds
    to the query (the results page's languages), as a list.

    On PostgreSQL with a `key` (everything the SQL of `people` and of `shown` depends
    on), the ranked query is compiled by the ORM once per process, key, `limit` and
    `Shape`, and each search runs it with its own ids, words and phrase: building and
    compiling it cost about a third of a search's Python. With a `reach` too (where the
    searcher's scope starts; its `key` is `key`), a small scope's people are read first
    (`named_people`)."""
    if connection.vendor != "postgresql" or key is None:
        return list(shown(search(people, query, limit=limit, key=key))[:limit])
    terms = parse_query(query)
    shape, values = _postgres_terms(people, terms, limit, key, reach)

    def build() -> QuerySet[Any]:
        return shown(_postgres_ranked(people, shape, None))[:limit]

    return compiled.given(
        "people.search_page",
        (key, shape, limit, people.db, shown),
        build,
        values,
        store=_KEPT_PAGES,
        limit=KEPT_PAGES_LIMIT,
    )
