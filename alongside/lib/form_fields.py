"""Date and time form fields bounded well inside Python's calendar (years 1 to 9999).
Near either end a time zone's conversion (9999-12-31T23:59 in New York is past year 9999
in UTC), a duration added or a series' weeks overflow, a 500 wherever a view uses the
value. Every date or time field of a form is one of these, or carries its own bound
(web/tests/test_calendar_bounds.py checks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from alongside.lib.params import id_or_none

FIRST_YEAR, LAST_YEAR = 1000, 9000


def in_calendar(value: dt.date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Give a date between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="out_of_calendar",
        )


in_calendar.bounds_years = True  # type: ignore[attr-defined]


class _Bounded:
    """`in_calendar`, unless the field is given a year bound of its own (narrower)."""

    validators: list[Any]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        own = [v for v in self.validators if getattr(v, "bounds_years", False)]
        if not own:
            self.validators.append(in_calendar)


class DateField(_Bounded, forms.DateField):
    pass


class DateTimeField(_Bounded, forms.DateTimeField):
    pass


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing a value that is not a record id before its `pk__in` query:
    SQLite cannot take an integer past 2**63 there (OverflowError, a 500)."""

    def _check_values(self, value: Any) -> Any:
        if (self.to_field_name or "pk") == "pk":
            for pk in value:
                if id_or_none(str(pk)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]
