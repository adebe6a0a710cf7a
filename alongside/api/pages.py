"""Pages of people, for lists and searches, with the total they are part of.

The total costs a COUNT query only when the page does not already tell it: a page that
starts at the beginning and is not full holds everything there is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.people import search as finder
from alongside.people import selectors
from alongside.people.models import Person, organizations_reached

# A search ranks its matches; nobody pages past the first thousand.
MAX_SEARCH_DEPTH = 1_000


@dataclass(frozen=True)
class Page:
    people: list[Person]
    total: int


def _total(offset: int, limit: int, people: list[Person], count: Callable[[], int]) -> int:
    if (people and len(people) < limit) or (not people and offset == 0):
        return offset + len(people)
    return count()


def people_page(user: Actor, *, offset: int, limit: int) -> Page:
    """A page of the people the user may see, recorded as one list event."""
    people = selectors.people_slice(user, offset=offset, limit=limit)
    return Page(people, _total(offset, limit, people, selectors.people_list(user).count))


def search_page(user: Actor, query: str, *, offset: int, limit: int) -> Page:
    """A page of ranked matches (recorded as one search event). The total counts matches
    up to MAX_SEARCH_DEPTH."""
    depth = min(offset + limit, MAX_SEARCH_DEPTH)
    people = selectors.people_search(user, query, limit=depth)[offset:]

    def count() -> int:
        matches = finder.search(
            selectors.people_for(user),
            query,
            limit=MAX_SEARCH_DEPTH,
            organizations=organizations_reached(scope_for(user)),
        )
        return matches.values("pk")[:MAX_SEARCH_DEPTH].count()

    if offset + limit > MAX_SEARCH_DEPTH:
        return Page(people, count())
    return Page(people, _total(offset, limit, people, count))
