"""Property-based tests: the validators and normalizers never fail on any input."""

import datetime as dt

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.people.models import ContactPoint, Person
from alongside.people.normalize import normalize, normalize_identifier, normalize_phone, parse_date
from alongside.people.search import (
    search_condition,
    word_similarity,
)


@given(st.text())
def test_it_normalizes_any_text_idempotently(text):
    once = normalize(text)
    assert normalize(once) == once
    assert once == once.lower() or not once.isascii()
    assert "  " not in once


@given(st.text(max_size=60))
def test_it_reads_phones_and_dates_without_raising(text):
    phone = normalize_phone(text)
    assert phone is None or phone.startswith("+")
    born = parse_date(text)
    assert born is None or isinstance(born, dt.date)
    assert normalize_identifier(text).isalnum() or normalize_identifier(text) == ""


@given(st.text(max_size=300))
def test_it_builds_a_search_filter_for_any_query(text):
    condition, phrase = search_condition(text)
    assert condition is not None
    assert phrase == normalize(text.strip()[:200])


@given(st.text(max_size=40), st.text(max_size=80))
def test_it_scores_similarity_between_zero_and_one(query, text):
    score = word_similarity(normalize(query), normalize(text))
    assert 0.0 <= score <= 1.0


@settings(max_examples=200)
@given(kind=st.sampled_from(["phone", "email", "address"]), value=st.text(max_size=300))
def test_it_accepts_or_rejects_contact_values_with_a_validation_error(kind, value):
    contact = ContactPoint(kind=kind, value=value)
    try:
        contact.clean()
    except ValidationError as error:
        assert "value" in error.message_dict
    else:
        assert contact.normalized


@given(st.text(max_size=150), st.dates(min_value=dt.date(1, 1, 1)))
def test_it_validates_people_with_any_name_and_date(name, born):
    person = Person(legal_given_name=name, date_of_birth=born)
    try:
        person.clean()
    except ValidationError as error:
        assert set(error.message_dict) <= {"legal_given_name", "date_of_birth"}
    else:
        assert person.search_text == normalize(name)[:500]
