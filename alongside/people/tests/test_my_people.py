"""The start page's first people a user coordinates (`my_first_people`): what
`my_people` gives, with their languages, from a statement compiled once on PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db import connection

from alongside.lib import compiled
from alongside.people import services
from alongside.people.models import Person
from alongside.people.selectors import my_first_people, my_people
from conftest import make_person


def _seen(people: list[Person]) -> list[tuple[Any, ...]]:
    return [
        (
            p.pk,
            p.display_name,
            [(lang.language, lang.interpreter_needed) for lang in p.languages.all()],
        )
        for p in people
    ]


def test_the_first_people_are_my_people_with_their_languages(
    world, django_assert_num_queries, monkeypatch
):
    # Compiled statements are kept process-wide: start from none, whatever ran before.
    monkeypatch.setattr(compiled, "_row_statements", {})
    for n, (given, language) in enumerate([("Zoe", "es"), ("Ana", "fr"), ("Kai", "")]):
        person = make_person(
            world.coordinator,
            world.housing,
            legal_given_name=given,
            primary_coordinator=world.coordinator,
        )
        if language:
            data = {"language": language, "interpreter_needed": bool(n % 2)}
            services.language_add(actor=world.coordinator, person=person, data=data)
    make_person(world.coordinator, world.housing, legal_given_name="Notmine")
    expected = _seen(list(my_people(world.coordinator)[:3]))
    assert [name for _, name, _ in expected] == ["Lupe Hernández", "Ana Okafor", "Kai Okafor"]
    assert _seen(my_first_people(world.coordinator, 3)) == expected
    # Languages read with them: nothing more when the table shows them.
    again = my_first_people(world.coordinator, 3)
    with django_assert_num_queries(0):
        assert _seen(again) == expected
    # On PostgreSQL from the statement compiled once for the scope and the limit.
    kept = [key for key in compiled._row_statements if key[0] == "people.mine"]
    assert bool(kept) == (connection.vendor == "postgresql")
    # Another user's first people: their own, not the ones compiled first.
    assert my_first_people(world.supervisor, 2) == list(my_people(world.supervisor)[:2])
