"""docs/access-and-audit.md says, per role, what each sees of a person. This reads that
table and checks it against what the one sensitivity rule answers for each role, so the
document and the code cannot drift apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from alongside.accounts.models import Role
from alongside.people import services
from alongside.people.sensitivity import CareNote, Disclosure, disclosure_for
from conftest import add_role, make_person, make_user

DOC = Path(__file__).resolve().parents[3] / "docs" / "access-and-audit.md"
HEADING = "## What each role sees of a person"
COLUMNS = [
    "Role",
    "Identity",
    "Contact and safe-contact rules",
    "Profile",
    "Approach with care",
    "Screening answers and scores",
    "Needs",
    "Who accessed the record",
]


def table() -> dict[str, list[str]]:
    """The rows of the table under HEADING: role → its other cells."""
    text = DOC.read_text().split(HEADING, 1)[1].split("\n## ", 1)[0]
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    header, _separator, *body = rows
    assert header == COLUMNS
    return {row[0]: row[1:] for row in body}


def words(d: Disclosure) -> list[str]:
    """The rule's answer in the table's words."""
    yes = {True: "yes", False: "no"}
    sensitive = "all" if d.sensitive else "all but sensitive" if d.identity else "no"
    care_note = {
        CareNote.TEXT: "the note",
        CareNote.NOTICE: "that one exists",
        CareNote.NONE: "no",
    }[d.care_note]
    return [
        "yes" if d.identity else "no (404)",
        yes[d.contact],
        yes[d.profile],
        care_note,
        sensitive,
        sensitive,
        yes[d.access_log],
    ]


def test_the_documented_table_is_what_the_rule_answers(world: Any) -> None:
    # Rosa is enrolled in housing and was once in wellness: the wellness colleague sees
    # her without being on her team. Lupe (the world's person) was never in wellness.
    rosa = make_person(world.coordinator, world.housing, legal_given_name="Rosa")
    services.enrollment_create(
        actor=world.admin,
        person=rosa,
        program=world.wellness,
        data={"status": "closed", "closure_reason": "moved", "ended_on": timezone.localdate()},
    )
    clinician = make_user("jo")
    add_role(clinician, Role.CLINICIAN, program=world.housing)
    case_manager = make_user("kai")
    add_role(case_manager, Role.CASE_MANAGER, program=world.housing)
    lupe = world.person
    roles = {
        "Coordinator on the person's team": [(world.coordinator, lupe)],
        "Care-team clinician or case manager": [(clinician, lupe), (case_manager, lupe)],
        "Supervisor of the person's program": [(world.supervisor, lupe)],
        "Organization admin": [(world.admin, lupe)],
        "Scheduler of the person's program": [(world.scheduler, lupe)],
        "Staff of another program the person was enrolled in": [(world.colleague, rosa)],
        "Staff of another program the person was never enrolled in": [(world.colleague, lupe)],
        "Staff of another organization": [(world.outsider, lupe)],
    }
    documented = table()
    assert set(documented) == set(roles), "every role in the table, and only those"
    for role, cases in roles.items():
        for user, person in cases:
            assert words(disclosure_for(user, person)) == documented[role], (role, user)
