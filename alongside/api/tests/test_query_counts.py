"""Query counts of the API's reads are pinned and do not grow with the data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.people import services
from conftest import add_people

# Appending an audit event: one statement on PostgreSQL; head lock, insert and head
# update elsewhere (see audit/services.py).
AUDIT = 1 if connection.vendor == "postgresql" else 3
# The token, with its user and their memberships (so the scope): read on its first use,
# then not again for API_TOKEN_CACHE_SECONDS (accounts/tokens.py).
TOKEN = 1
# token, the page, languages (on PostgreSQL with the page: people/related_rows.py), audit
LANGUAGES = 0 if connection.vendor == "postgresql" else 1
PEOPLE_LIST = 2 + LANGUAGES + AUDIT
# ... and a COUNT when the page is full, so the total is not known from the page
PEOPLE_LIST_FULL_PAGE = 3 + LANGUAGES + AUDIT
# token, the search, languages, audit; on PostgreSQL the search first resolves the typed
# words to name words (see people/search.py), a few more, but never per row
SEARCH_AT_MOST = 10
# token, person with profile and organization, the three prefetches the answer shows
# (languages, contact points, enrollments with program and coordinator), audit; on
# PostgreSQL the three come with the person (people/related_rows.py)
PERSON = (2 if connection.vendor == "postgresql" else 5) + AUDIT


def test_it_pins_the_people_list(world, api_as, clock, django_assert_num_queries):
    api = api_as(world.coordinator)
    add_people(world, 2)
    with django_assert_num_queries(PEOPLE_LIST):
        assert api.get("/people").json()["count"] == 3
    add_people(world, 12)
    with django_assert_num_queries(PEOPLE_LIST - TOKEN):
        assert len(api.get("/people").json()["results"]) == 15


def test_it_pins_a_full_page_of_the_people_list(world, api_as, clock, django_assert_num_queries):
    api = api_as(world.coordinator)
    add_people(world, 4)
    with django_assert_num_queries(PEOPLE_LIST_FULL_PAGE):
        assert api.get("/people", {"limit": 2}).json()["count"] == 5
    add_people(world, 10)
    with django_assert_num_queries(PEOPLE_LIST_FULL_PAGE - TOKEN):
        assert api.get("/people", {"limit": 2, "page": 3}).json()["count"] == 15


def test_it_pins_search(world, api_as, clock):
    api = api_as(world.coordinator)
    add_people(world, 2)
    with CaptureQueriesContext(connection) as few:
        assert api.get("/people", {"q": "lupe"}).json()["count"] == 3
    add_people(world, 12)
    with CaptureQueriesContext(connection) as many:
        assert api.get("/people", {"q": "lupe"}).json()["count"] == 15
    assert len(few) - TOKEN == len(many) <= SEARCH_AT_MOST
    if connection.vendor == "sqlite":
        assert len(many) == 3 + AUDIT - TOKEN


def test_it_pins_reading_a_person(world, api_as, clock, django_assert_num_queries):
    api = api_as(world.coordinator)
    path = f"/people/{world.person.pk}"
    with django_assert_num_queries(PERSON):
        assert api.get(path).status_code == 200
    for n in range(5):
        services.contact_point_create(
            actor=world.coordinator,
            person=world.person,
            data={"kind": "phone", "value": f"212-555-01{n:02d}"},
        )
        services.language_add(
            actor=world.coordinator,
            person=world.person,
            data={"language": ["es", "fr", "vi", "ar", "zh"][n]},
        )
    services.enrollment_create(
        actor=world.admin,
        person=world.person,
        program=world.wellness,
        data={"primary_coordinator": world.colleague},
    )
    with django_assert_num_queries(PERSON - TOKEN):
        body = api.get(path).json()
    counts = (len(body["contact_points"]), len(body["languages"]), len(body["enrollments"]))
    assert counts == (5, 5, 2)
