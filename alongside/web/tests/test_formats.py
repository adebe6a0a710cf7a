"""Dates, times and numbers are written one way per language (alongside/formats)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

PAGE = Template(
    '{{ day|date }} | {{ day|date:"DATE_FORMAT" }} | {{ at|date:"DATETIME_FORMAT" }} | '
    '{{ at|time }} | {{ day|date:"MONTH_DAY_FORMAT" }} | {{ share|floatformat:1 }}'
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "22 Nov 1965 | 22 Nov 1965 | 3 Sep 2026, 3:05 PM | 3:05 PM | 22 Nov | 2.5"),
        ("es", "22 nov 1965 | 22 nov 1965 | 3 sep 2026, 15:05 | 15:05 | 22 nov | 2,5"),
    ],
)
def test_it_writes_dates_times_and_numbers_the_languages_way(language: str, expected: str) -> None:
    at = dt.datetime(2026, 9, 3, 15, 5, tzinfo=timezone.get_default_timezone())
    context = Context({"day": dt.date(1965, 11, 22), "at": at, "share": 2.5})
    with translation.override(language):
        assert PAGE.render(context) == expected
