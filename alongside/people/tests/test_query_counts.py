"""Query counts of the busiest pages are pinned and do not grow with the data."""

from django.db import connection
from django.urls import reverse

from alongside.people import services
from conftest import LANGUAGES_INLINE, NAV_COUNTS, add_people

# session, user, scope, the page's reads, the navigation's counts (NAV_COUNTS), audit
# (head lock, insert, head update; one statement on PostgreSQL). The session is not
# saved: its expiry is refreshed at most once a minute (accounts/sessions.py).
AUDIT_SAVING = 2 if connection.vendor == "postgresql" else 0
PEOPLE_LIST = 8 - AUDIT_SAVING - LANGUAGES_INLINE + NAV_COUNTS
# On PostgreSQL a name search first resolves the typed words to name words (counting
# the rows the scope starts from in the same statement), then reads people: a small
# scope's in one statement, a large one's tier by tier from the name-word index, best
# words first (people/search.py): for "lupe" here, two more queries, whatever the number
# of people.
NAME_LOOKUPS = 2 if connection.vendor == "postgresql" else 0
SEARCH = 8 - AUDIT_SAVING - LANGUAGES_INLINE + NAME_LOOKUPS + NAV_COUNTS
# Intake's urgent alert and "Needs and screenings" panel add three reads, however many
# there are: urgent flags (open, and closed in the last 30 days, with what was done, read
# once for both), needs with their source screening, and the latest screenings joined to
# their scores (intake/panel.py).
# intake/tests/test_record_views.py pins the page again with screenings on the record.
SCREENING_PANEL = 3
# The "Open tasks" panel reads the person's open tasks in one query (tasks/selectors.py),
# the "Journey" panel the latest timeline entries in one (people/timeline.py), and
# "Recent encounters" the latest encounters in one (encounters/selectors.py). The "Plan"
# panel: open plans with their open steps counted, and their goals (plans/selectors.py).
TASKS_PANEL = 1
JOURNEY_PANEL = 1
ENCOUNTERS_PANEL = 1
PLAN_PANEL = 2
# "Appointments": the latest appointments, the attendance counts counted from them (a
# second query only past 200 appointments; scheduling/selectors.py).
APPOINTMENTS_PANEL = 1
# "Texts stopped by the person": the person's numbers that replied STOP (messaging/selectors.py).
TEXTS_STOPPED_PANEL = 1
# On PostgreSQL the person's languages, identifiers, contact points, support contacts and
# enrollments come with the person in one query instead of six (people/related_rows.py).
INLINE_ROWS = 5 if connection.vendor == "postgresql" else 0
PERSON_PAGE = (
    12
    - AUDIT_SAVING
    - INLINE_ROWS
    + SCREENING_PANEL
    + TASKS_PANEL
    + JOURNEY_PANEL
    + ENCOUNTERS_PANEL
    + PLAN_PANEL
    + APPOINTMENTS_PANEL
    + TEXTS_STOPPED_PANEL
    + NAV_COUNTS
)


def test_it_pins_the_people_list(client, world, django_assert_num_queries):
    client.force_login(world.coordinator)
    add_people(world, 3)
    with django_assert_num_queries(PEOPLE_LIST):
        client.get(reverse("people:list"))
    add_people(world, 10)
    with django_assert_num_queries(PEOPLE_LIST):
        client.get(reverse("people:list"))


def test_it_pins_search(client, world, django_assert_num_queries):
    client.force_login(world.coordinator)
    add_people(world, 3)
    with django_assert_num_queries(SEARCH):
        client.get(reverse("people:list"), {"q": "lupe"})
    add_people(world, 10)
    with django_assert_num_queries(SEARCH):
        client.get(reverse("people:list"), {"q": "lupe"})


def test_it_pins_the_person_page(client, world, django_assert_num_queries):
    client.force_login(world.coordinator)
    url = reverse("people:detail", args=[world.person.pk])
    with django_assert_num_queries(PERSON_PAGE):
        client.get(url)
    for n in range(5):
        services.contact_point_create(
            actor=world.coordinator,
            person=world.person,
            data={"kind": "phone", "value": f"212-555-01{n:02d}"},
        )
        services.support_contact_create(
            actor=world.coordinator,
            person=world.person,
            data={"name": f"Friend {n}", "relationship": "friend"},
        )
    with django_assert_num_queries(PERSON_PAGE):
        client.get(url)
