"""PostgreSQL: a search reads the name-word index entries of the searcher's organizations
alone (index person_org_name_words, migration 0012), and an enrollment is only ever in a
program of the person's own organization (migration 0013), which that relies on."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from alongside.accounts.models import Membership, Role
from alongside.accounts.scope import forget_scope, scope_for
from alongside.people import search as search_module
from alongside.people import selectors
from alongside.people.models import Enrollment, Person, organizations_reached
from alongside.people.search import (
    OrgNameWords,
    name_words_matching,
    named_people,
    parse_query,
)
from conftest import add_role, make_person

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index and the trigger are PostgreSQL's"
)

QUERIES = ["ana", "an", "ana garcia", "garsia", "gua her", "reyes", "ana reyes", "herrera"]


@pytest.fixture
def namesakes(world):
    """The same names in both organizations and in both of the first's programs."""
    people = []
    for program, actor in [
        (world.housing, world.coordinator),
        (world.wellness, world.colleague),
        (world.other_program, world.outsider),
    ]:
        for given, family in [("Ana", "García"), ("Ana", "Reyes"), ("Guadalupe", "Herrera")]:
            people.append(
                make_person(actor, program, legal_given_name=given, legal_family_name=family)
            )
    return people


def test_a_scope_reaches_the_organizations_of_its_programs_and_those_it_administers(world):
    assert organizations_reached(scope_for(world.coordinator)) == (world.org.pk,)
    assert organizations_reached(scope_for(world.admin)) == (world.org.pk,)
    assert organizations_reached(scope_for(world.outsider)) == (world.other_org.pk,)
    add_role(world.outsider, Role.ORG_ADMIN, organization=world.org)
    forget_scope(world.outsider)
    both = tuple(sorted([world.org.pk, world.other_org.pk]))
    assert organizations_reached(scope_for(world.outsider)) == both


@pytest.mark.parametrize("query", QUERIES)
def test_the_tiers_find_the_same_people_through_their_organizations_entries(
    world, namesakes, query
):
    matches = name_words_matching(parse_query(query).words)
    assert all(matches)
    add_role(world.colleague, Role.COORDINATOR, program=world.other_program)  # in both
    forget_scope(world.colleague)
    for user in [world.coordinator, world.colleague, world.admin, world.outsider]:
        people = selectors.people_for(user)
        organizations = organizations_reached(scope_for(user))
        everyone = named_people(people, matches, 1000)
        assert named_people(people, matches, 1000, organizations=organizations) == everyone
        assert named_people(people, matches, 1, organizations=organizations)[0] in everyone


def test_a_searcher_in_two_organizations_finds_the_namesakes_of_both(world, namesakes):
    add_role(world.colleague, Role.COORDINATOR, program=world.other_program)
    forget_scope(world.colleague)
    search_module._reach_sizes.clear()
    found = {p.pk for p in selectors.people_search(world.colleague, "ana garcia")}
    wanted = {
        p.pk
        for p in namesakes
        if p.legal_family_name == "García" and p.enrollments.get().program != world.housing
    }
    assert found == wanted  # wellness's Ana García, and the other organization's


def test_a_search_finds_only_its_organizations_namesakes(world, namesakes):
    theirs = {p.pk for p in namesakes if p.organization_id == world.other_org.pk}
    ours = {p.pk for p in namesakes} - theirs
    found = {p.pk for p in selectors.people_search(world.admin, "ana")}
    assert found & ours and not found & theirs
    found = {p.pk for p in selectors.people_search(world.outsider, "ana")}
    assert found & theirs and not found & ours


def test_a_search_reads_its_organizations_name_words(world, namesakes, monkeypatch):
    monkeypatch.setattr(search_module, "SCOPE_FIRST_BELOW", 0)  # the index's plan
    search_module._reach_sizes.clear()
    with CaptureQueriesContext(connection) as read:
        found = selectors.people_search(world.coordinator, "ana reyes")
    assert found
    prefixed = f"'{{{world.org.pk}:ana"
    assert any(prefixed in q["sql"] for q in read.captured_queries)


def test_the_organizations_name_words_are_the_indexs_expression(world, namesakes):
    """PostgreSQL uses an expression index only for the very same expression."""
    words = Person.objects.alias(words=OrgNameWords(F("organization_id"), F("search_text")))
    query = words.filter(words__overlap=[f"{world.org.pk}:ana"]).values("pk").query
    sql, params = query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
        cursor.execute(sql, params)
        found = {pk for (pk,) in cursor.fetchall()}
    assert "person_org_name_words" in plan
    ours = {p.pk for p in namesakes if p.organization_id == world.org.pk}
    assert found == {pk for pk in ours if Person.objects.get(pk=pk).legal_given_name == "Ana"}


def test_an_enrollment_in_another_organizations_program_is_refused(world):
    with (
        pytest.raises(IntegrityError, match="program of another organization"),
        transaction.atomic(),
    ):
        Enrollment.objects.create(person=world.person, program=world.other_program)
    enrollment = world.person.enrollments.get()
    with (
        pytest.raises(IntegrityError, match="program of another organization"),
        transaction.atomic(),
    ):
        Enrollment.objects.filter(pk=enrollment.pk).update(program=world.other_program)
    assert world.person.enrollments.get().program_id == world.housing.pk


def test_a_role_in_another_organizations_program_is_refused(world):
    with (
        pytest.raises(IntegrityError, match="program of another organization"),
        transaction.atomic(),
    ):
        Membership.objects.create(
            user=world.coordinator,
            organization=world.org,
            program=world.other_program,
            role=Role.SUPERVISOR,
        )
    membership = world.coordinator.memberships.get(program=world.housing)
    with (
        pytest.raises(IntegrityError, match="program of another organization"),
        transaction.atomic(),
    ):
        Membership.objects.filter(pk=membership.pk).update(organization=world.other_org)
    assert world.coordinator.memberships.get(program=world.housing).organization == world.org


def test_beyond_a_few_organizations_a_search_reads_everyones_name_words(
    world, namesakes, monkeypatch
):
    monkeypatch.setattr(search_module, "SCOPE_FIRST_BELOW", 0)  # the index's plan
    search_module._reach_sizes.clear()

    def statements(query):
        with CaptureQueriesContext(connection) as read:
            found = selectors.people_search(world.admin, query)
        return found, [q["sql"] for q in read.captured_queries]

    found, sql = statements("ana reyes")
    assert any("replace(" in statement for statement in sql)
    monkeypatch.setattr(search_module, "PREFIXED_UP_TO", 0)
    everyone_found, sql = statements("ana reyes")
    assert not any("replace(" in statement for statement in sql)
    assert everyone_found == found


@pytest.mark.parametrize("moved", ["program", "person"])
def test_neither_a_program_nor_a_person_moves_to_another_organization(world, moved):
    row = world.housing if moved == "program" else world.person
    with (
        pytest.raises(IntegrityError, match=f"a {moved} stays in its organization"),
        transaction.atomic(),
    ):
        type(row).objects.filter(pk=row.pk).update(organization=world.other_org)
    row.refresh_from_db()
    assert row.organization == world.org
