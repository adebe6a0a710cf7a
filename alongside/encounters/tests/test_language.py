"""The respectful-language check: finds labeling words with their alternatives, as data
an organization can change, and never blocks a note."""

from __future__ import annotations

from typing import Any

from alongside.encounters.language import Term, findings
from alongside.encounters.models import LabelingTerm
from alongside.encounters.selectors import terms_for

TERMS = [
    Term("non-compliant", "describe what happened", "blames"),
    Term("addict", "person who uses drugs", "labels"),
    Term("the case", "the person", "people are not cases"),
]


def test_it_finds_labels_in_their_variants_and_in_order() -> None:
    text = "Client is noncompliant. Known addict; addicts in the building. Non compliant again."
    found = [(f.found, f.term.term) for f in findings(text, TERMS)]
    assert found == [
        ("noncompliant", "non-compliant"),
        ("addict", "addict"),
        ("addicts", "addict"),
        ("Non compliant", "non-compliant"),
    ]


def test_it_leaves_other_words_alone() -> None:
    assert findings("Talked about addiction treatment and the caseworker.", TERMS) == []


def test_it_shows_a_finding_in_its_words() -> None:
    text = "We closed the case today"
    [finding] = findings(text, TERMS)
    assert finding.context(text, width=10) == ("We closed ", "the case", " today")


def test_the_shipped_list_is_loaded_and_an_organization_can_change_it(world: Any) -> None:
    shipped = {t.term for t in terms_for(world.org.pk)}
    assert {
        "non-compliant",
        "refused",
        "addict",
        "frequent flyer",
        "manipulative",
        "suicidal patient",
        "drug-seeking",
        "the case",
    } <= shipped
    assert all(t.source for t in LabelingTerm.objects.filter(organization=None))
    LabelingTerm.objects.create(
        organization=world.org, term="refused", alternative="x", why="y", is_active=False
    )
    LabelingTerm.objects.create(
        organization=world.org, term="client", alternative="their name", why="we say people"
    )
    mine = {t.term for t in terms_for(world.org.pk)}
    assert "refused" not in mine and "client" in mine
    assert "refused" in {t.term for t in terms_for(world.other_org.pk)}
