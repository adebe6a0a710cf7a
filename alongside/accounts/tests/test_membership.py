"""A role in a program is held in that program's organization."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from alongside.accounts.models import Membership, Role


def test_a_role_is_checked_against_its_programs_organization(world):
    membership = Membership(
        user=world.coordinator,
        organization=world.org,
        program=world.other_program,
        role=Role.SUPERVISOR,
    )
    with pytest.raises(ValidationError, match="belongs to another organization"):
        membership.full_clean()


def test_a_role_in_its_programs_organization_is_clean(world):
    membership = Membership(
        user=world.outsider, organization=world.org, program=world.housing, role=Role.SUPERVISOR
    )
    membership.full_clean()  # raises nothing
    assert world.housing.organization_id == membership.organization_id
