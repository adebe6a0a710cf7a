"""Reads for the scheduling set-up screens: always within one organization (the one the
admin's /manage/ page is about), so a row of another organization does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from alongside.accounts.models import User
from alongside.organizations.models import Location, Organization
from alongside.scheduling.models import (
    AppointmentType,
    AvailabilityChange,
    AvailabilityPattern,
    OpeningHours,
    Room,
)


def types_of(organization: Organization) -> QuerySet[AppointmentType]:
    return (
        AppointmentType.objects.filter(program__organization=organization)
        .select_related("program")
        .order_by("program__name", "name", "pk")
    )


def locations_of(organization: Organization) -> QuerySet[Location]:
    """The organization's locations with their rooms and opening hours (three queries)."""
    return (
        Location.objects.filter(organization=organization)
        .prefetch_related(
            Prefetch("rooms", queryset=Room.objects.order_by("name", "pk")),
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
        )
        .order_by("name", "pk")
    )


def room_of(organization: Organization, pk: int) -> Room:
    return Room.objects.select_related("location").get(pk=pk, location__organization=organization)


def hours_of(organization: Organization, pk: int) -> OpeningHours:
    return OpeningHours.objects.select_related("location").get(
        pk=pk, location__organization=organization
    )


def staff_of(organization: Organization) -> QuerySet[User]:
    """Active staff with a role in the organization, by name."""
    return (
        User.objects.filter(is_active=True, memberships__organization=organization)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def staff_member_of(organization: Organization, pk: int) -> User:
    return staff_of(organization).get(pk=pk)


def patterns_of(organization: Organization, staff: Any) -> QuerySet[AvailabilityPattern]:
    return AvailabilityPattern.objects.filter(
        organization=organization, staff=staff
    ).select_related("location")


def pattern_of(organization: Organization, pk: int) -> AvailabilityPattern:
    return AvailabilityPattern.objects.select_related("staff", "location").get(
        pk=pk, organization=organization
    )


def changes_of(
    organization: Organization, staff: Any, now: dt.datetime | None = None
) -> QuerySet[AvailabilityChange]:
    """One-off changes that have not ended yet, soonest first."""
    now = now or timezone.now()
    return (
        AvailabilityChange.objects.filter(organization=organization, staff=staff, ends_at__gt=now)
        .select_related("location")
        .order_by("starts_at", "pk")
    )


def change_of(organization: Organization, pk: int) -> AvailabilityChange:
    return AvailabilityChange.objects.select_related("staff").get(pk=pk, organization=organization)
