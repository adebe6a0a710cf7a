"""Finding people: partial, accent- and case-insensitive, typo-tolerant names, dates of
birth, phones and identifiers, always within what the searcher may see. The same tests
run on SQLite (rules row by row) and PostgreSQL (name-word index)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from alongside.accounts.models import Role
from alongside.accounts.scope import forget_scope
from alongside.people import search as search_module
from alongside.people import selectors, services
from alongside.people.models import ContactPoint, Identifier, Person
from alongside.people.normalize import normalize
from alongside.people.search import (
    NameWords,
    _tiers,
    match_score,
    name_word_match,
    name_words_matching,
    named_people,
    one_slip,
    parse_query,
    search,
    search_page,
    word_matches,
    word_score,
    word_similarity,
)
from conftest import add_role, make_person


def names(found):
    return [p.legal_name for p in found]


def find(user, query, **kwargs):
    return names(selectors.people_search(user, query, **kwargs))


@pytest.fixture
def crowd(world):
    """A few more people in the housing program, next to Guadalupe Hernández."""
    c = world.coordinator
    return {
        "ana": make_person(
            c,
            world.housing,
            legal_given_name="Ana",
            legal_family_name="García Márquez",
            date_of_birth=dt.date(1990, 1, 2),
        ),
        "garza": make_person(c, world.housing, legal_given_name="Ana", legal_family_name="Garza"),
        "lukasz": make_person(
            c, world.housing, legal_given_name="Łukasz", legal_family_name="Wiśniewski"
        ),
        "dang": make_person(c, world.housing, legal_given_name="Thị Lan", legal_family_name="Đặng"),
        "obrien": make_person(
            c, world.housing, legal_given_name="Siobhán", legal_family_name="O'Brien"
        ),
        "jean": make_person(
            c, world.housing, legal_given_name="Marie-Claire", legal_family_name="Jean-Baptiste"
        ),
        "arabic": make_person(
            c,
            world.housing,
            legal_given_name="محمد",
            legal_family_name="حداد",
            preferred_name="Mohammed",
        ),
        "smith": make_person(c, world.housing, legal_given_name="John", legal_family_name="Smith"),
    }


# --- names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "Guadalupe Hernández",
        "guadalupe hernandez",
        "GUADALUPE HERNANDEZ",
        "hernández",
        "Hernandez, Guadalupe",
    ],
)
def test_it_finds_a_name_whatever_the_case_accents_or_order(world, crowd, query):
    assert find(world.coordinator, query)[0] == "Guadalupe Hernández"


@pytest.mark.parametrize("query", ["Hern", "hern", "ernán", "Guad Hern", "lupe"])
def test_it_finds_part_of_a_name(world, crowd, query):
    assert "Guadalupe Hernández" in find(world.coordinator, query)


@pytest.mark.parametrize(
    "query", ["Hernandes", "Hernadnez", "Guadalupe Hernanez", "Guadalpue", "Hernández Guadelupe"]
)
def test_it_finds_a_name_typed_with_a_slip(world, crowd, query):
    assert "Guadalupe Hernández" in find(world.coordinator, query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lukasz wisniewski", "Łukasz Wiśniewski"),
        ("Dang", "Thị Lan Đặng"),
        ("thi lan", "Thị Lan Đặng"),
        ("obrien", "Siobhán O'Brien"),
        ("O'Brien", "Siobhán O'Brien"),
        ("o brien", "Siobhán O'Brien"),
        ("siobhan", "Siobhán O'Brien"),
        ("Jean Baptiste", "Marie-Claire Jean-Baptiste"),
        ("marie-claire", "Marie-Claire Jean-Baptiste"),
        ("محمد", "محمد حداد"),
        ("mohammed", "محمد حداد"),
        ("Garcia Marquez", "Ana García Márquez"),
        ("márquez", "Ana García Márquez"),
    ],
)
def test_it_finds_names_from_many_traditions(world, crowd, query, expected):
    assert expected in find(world.coordinator, query)


@pytest.mark.parametrize("query", ["John Simth", "jhon smith", "John Smtih", "Jonh Smiht"])
def test_it_finds_a_name_with_letters_swapped(world, crowd, query):
    assert find(world.coordinator, query)[0] == "John Smith"


def test_it_ranks_one_slip_above_a_merely_similar_name(world, crowd):
    make_person(
        world.coordinator, world.housing, legal_given_name="John", legal_family_name="Simon"
    )
    assert find(world.coordinator, "john simth") == ["John Smith", "John Simon"]
    assert find(world.coordinator, "john simon") == ["John Simon"]


def test_it_finds_people_by_their_preferred_name(world, crowd):
    assert find(world.coordinator, "Lupe")[0] == "Guadalupe Hernández"


def test_it_ranks_the_exact_name_above_similar_ones(world, crowd):
    found = find(world.coordinator, "garcia")
    assert found[0] == "Ana García Márquez"
    assert find(world.coordinator, "Ana Garza")[0] == "Ana Garza"


def test_it_needs_every_typed_word_to_match_the_name(world, crowd):
    assert "Guadalupe Hernández" not in find(world.coordinator, "Guadalupe Smith")
    assert find(world.coordinator, "John Smith") == ["John Smith"]


def test_it_finds_nobody_for_a_name_nobody_has(world, crowd):
    assert find(world.coordinator, "Xochiquetzal") == []
    assert find(world.coordinator, "zzzz qqqq") == []


def test_it_finds_a_renamed_person_by_their_new_name(world, crowd):
    services.person_update(
        actor=world.coordinator,
        person=crowd["smith"],
        data={"legal_family_name": "Okonkwo-Adeyemi"},
        version=None,
    )
    assert find(world.coordinator, "okonkwo") == ["John Okonkwo-Adeyemi"]
    assert find(world.coordinator, "adeyemi") == ["John Okonkwo-Adeyemi"]
    assert "John Okonkwo-Adeyemi" not in find(world.coordinator, "John Smith")


def test_it_finds_names_on_a_page_bounded_by_the_limit(world, crowd):
    c = world.coordinator
    for given in ["Ana", "Anna", "Ana María", "Ana Lucía"]:
        make_person(c, world.housing, legal_given_name=given, legal_family_name="Reyes")
    found = selectors.people_search(c, "reyes", limit=2)
    assert len(found) == 2
    assert all(p.legal_family_name == "Reyes" for p in found)
    assert len(selectors.people_search(c, "reyes")) == 4


@pytest.mark.parametrize("query", ["Ana Reyes", "ana reyse"])
def test_it_puts_the_exact_name_first_among_many_with_the_same_words(world, crowd, query):
    c = world.coordinator
    for middle in ["María", "Lucía", "Sofía", "Paula", "Inés", "Rosa"]:
        make_person(c, world.housing, legal_given_name=f"Ana {middle}", legal_family_name="Reyes")
    make_person(c, world.housing, legal_given_name="Ana", legal_family_name="Reyes")
    assert find(c, query, limit=3)[0] == "Ana Reyes"


def test_it_orders_equally_good_matches_by_family_name(world, crowd):
    c = world.coordinator
    for family in ["Zapata", "Abara", "Moreno"]:
        make_person(c, world.housing, legal_given_name="Ximena", legal_family_name=family)
    assert find(c, "ximena") == ["Ximena Abara", "Ximena Moreno", "Ximena Zapata"]


def test_it_puts_the_names_scoring_best_first_among_more_than_a_page(world, crowd):
    """One typed word whose best name word holds more than a page of people: the names
    scoring above that word come first, wherever they are in the table. "pier" is part of
    "pierce"; "tucker pierce" has every trigram of it, "er " from the word before."""
    c = world.coordinator
    for n in range(30):
        given = ["Ann", "Beth", "Cora", "Dana", "Eva", "Fay"][n % 6]
        make_person(c, world.housing, legal_given_name=given, legal_family_name="Pierce")
    best = make_person(
        c, world.housing, legal_given_name="Destiny", legal_family_name="Tucker-Pierce"
    )
    for _ in range(2):
        found = selectors.people_search(c, "pier")
        assert len(found) == 25
        assert found[0].pk == best.pk
        assert found[0].name_score > found[1].name_score  # type: ignore[attr-defined]


# --- dates, phones, identifiers ---------------------------------------------------------


@pytest.mark.parametrize("query", ["03/09/1984", "1984-03-09", "3/9/1984", "03-09-1984"])
def test_it_finds_a_person_by_date_of_birth(world, crowd, query):
    assert find(world.coordinator, query) == ["Guadalupe Hernández"]


@pytest.mark.parametrize(
    "query", ["(212) 736-4471", "212.736.4471", "2127364471", "+1 212 736 4471", "1-212-736-4471"]
)
def test_it_finds_a_person_by_phone_however_it_is_typed(world, crowd, query):
    services.contact_point_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "phone", "value": "212-736-4471"},
    )
    assert find(world.coordinator, query) == ["Guadalupe Hernández"]


@pytest.mark.parametrize("query", ["MRN-0042-17", "mrn004217", "MRN 0042 17"])
def test_it_finds_a_person_by_identifier(world, crowd, query):
    services.identifier_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "mrn", "issuer": "Riverbend EHR", "value": "MRN-0042-17"},
    )
    assert find(world.coordinator, query) == ["Guadalupe Hernández"]


def test_it_finds_a_date_of_birth_typed_with_a_name_nobody_has(world, crowd):
    assert find(world.coordinator, "1990-01-02") == ["Ana García Márquez"]
    assert find(world.coordinator, "zzyzx 1990-01-02") == []


def test_it_does_not_take_a_phone_for_a_name_or_a_date(world, crowd):
    services.contact_point_create(
        actor=world.coordinator,
        person=crowd["smith"],
        data={"kind": "phone", "value": "(212) 736-4471"},
    )
    assert find(world.coordinator, "212-736-4471") == ["John Smith"]


# --- scope ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Guadalupe Hernández", "hernandes", "Hern", "03/09/1984", "(212) 736-4471", "MRN-0042-17"],
)
def test_it_finds_only_people_the_searcher_may_see(world, crowd, query):
    services.contact_point_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "phone", "value": "(212) 736-4471"},
    )
    services.identifier_create(
        actor=world.coordinator,
        person=world.person,
        data={"kind": "mrn", "issuer": "Riverbend EHR", "value": "MRN-0042-17"},
    )
    assert "Guadalupe Hernández" in find(world.coordinator, query)
    assert "Guadalupe Hernández" in find(world.admin, query)
    assert "Guadalupe Hernández" in find(world.supervisor, query)
    assert find(world.colleague, query) == []
    assert find(world.outsider, query) == []


def test_it_finds_people_of_another_program_only_for_their_staff(world, crowd):
    other = make_person(
        world.outsider,
        world.other_program,
        legal_given_name="Guadalupe",
        legal_family_name="Hernández",
    )
    assert find(world.outsider, "guadalupe hernandez") == ["Guadalupe Hernández"]
    coordinator_sees = [p.pk for p in selectors.people_search(world.coordinator, "guadalupe")]
    assert other.pk not in coordinator_sees
    assert world.person.pk in coordinator_sees


def test_it_records_each_search_in_the_audit_trail(world, crowd):
    from alongside.audit.models import AuditEvent

    find(world.coordinator, "hernandez")
    event = AuditEvent.objects.filter(action="search").latest("id")
    assert event.actor_id == world.coordinator.pk
    assert event.detail == {"query": "hernandez", "results": 1}


# --- the rules themselves -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("word", "two words", 0.8),
        ("her", "juan hernandez", 0.75),
        ("ern", "juan hernandez", 0.25),
        ("al", "alex kim", 2 / 3),
        ("jon", "john smith", 0.5),
        ("maria garcia", "maria guadalupe garcia lopez", 7 / 12),
        ("garcia maria", "maria garcia", 1.0),
        ("", "anything", 0.0),
    ],
)
def test_it_scores_words_like_pg_trgm(query, text, expected):
    assert word_similarity(query, text) == pytest.approx(expected, abs=1e-6)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with pg_trgm itself")
@pytest.mark.django_db
def test_it_scores_exactly_as_pg_trgm_does():
    texts = [
        normalize(t)
        for t in [
            "Guadalupe Hernández Lupe",
            "María de los Ángeles García Márquez",
            "Nguyễn Thị Lan",
            "Łukasz Wiśniewski",
            "Siobhán O'Brien",
            "Oluwaseun Adébáyọ̀",
            "Jean-Baptiste Pierre",
            "Two Bulls Vernon",
            "محمد عبد الله",
            "Ma. Teresa Dela Cruz",
        ]
    ]
    queries = [
        "hernandes",
        "maria garcia",
        "nguyen",
        "lukas",
        "obrien",
        "seun",
        "jean",
        "bulls",
        "محمد",
        "dela",
        "ma teresa",
        "a",
        "xyz",
        "garcia maria lopez",
    ]
    pairs = [(q, t) for q in queries for t in texts]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word_similarity(q, t) FROM unnest(%s::text[], %s::text[]) AS x(q, t)",
            [[q for q, _ in pairs], [t for _, t in pairs]],
        )
        expected = [row[0] for row in cursor.fetchall()]
    assert [word_similarity(q, t) for q, t in pairs] == pytest.approx(expected, abs=1e-6)


def test_it_matches_each_typed_word_against_each_name_word():
    assert word_matches("hern", "hernandez")
    assert word_matches("ernan", "hernandez")  # inside the word
    assert word_matches("hernandes", "hernandez")  # a typo
    assert word_matches("al", "alex")  # a short start
    assert not word_matches("al", "khalid")  # too short to match inside
    assert not word_matches("smith", "hernandez")
    assert name_word_match("lupe", "guadalupe hernandez lupe")
    assert not name_word_match("lupe", "")


@pytest.mark.parametrize(
    ("typed", "word", "expected"),
    [
        ("simth", "smith", True),  # swapped
        ("hernandes", "hernandez", True),  # replaced
        ("hernndez", "hernandez", True),  # dropped
        ("herrnandez", "hernandez", True),  # added
        ("smithh", "smith", True),  # added at the end
        ("smith", "smyth", True),
        ("smith", "smith", False),  # no slip at all
        ("mith", "smith", False),  # the first letter counts
        ("jon", "jan", False),  # too short to tell
        ("simth", "simon", False),
        ("smtih", "smith", True),
        ("hernandez", "fernandez", False),
    ],
)
def test_it_recognizes_one_slip_of_the_keyboard(typed, word, expected):
    assert one_slip(typed, word) is expected


def test_it_scores_exact_above_slips_above_merely_similar_words():
    assert word_score("smith", "smith") == 1.0
    assert word_score("simth", "smith") == pytest.approx(0.7)
    assert 0 < word_score("simth", "simon") < 0.7
    assert word_score("xyz", "smith") == 0.0
    assert match_score("john simth", "john smith") == pytest.approx(0.85)
    assert match_score("john simth", "") == 0.0
    assert match_score("john simth", "john smith") > match_score("john simth", "john simon")


def test_it_reads_what_a_query_may_mean():
    terms = parse_query("  03/09/1984 ")
    assert terms.born == dt.date(1984, 3, 9)
    assert not terms.names
    terms = parse_query("(212) 736-4471")
    assert terms.phone == "+12127364471"
    assert not terms.names
    terms = parse_query("Hernández-García")
    assert terms.words == ["hernandez", "garcia"]
    assert terms.names
    assert terms.identifier == "HERNNDEZGARCA"  # identifiers keep ASCII letters and digits


def test_search_filters_any_queryset_of_people(world, crowd):
    found = search(Person.objects.filter(organization=world.org), "ana")
    assert {p.legal_name for p in found} >= {"Ana García Márquez", "Ana Garza"}


ONLY_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="tiers are read from PostgreSQL's name-word index"
)


def tier_people(people, tier):
    """The people of one tier, filtered through the ORM word by word."""
    named = people.alias(words=NameWords(F("search_text")))
    return set(named.filter(*[Q(words__overlap=w) for w in tier]).values_list("pk", flat=True))


@ONLY_POSTGRES
@pytest.mark.parametrize("query", ["ana", "ana garcia", "ana garsia", "garcia ana", "gua her"])
def test_tiers_run_with_their_words_as_parameters_find_each_tiers_people(world, crowd, query):
    for user in [world.coordinator, world.admin]:
        people = selectors.people_for(user)
        matches = name_words_matching(parse_query(query).words)
        tiers = [tier_people(people, tier) for tier in _tiers(matches)]
        assert tiers[0]
        assert set(named_people(people, matches, 1000)) == tiers[-1]
        assert set(named_people(people, matches, len(tiers[0]))) == tiers[0]


@ONLY_POSTGRES
def test_tiers_read_nobody_for_a_searcher_who_sees_nobody(world, crowd):
    matches = name_words_matching(["ana"])
    assert named_people(Person.objects.none(), matches, 25) == []


@ONLY_POSTGRES
@pytest.mark.parametrize(
    "query, tier",
    [
        # Several words of four letters or more, few matches: every match, in one query.
        ("lupe hernandez", -1),
        ("guadalupe hernandes", -1),
        ("garcia marquez", -1),
        # One word, or a short one: the best tier first, which fills a page of its size.
        ("ana garcia", 0),
        ("gua her", 0),
        ("garcia", 0),
    ],
)
def test_a_name_search_reads_in_one_query_the_tier_it_asks_first(
    world, crowd, query, tier, django_assert_num_queries
):
    people = selectors.people_for(world.coordinator)
    typed = parse_query(query).words
    matches = name_words_matching(typed)
    expected = tier_people(people, _tiers(matches)[tier])
    assert 0 < len(expected) <= 25
    limit = 25 if tier == -1 else len(expected)
    with django_assert_num_queries(1):
        assert set(named_people(people, matches, limit, typed)) == expected


@ONLY_POSTGRES
def test_a_search_of_several_words_with_more_matches_than_the_limit_reads_the_best_first(
    world, crowd, django_assert_num_queries
):
    c = world.coordinator
    for given in ["Ana", "Annabel", "Anna María", "Anna Lucía"]:
        make_person(c, world.housing, legal_given_name=given, legal_family_name="Reyes")
    exact = make_person(c, world.housing, legal_given_name="Anna", legal_family_name="Reyes")
    people = selectors.people_for(c)
    typed = ["anna", "reyes"]
    matches = name_words_matching(typed)
    assert len(tier_people(people, _tiers(matches)[-1])) > 2
    # Every match (too many), then the exact name, which fills the page of one.
    with django_assert_num_queries(2):
        assert named_people(people, matches, 1, typed) == [exact.pk]
    tiers = [tier_people(people, tier) for tier in _tiers(matches)]
    assert exact.pk in named_people(people, matches, 2, typed)
    assert set(named_people(people, matches, 2, typed)) <= tiers[0]


@ONLY_POSTGRES
def test_a_kept_tier_statement_runs_with_each_searchs_own_words_and_exact_name(world, crowd):
    """Searches of as many words share one compiled statement per key (the scope); each
    finds what a search compiled for itself finds, the exact name's tier included."""
    c = world.coordinator
    make_person(c, world.housing, legal_given_name="Ana", legal_family_name="Reyes")
    key = ("test", object())
    people = selectors.people_for(c)
    for query in ["ana garcia", "lupe hernandez", "ana reyes", "garza ana", "ana"]:
        matches = name_words_matching(parse_query(query).words)
        for limit in [1, 25]:
            expected = named_people(people, matches, limit, parse_query(query).words)
            assert expected
            kept = named_people(people, matches, limit, parse_query(query).words, key=key)
            assert kept == expected, query


@ONLY_POSTGRES
def test_a_kept_tier_statement_is_not_built_again(world, crowd, monkeypatch):
    people = selectors.people_for(world.coordinator)
    key = ("test", object())
    matches = name_words_matching(["ana", "garcia"])
    assert named_people(people, matches, 1, ["ana", "garcia"], key=key) == [crowd["ana"].pk]
    matches = name_words_matching(["ana", "garza"])
    expected = named_people(people, matches, 1, ["ana", "garza"])
    assert expected == [crowd["garza"].pk]  # the exact name fills a page of one

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(search_module.HasNameWordIn, "as_sql", no_compiling)
    assert named_people(people, matches, 1, ["ana", "garza"], key=key) == expected
    with pytest.raises(AssertionError, match="compiled again"):
        named_people(people, matches, 1, ["ana", "garza"], key=("test", object()))


@ONLY_POSTGRES
@pytest.mark.parametrize(
    "query",
    [
        "ana",
        "ana garcia",
        "garsia",
        "1990-01-02",
        "ana 1990-01-02",
        "zzyzx 1990-01-02",
        "(212) 736-4471",
        "MRN-0042-17",
        "zzyzx",
        "",
    ],
)
def test_a_kept_results_page_reads_what_the_orm_reads(world, crowd, query):
    """The results page's statement is kept per key and shape of query; each search runs
    it with its own ids, words, phrase, date, phone and identifier."""
    c = world.coordinator
    services.contact_point_create(
        actor=c, person=crowd["smith"], data={"kind": "phone", "value": "212-736-4471"}
    )
    services.identifier_create(
        actor=c,
        person=world.person,
        data={"kind": "mrn", "issuer": "Riverbend EHR", "value": "MRN-0042-17"},
    )
    people = selectors.people_for(c)
    key = ("test", object())
    # Worked out here, in Python, row by row: who matches, and how well by name.
    terms = parse_query(query)
    by_phone = set(
        ContactPoint.objects.filter(kind="phone", normalized=terms.phone).values_list(
            "person_id", flat=True
        )
    )
    by_identifier = set(
        Identifier.objects.filter(normalized=terms.identifier).values_list("person_id", flat=True)
    )

    def matches(person: Person) -> bool:
        words = person.search_text.split()
        return (
            (terms.names and all(any(word_matches(t, w) for w in words) for t in terms.words))
            or (terms.born is not None and person.date_of_birth == terms.born)
            or (bool(terms.phone) and person.pk in by_phone)
            or (bool(terms.identifier) and person.pk in by_identifier)
        )

    matching = {p.pk: p for p in people if matches(p)}
    assert len(matching) < 25
    for limit in [25, 1]:
        for _ in range(2):
            kept = search_page(people, query, limit=limit, key=key)
            assert len(kept) == min(limit, len(matching))
            assert {p.pk for p in kept} <= set(matching)
            scores = [p.match_score for p in kept]
            assert scores == [
                pytest.approx(match_score(terms.phrase if terms.names else "", p.search_text))
                for p in kept
            ]
            assert scores == sorted(scores, reverse=True)
            if limit == 1 and kept:  # the best: no one matching scores better
                assert all(
                    match_score(terms.phrase if terms.names else "", p.search_text)
                    <= scores[0] + 1e-9
                    for p in matching.values()
                )
    assert {p.pk for p in search_page(people, query, limit=25, key=key)} == set(matching)


@ONLY_POSTGRES
def test_a_kept_results_page_is_not_built_again(world, crowd, monkeypatch):
    people = selectors.people_for(world.coordinator)
    key = ("test", object())
    assert [p.pk for p in search_page(people, "ana garcia", limit=1, key=key)] == [crowd["ana"].pk]

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(search_module.KnownMatchScore, "as_sql", no_compiling)
    found = search_page(people, "ana garza", limit=1, key=key)
    assert [p.pk for p in found] == [crowd["garza"].pk]
    with pytest.raises(AssertionError, match="compiled again"):
        search_page(people, "ana garza", limit=1, key=("test", object()))


@ONLY_POSTGRES
def test_kept_results_pages_neither_crowd_out_nor_empty_the_person_pages_statements(
    world, crowd, monkeypatch
):
    from alongside.lib import compiled

    monkeypatch.setattr(search_module, "KEPT_PAGES_LIMIT", 2)
    monkeypatch.setattr(search_module, "_KEPT_PAGES", {})
    monkeypatch.setitem(compiled._row_statements, ("test.person_page", 1), None)
    people = selectors.people_for(world.coordinator)
    for n in range(3):  # the third fills the results pages' store: it starts again
        assert search_page(people, "ana garcia", limit=1, key=("test", n))
    assert len(search_module._KEPT_PAGES) == 1
    assert ("test.person_page", 1) in compiled._row_statements
    assert not any(name == "people.search_page" for name, _ in compiled._row_statements)


def test_search_sees_a_new_program_once_the_scope_changes(world, crowd):
    """The visible people kept per scope follow a change of memberships."""
    c = world.coordinator
    elsewhere = make_person(
        world.colleague, world.wellness, legal_given_name="Ana", legal_family_name="Wellbeing"
    )
    assert "Ana Wellbeing" not in find(c, "ana")
    add_role(c, Role.COORDINATOR, program=world.wellness)
    forget_scope(c)
    assert "Ana Wellbeing" in find(c, "ana")
    assert elsewhere.pk in {p.pk for p in selectors.people_search(c, "wellbeing")}


def test_search_no_longer_finds_a_programs_people_once_the_membership_ends(world, crowd):
    """The privacy direction: a user taken out of a program no longer finds its people,
    however recently they searched it."""
    c = world.coordinator
    elsewhere = make_person(
        world.colleague, world.wellness, legal_given_name="Ana", legal_family_name="Wellbeing"
    )
    membership = add_role(c, Role.COORDINATOR, program=world.wellness)
    forget_scope(c)
    assert "Ana Wellbeing" in find(c, "ana")
    assert elsewhere.pk in {p.pk for p in selectors.people_search(c, "wellbeing")}
    membership.delete()
    forget_scope(c)
    assert "Ana Wellbeing" not in find(c, "ana")
    assert elsewhere.pk not in {p.pk for p in selectors.people_search(c, "wellbeing")}
    assert "Guadalupe Hernández" in find(c, "guadalupe")  # their own program's, still


@ONLY_POSTGRES
def test_a_search_that_needs_every_match_again_reads_it_once(
    world, crowd, django_assert_num_queries
):
    """Every match is asked first; when it holds more than a page and the better tiers
    fill less than one, the page ends with the ids that first read found: the same
    statement with the same words is not asked again."""
    c = world.coordinator
    for given in ["Anna", "Annabel", "Anabel", "Annette", "Hannah", "Anya"]:
        make_person(c, world.housing, legal_given_name=given, legal_family_name="Reyes")
    people = selectors.people_for(c)
    typed = ["anna", "reyes"]
    matches = name_words_matching(typed)
    tiers = [tier_people(people, tier) for tier in _tiers(matches)]
    limit = len(tiers[-1]) - 1
    assert len(tiers) > 1
    assert len(tiers[-2]) < limit  # the better tiers do not fill the page
    statements = len(tiers) + 1  # every match, the exact name, the tiers but the last
    with django_assert_num_queries(statements):
        found = named_people(people, matches, limit, typed)
    assert len(found) == limit
    assert tiers[-2] <= set(found) <= tiers[-1]


# --- the two plans: a small scope's people read first, or the name-word index first ---


@pytest.fixture
def plan(monkeypatch):
    """Force a plan: "scope" reads every searcher's people first, "index" none."""

    def force(name):
        below = 10**9 if name == "scope" else 0
        monkeypatch.setattr(search_module, "SCOPE_FIRST_BELOW", below)
        search_module._reach_sizes.clear()

    return force


BOTH_PLANS_QUERIES = [
    "ana",
    "an",
    "ana garcia",
    "garcia ana",
    "garsia",
    "gua her",
    "lupe hernandez",
    "hernandes",
    "reyes",
    "anna reyes",
    "ana reyes",
    "marie claire",
    "obrien",
    "mohammed",
    "zzyzx",
    "ana 1990-01-02",
    "1990-01-02",
]


def ranked(user, query, limit) -> list[Any]:
    return selectors.people_search(user, query, limit=limit)


def pages_by_plan(plan, user, limit, queries=BOTH_PLANS_QUERIES):
    pages = {}
    for name in ["index", "scope"]:
        plan(name)
        pages[name] = {
            query: [(p.pk, p.match_score, p.name_score) for p in ranked(user, query, limit)]
            for query in queries
        }
    return pages


@pytest.fixture
def reyes(world, crowd):
    """More than a page of one small test's size with the same words, scoring apart."""
    c = world.coordinator
    for given in ["Ana", "Anna", "Annabel", "Anabel", "Anna María", "Hannah", "Ana Sofía"]:
        make_person(c, world.housing, legal_given_name=given, legal_family_name="Reyes")
    make_person(c, world.housing, legal_given_name="Reyes", legal_family_name="Anaya")


@ONLY_POSTGRES
def test_both_plans_find_the_same_people_in_the_same_order(world, crowd, reyes, plan):
    for user in [world.coordinator, world.admin, world.supervisor, world.colleague]:
        pages = pages_by_plan(plan, user, 25)
        assert pages["scope"] == pages["index"], user
    assert any(pages_by_plan(plan, world.coordinator, 25, ["ana"])["scope"]["ana"])


@ONLY_POSTGRES
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_both_plans_fill_a_short_page_from_the_same_tier(world, crowd, reyes, plan, limit):
    """More matches than the page: both plans take the same tiers whole and fill the
    page from the same next tier. Which of that tier's people come is up to the index's
    plan (as the index gives them); reading the scope first takes the best ranked, so
    each place of its page scores at least as well, and the same where the tier's people
    score alike."""
    pages = pages_by_plan(plan, world.coordinator, limit)
    for query in BOTH_PLANS_QUERIES:
        index, scope = pages["index"][query], pages["scope"][query]
        assert len(scope) == len(index), query
        assert all(s[1:] >= i[1:] for s, i in zip(scope, index, strict=True)), query


@ONLY_POSTGRES
def test_a_small_scope_is_read_first_in_one_statement(world, crowd, reyes, plan):
    plan("scope")
    selectors.people_search(world.coordinator, "ana")  # the scope counted
    with CaptureQueriesContext(connection) as read:
        found = selectors.people_search(world.coordinator, "anna reyes")
    assert found
    statements = [q["sql"] for q in read.captured_queries]
    assert sum("CROSS JOIN LATERAL" in sql for sql in statements) == 1
    assert not any("UNION ALL SELECT -1" in sql for sql in statements)  # kept
    plan("index")
    with CaptureQueriesContext(connection) as read:
        assert selectors.people_search(world.coordinator, "anna reyes") == found
    assert not any("CROSS JOIN LATERAL" in q["sql"] for q in read.captured_queries)


@ONLY_POSTGRES
def test_a_scope_is_counted_with_the_name_words_and_again_once_old(world, crowd, monkeypatch):
    search_module._reach_sizes.clear()

    def counted(query):
        with CaptureQueriesContext(connection) as read:
            selectors.people_search(world.coordinator, query)
        return any("UNION ALL SELECT -1" in q["sql"] for q in read.captured_queries)

    assert counted("ana")
    assert not counted("garza")
    assert not counted("1990-01-02")  # no name: nothing to choose
    monkeypatch.setattr(search_module, "REACH_KEPT_FOR", -1.0)  # every count is old
    assert counted("ana")
    sizes = list(search_module._reach_sizes.values())
    assert [size for _, size in sizes] == [world.housing.enrollments.count()]


@ONLY_POSTGRES
def test_a_small_scope_read_first_still_shows_only_whom_the_rule_shows(world, crowd, plan):
    """The scope's rows are where the read starts; `visible_to` still decides: a person
    merged into another is not found, another program's is not."""
    plan("scope")
    twin = make_person(
        world.coordinator, world.housing, legal_given_name="Ana", legal_family_name="Garza"
    )
    Person.objects.filter(pk=twin.pk).update(merged_into=crowd["garza"])
    elsewhere = make_person(
        world.colleague, world.wellness, legal_given_name="Ana", legal_family_name="Garza"
    )
    found = {p.pk for p in selectors.people_search(world.coordinator, "ana garza")}
    assert crowd["garza"].pk in found
    assert twin.pk not in found
    assert elsewhere.pk not in found
    assert elsewhere.pk in {p.pk for p in selectors.people_search(world.admin, "ana garza")}
