"""What pages share: a missing record is a 404, and a service's refusals land on the form."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict

from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.lib.views import CONFLICT, form_status, or_404, refusals_as_403, run_service
from alongside.people.models import Person


class NameForm(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField()


def _form() -> NameForm:
    form = NameForm(QueryDict("name=Ana&version=3"))
    assert form.is_valid()
    return form


def _raise(error: Exception) -> None:
    raise error


def test_it_answers_404_for_what_a_selector_does_not_find():
    def missing() -> Person:
        raise Person.DoesNotExist

    with pytest.raises(Http404, match="No such person"):
        or_404(missing, "No such person")
    assert or_404(lambda: 7, "No such number") == 7


def test_it_puts_a_services_refusal_on_the_fields_it_names():
    form = _form()
    refusal = ValidationError({"name": "Too short.", "other": "Not on this form."})
    assert run_service(form, lambda: _raise(refusal)) is False
    assert form.errors["name"] == ["Too short."]
    assert form.non_field_errors() == ["Not on this form."]
    assert form_status(form) == 422


def test_it_keeps_the_input_of_a_stale_save_and_lets_the_next_save_proceed():
    form = _form()
    assert run_service(form, lambda: _raise(StaleVersion(5))) is False
    assert form.non_field_errors() == [CONFLICT]
    assert form.data["name"] == "Ana" and form.data["version"] == "5"
    assert form_status(form) == 409


def test_it_answers_403_when_the_service_does_not_permit_it():
    with pytest.raises(PermissionDenied, match="Only admins"):
        run_service(_form(), lambda: _raise(NotPermitted("Only admins")))
    with pytest.raises(PermissionDenied, match="Only admins"), refusals_as_403():
        raise NotPermitted("Only admins")


def test_it_says_200_for_a_form_without_errors():
    form = _form()
    assert run_service(form, lambda: None) is True
    assert form_status(form) == 200 and form_status(None) == 200
