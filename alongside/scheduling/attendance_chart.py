"""A program's attendance by week as a small server-drawn SVG chart, the way
plans/charts.py draws the GAS T-score: two lines on a 0–100 % axis (no-show rate, drawn
dashed with square marks, and adherence, solid with round marks, so colour never carries
the meaning alone), a sentence saying the same for those who do not see the chart, and
the numbers as a table after it (template scheduling/calendar/attendance.html)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import formats
from django.utils.translation import gettext as _

from alongside.organizations.models import Program
from alongside.scheduling.models import Appointment, GroupSeat


@dataclass(frozen=True)
class Week:
    """One week's appointments that were due to happen, by outcome."""

    starts_on: dt.date
    attended: int  # arrived or completed
    no_shows: int
    late_cancellations: int
    cancelled: int  # cancelled in good time: not counted against anyone

    @property
    def due(self) -> int:
        """Appointments that were kept or missed (cancelled in good time are not)."""
        return self.attended + self.no_shows + self.late_cancellations

    @property
    def no_show_rate(self) -> float | None:
        return None if not self.due else 100 * self.no_shows / self.due

    @property
    def adherence(self) -> float | None:
        return None if not self.due else 100 * self.attended / self.due


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    value: float

    @property
    def label(self) -> str:
        return formats.number_format(round(self.value), 0) + "%"

    @property
    def corner_x(self) -> float:
        """Where a square mark of side 8 centred on the point starts."""
        return self.x - 4

    @property
    def corner_y(self) -> float:
        return self.y - 4


@dataclass
class AttendanceChart:
    summary: str
    weeks: list[Week]
    no_shows: list[Mark] = field(default_factory=list)
    adherence: list[Mark] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # x, week label
    width: int = 640
    height: int = 240
    left: int = 44
    right: int = 624
    top: int = 16
    bottom: int = 196

    def y(self, percent: float) -> float:
        return self.bottom - (self.bottom - self.top) * percent / 100

    @property
    def middle_y(self) -> float:
        return self.y(50)

    @staticmethod
    def _line(marks: list[Mark]) -> str:
        return " ".join(f"{m.x:.1f},{m.y:.1f}" for m in marks)

    @property
    def no_show_line(self) -> str:
        return self._line(self.no_shows)

    @property
    def adherence_line(self) -> str:
        return self._line(self.adherence)


def _percent(value: float | None) -> str:
    return "—" if value is None else formats.number_format(round(value), 0) + "%"


def _words(weeks: list[Week]) -> str:
    due = sum(w.due for w in weeks)
    if not due:
        return _("No appointments were due in these %(n)d weeks.") % {"n": len(weeks)}
    attended = sum(w.attended for w in weeks)
    missed = sum(w.no_shows for w in weeks)
    return _(
        "Over %(n)d weeks from %(first)s, %(due)d appointments were due: %(adherence)s kept "
        "and %(rate)s missed without notice."
    ) % {
        "n": len(weeks),
        "first": formats.date_format(weeks[0].starts_on),
        "due": due,
        "adherence": _percent(100 * attended / due),
        "rate": _percent(100 * missed / due),
    }


def attendance_chart(weeks: list[Week]) -> AttendanceChart:
    """The chart of `weeks`, oldest first; weeks with nothing due leave a gap in neither
    line (their point is simply not drawn)."""
    chart = AttendanceChart(summary=_words(weeks), weeks=weeks)
    span = chart.right - chart.left - 24
    step = span / max(len(weeks) - 1, 1)
    for index, week in enumerate(weeks):
        x = chart.left + 12 + step * index
        chart.ticks.append((x, formats.date_format(week.starts_on, "MONTH_DAY_FORMAT")))
        if week.no_show_rate is not None:
            chart.no_shows.append(Mark(x, chart.y(week.no_show_rate), week.no_show_rate))
        if week.adherence is not None:
            chart.adherence.append(Mark(x, chart.y(week.adherence), week.adherence))
    return chart


# ---------------------------------------------------------------- reading the weeks

WEEKS = 12
ATTENDED = frozenset({"arrived", "completed"})


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def program_weeks(
    program: Program, *, today: dt.date, zone: ZoneInfo, weeks: int = WEEKS
) -> list[Week]:
    """The program's last `weeks` weeks to this one, counted in the database: individual
    appointments and group-session seats by their outcome (no one's details)."""
    first = _monday(today) - dt.timedelta(weeks=weeks - 1)
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(_monday(today) + dt.timedelta(days=7), dt.time(0), tzinfo=zone)
    counts: dict[tuple[dt.date, str], int] = {}
    individual = (
        Appointment.objects.filter(
            program=program, person__isnull=False, starts_at__gte=start, starts_at__lt=end
        )
        .annotate(week=TruncWeek("starts_at", tzinfo=zone))
        .values("week", "status")
        .annotate(n=Count("id"))
    )
    seats = (
        GroupSeat.objects.filter(
            appointment__program=program,
            appointment__starts_at__gte=start,
            appointment__starts_at__lt=end,
        )
        .exclude(appointment__status=Appointment.Status.CANCELLED)
        .annotate(week=TruncWeek("appointment__starts_at", tzinfo=zone))
        .values("week", "status")
        .annotate(n=Count("id"))
    )
    for row in [*individual, *seats]:
        week = row["week"]
        key = (week.date() if isinstance(week, dt.datetime) else week, row["status"])
        counts[key] = counts.get(key, 0) + row["n"]
    result = []
    for n in range(weeks):
        monday = first + dt.timedelta(weeks=n)

        def count(*statuses: str, monday: dt.date = monday) -> int:
            return sum(counts.get((monday, s), 0) for s in statuses)

        result.append(
            Week(
                starts_on=monday,
                attended=count(*ATTENDED),
                no_shows=count("no_show"),
                late_cancellations=count("late_cancelled"),
                cancelled=count("cancelled"),
            )
        )
    return result
