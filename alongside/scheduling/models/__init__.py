"""Scheduling's models: what it is configured with (setup) and what is booked
(appointments)."""

from alongside.scheduling.models.appointments import (
    Appointment,
    GroupSeat,
    Offer,
    Series,
    WaitlistEntry,
)
from alongside.scheduling.models.feeds import CalendarFeed, PersonCalendarFeed
from alongside.scheduling.models.reminders import ReminderReply, ReminderRule
from alongside.scheduling.models.setup import (
    AppointmentType,
    AvailabilityChange,
    AvailabilityPattern,
    Modality,
    OpeningHours,
    Room,
    SchedulingPreference,
    validate_time_zone,
)

__all__ = [
    "Appointment",
    "AppointmentType",
    "AvailabilityChange",
    "AvailabilityPattern",
    "CalendarFeed",
    "GroupSeat",
    "Modality",
    "Offer",
    "OpeningHours",
    "PersonCalendarFeed",
    "ReminderReply",
    "ReminderRule",
    "Room",
    "SchedulingPreference",
    "Series",
    "WaitlistEntry",
    "validate_time_zone",
]
