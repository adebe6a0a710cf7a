"""Dates and record ids a client can put in any form: a date or time near either end of
Python's calendar (9999-12-31T23:59 is past year 9999 once moved to UTC from a zone west
of it) and an id past 2**63 among several chosen (SQLite cannot take it in `IN`) are
refused on the form, never a 500. Every form class is checked, so a new field cannot
escape; the encounter form, where the fuzzer found both, is posted."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

import alongside


def _subclasses(cls: type) -> Iterator[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(alongside.__path__, "alongside."):
        if not {"tests", "migrations", "__main__"} & set(module.name.split(".")):
            importlib.import_module(module.name)
    return [c for c in set(_subclasses(forms.BaseForm)) if c.__module__.startswith("alongside.")]


FORMS = _form_classes()


def _fields(kind: Any) -> list[tuple[str, Any]]:
    return [
        (f"{form.__module__}.{form.__name__}.{name}", field)
        for form in FORMS
        for name, field in getattr(form, "base_fields", {}).items()
        if isinstance(field, kind)
    ]


def test_it_finds_the_forms_dates():
    names = {name for name, _ in _fields((forms.DateField, forms.DateTimeField))}
    assert "alongside.encounters.forms.EncounterForm.ended_at" in names
    assert "alongside.people.forms.PersonForm.date_of_birth" in names  # a model form's


# Filters that take every day there is, and read them safely (their own tests say so).
WHOLE_CALENDAR = {
    "alongside.people.forms.TimelineFilterForm.since",
    "alongside.people.forms.TimelineFilterForm.until",
}


def test_every_date_and_time_field_bounds_its_years():
    unbounded = [
        name
        for name, field in _fields((forms.DateField, forms.DateTimeField))
        if not any(getattr(v, "bounds_years", False) for v in field.validators)
        and name not in WHOLE_CALENDAR
    ]
    assert unbounded == [], "use alongside.lib.form_fields.DateField / DateTimeField"


def test_every_multiple_choice_of_records_refuses_what_is_not_an_id():
    from alongside.lib.form_fields import ModelMultipleChoiceField

    plain = [
        name
        for name, field in _fields(forms.ModelMultipleChoiceField)
        if not isinstance(field, ModelMultipleChoiceField)
    ]
    assert plain == [], "use alongside.lib.form_fields.ModelMultipleChoiceField"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ended_at", "9999-12-31T23:59"),
        ("started_at", "0001-01-01T00:00"),
        ("staff", "99999999999999999999"),
        ("staff", "9" * 5000),
    ],
)
def test_the_encounter_form_refuses_them(world: Any, settings: Any, field: str, value: str):
    settings.TIME_ZONE = "America/New_York"
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("encounters:create", args=[world.person.pk])
    data = {
        "program": world.housing.pk,
        "kind": "phone",
        "modality": "phone",
        "started_at": "2026-01-05T10:00",  # a past day: an encounter is recorded after it
        "ended_at": "2026-01-05T11:00",
        "staff": world.coordinator.pk,
    }
    assert client.post(url, data | {field: value}).status_code == 422
    assert client.post(url, data).status_code == 302  # and the form is otherwise good
