"""The registration-time duplicate check: ranked, explained, scoped and audited."""

from __future__ import annotations

import datetime as dt
import logging
import math
from pathlib import Path
from typing import Any

import pytest

from alongside.audit.models import AuditEvent
from alongside.matching.candidates import likely_duplicates
from alongside.matching.learned import Model
from alongside.matching.probabilities import WEIGHTS
from conftest import World, make_person

from .conftest import reachable


def lupe(**extra: Any) -> dict[str, Any]:
    return {
        "given_name": "Lupe",
        "family_name": "Hernandez",
        "date_of_birth": "1984-03-09",
    } | extra


def test_it_finds_the_person_with_reasons(world: World) -> None:
    found = likely_duplicates(world.coordinator, lupe())
    assert [c.person for c in found] == [world.person]
    assert found[0].decision == "likely"
    assert "same date of birth" in found[0].reasons
    assert "same first name" in found[0].reasons  # the preferred name, "Lupe"
    assert "same last name" in found[0].reasons


def test_it_finds_nicknames_typos_and_transposed_dates(world: World) -> None:
    found = likely_duplicates(
        world.coordinator,
        {
            "given_name": "Guadalupe",
            "family_name": "Hernandes",
            "date_of_birth": dt.date(1984, 9, 3),
        },
    )
    assert found and found[0].person == world.person
    assert "date of birth with day and month swapped" in found[0].reasons
    assert "last name sounds alike" in found[0].reasons


def test_it_finds_swapped_names_without_a_date(world: World) -> None:
    found = likely_duplicates(
        world.coordinator, {"given_name": "Hernández", "family_name": "Guadalupe"}
    )
    assert found and found[0].person == world.person
    assert "first and last names swapped" in found[0].reasons


def test_it_finds_by_phone_and_identifier(world: World) -> None:
    reachable(
        world.person,
        world.coordinator,
        phone="(720) 535-0656",
        kind="medicaid",
        issuer="CO Medicaid",
        value="AB-123-456",
    )
    by_phone = likely_duplicates(
        world.coordinator, {"given_name": "Guadalupe", "phone": "720.535.0656"}
    )
    assert [c.person for c in by_phone] == [world.person]
    assert "same phone number" in by_phone[0].reasons
    by_id = likely_duplicates(
        world.coordinator, {"family_name": "Hernandez", "identifier": "ab123456"}
    )
    assert [c.person for c in by_id] == [world.person]
    assert by_id[0].strong == ("same identifier (Medicaid ID)",)
    assert by_id[0].reasons[0] == "same identifier (Medicaid ID)"
    assert "same identifier" not in by_id[0].reasons  # said once, with its kind
    assert by_id[0].decision == "likely"


def test_it_never_leaves_out_a_shared_phone_email_or_identifier(world: World) -> None:
    reachable(
        world.person,
        world.coordinator,
        phone="(720) 535-0656",
        email="Lupe.H@example.org",
        kind="mrn",
        issuer="Denver Health",
        value="MRN 0042",
    )
    # Names and a date of birth that match nothing: the shared detail alone is shown,
    # as a possible match (a household may share a phone), explained first.
    stranger = {"given_name": "Rosa", "family_name": "Quispe", "date_of_birth": "1990-01-01"}
    by_phone = likely_duplicates(world.coordinator, stranger | {"phone": "+1 720 535 0656"})
    assert [(c.person, c.decision) for c in by_phone] == [(world.person, "possible")]
    assert by_phone[0].strong == ("same phone number",)
    assert by_phone[0].reasons[0] == "same phone number"
    assert by_phone[0].reasons.count("same phone number") == 1
    by_email = likely_duplicates(world.coordinator, stranger | {"email": "lupe.h@EXAMPLE.org"})
    assert by_email[0].strong == ("same email address",)
    # An identifier names one person: a likely match whatever else differs.
    by_id = likely_duplicates(world.coordinator, stranger | {"identifier": "mrn-0042"})
    assert [(c.person, c.decision) for c in by_id] == [(world.person, "likely")]
    assert by_id[0].strong == ("same identifier (Medical record number)",)
    both = likely_duplicates(
        world.coordinator, stranger | {"identifier": "MRN0042", "phone": "720-535-0656"}
    )
    assert both[0].strong == ("same identifier (Medical record number)", "same phone number")
    assert both[0].other_reasons == both[0].reasons[2:]


def test_it_ranks_and_limits_and_leaves_out_strangers(world: World) -> None:
    make_person(
        world.coordinator,
        world.housing,
        legal_given_name="Guadalupe",
        legal_family_name="Hernández López",
        date_of_birth=dt.date(1984, 3, 9),
    )
    make_person(
        world.coordinator,
        world.housing,
        legal_given_name="Tomás",
        legal_family_name="Okafor",
        date_of_birth=dt.date(1984, 3, 9),
    )
    found = likely_duplicates(world.coordinator, lupe(given_name="Guadalupe"))
    assert [c.person.legal_family_name for c in found] == ["Hernández", "Hernández López"]
    assert found[0].score > found[1].score
    assert len(likely_duplicates(world.coordinator, lupe(given_name="Guadalupe"), limit=1)) == 1
    found = likely_duplicates(
        world.coordinator, lupe(given_name="Guadalupe"), exclude_id=world.person.pk
    )
    assert world.person not in [c.person for c in found]


def test_it_only_looks_within_what_the_user_may_see(world: World) -> None:
    assert likely_duplicates(world.outsider, lupe()) == []
    assert likely_duplicates(world.colleague, lupe()) == []
    assert [c.person for c in likely_duplicates(world.admin, lupe())] == [world.person]


def test_it_records_the_check_as_a_search_without_the_values(world: World) -> None:
    likely_duplicates(world.coordinator, lupe(phone="not a phone"))
    event = AuditEvent.objects.filter(actor_id=world.coordinator.pk, action="search").latest("id")
    assert event.detail["purpose"] == "duplicate check"
    assert event.detail["results"] == 1
    assert event.detail["fields"] == ["date_of_birth", "family_name", "given_name", "phone"]
    assert "Hernandez" not in str(event.detail)


def test_it_returns_nothing_for_nothing(world: World) -> None:
    assert likely_duplicates(world.coordinator, {}) == []


def test_it_scores_with_the_weights_file_when_one_is_configured(
    world: World, settings: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    prior = likely_duplicates(world.coordinator, lupe())[0]
    # Weights learned elsewhere, in which a shared date of birth says far less.
    model = Model.prior()
    model.probabilities = {name: dict(levels) for name, levels in model.probabilities.items()}
    model.probabilities["dob"]["exact"] = (0.6, 0.01)
    model.match_rate, model.records, model.fitted = 0.1, 100_000, True
    path = tmp_path / "weights.json"
    model.save(path)
    settings.MATCH_WEIGHTS_FILE = str(path)
    learned = likely_duplicates(world.coordinator, lupe())[0]
    drop = WEIGHTS["dob", "exact"] - math.log2(0.6 / 0.01)
    assert learned.person == prior.person
    assert learned.score == pytest.approx(prior.score - drop, abs=0.02)
    likely, _ = Model.load(path).thresholds(100_000)
    assert learned.decision == ("likely" if learned.score >= likely else "possible")
    # A file that cannot be read leaves the check working, with the prior weights.
    path.write_text("not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        again = likely_duplicates(world.coordinator, lupe())[0]
    assert again.score == prior.score
    assert "prior weights used at registration" in caplog.text
