"""Property-based tests: whatever a client sends, the API answers below 500, and every
error has the structured shape."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.people.models import ContactPoint, Enrollment, Person

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EDGE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "x" * 151,
        "ß" * 150,
        "İ" * 300,
        "a\x00b",
        "\ud800",
        "مريم‏",
        "👩🏽‍⚕️" * 20,
        "Robert'); DROP TABLE people_person;--",
        "%_\\",
        "\u202eevil",
        "\r\n\t",
    ]
)
TEXT = st.text(max_size=160) | EDGE_TEXT
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | TEXT
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
DATES = st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat) | st.sampled_from(
    ["1984-02-30", "84-3-9", "2999-01-01", "1984-03-09T00:00:00"]
)
TIMES = st.times().map(dt.time.isoformat) | st.sampled_from(["25:00", "09:00+02:00", "9am"])
IDS = st.integers(min_value=-5, max_value=2**64)
BOOLS = st.booleans() | st.sampled_from(["yes", "no", 1, 0, None])


def _body(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Objects with any subset of the known fields (plausible or arbitrary values), plus
    now and then an unknown field or a body that is not an object at all."""
    known = st.fixed_dictionaries({}, optional={k: v | ANY_JSON for k, v in fields.items()})
    empty: dict[str, Any] = {}
    extra = st.just(empty) | st.dictionaries(st.text(max_size=10), ANY_JSON, max_size=2)
    objects = st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})
    return objects | ANY_JSON


def _person_fields(world: Any) -> dict[str, st.SearchStrategy[Any]]:
    programs = st.sampled_from([world.housing.pk, world.wellness.pk, world.other_program.pk])
    return {
        "program_id": programs | IDS,
        "legal_given_name": TEXT,
        "legal_family_name": TEXT,
        "preferred_name": TEXT,
        "pronouns": TEXT,
        "gender_identity": TEXT,
        "date_of_birth": DATES,
        "sex": st.sampled_from([s for s, _ in Person.Sex.choices]) | TEXT,
        "primary_coordinator_id": st.sampled_from([world.coordinator.pk, world.outsider.pk]),
        "profile": st.fixed_dictionaries(
            {}, optional={"important_to": TEXT, "hopes": TEXT, "approach_with_care": TEXT}
        ),
    }


CONTACT_FIELDS = {
    "kind": st.sampled_from(ContactPoint.Kind.values),
    "value": TEXT
    | st.sampled_from(
        ["(212) 555-0147", "+44 20 7946 0958", "a@b.org", "12 Elm St", "+1" + "9" * 300]
    ),
    "label": TEXT,
    "is_preferred": BOOLS,
    "may_leave_voicemail": BOOLS,
    "may_text": BOOLS,
    "safe_hours_start": TIMES,
    "safe_hours_end": TIMES,
    "best_times": TEXT,
    "never_contact_times": TEXT,
    "safety_note": TEXT,
}
ENROLLMENT_FIELDS = {
    "status": st.sampled_from(Enrollment.Status.values),
    "referred_on": DATES,
    "started_on": DATES,
    "ended_on": DATES,
    "closure_note": TEXT,
    "closure_reason": st.sampled_from(Enrollment.ClosureReason.values),
}
PROFILE_FIELDS = {"important_to": TEXT, "hopes": TEXT, "approach_with_care": TEXT}


# A URL cannot carry unpaired surrogates; the test client would fail to encode them.
URL_TEXT = TEXT.filter(lambda text: not any("\ud800" <= ch <= "\udfff" for ch in text))


def assert_answered(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code == 204:
        return
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if response.status_code >= 400:
        error = body["error"]
        assert isinstance(error["code"], str) and isinstance(error["message"], str)
        assert all(
            isinstance(name, str) and all(isinstance(m, str) for m in messages)
            for name, messages in error["fields"].items()
        )


def _version_headers(data: Any, current: int) -> dict[str, str]:
    header = data.draw(
        st.none()
        | st.just(f'"{current}"')
        | st.just(f'"{current + 1}"')
        | st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
    )
    return {} if header is None else {"If-Match": header}


def _with_version(data: Any, body: Any, current: int) -> Any:
    if isinstance(body, dict) and data.draw(st.booleans()):
        body["version"] = data.draw(st.sampled_from([current, current + 1, 0]) | ANY_JSON)
    return body


@FAST
@given(data=st.data())
def test_it_answers_any_registration_below_500(world, api_as, data):
    api = api_as(world.coordinator)
    body = data.draw(_body(_person_fields(world)))
    assert_answered(api.post("/people", body))


@FAST
@given(data=st.data())
def test_it_answers_any_change_to_a_person_below_500(world, api_as, data):
    api = api_as(world.coordinator)
    fields = {k: v for k, v in _person_fields(world).items() if k not in {"program_id", "profile"}}
    del fields["primary_coordinator_id"]
    current = Person.objects.get(pk=world.person.pk).version
    body = _with_version(data, data.draw(_body(fields)), current)
    response = api.patch(f"/people/{world.person.pk}", body, **_version_headers(data, current))
    assert_answered(response)


@FAST
@given(data=st.data())
def test_it_answers_any_contact_point_write_below_500(world, api_as, data):
    api = api_as(world.coordinator)
    body = data.draw(_body(CONTACT_FIELDS))
    assert_answered(api.post(f"/people/{world.person.pk}/contact-points", body))
    contact = ContactPoint.objects.filter(person=world.person).first()
    if contact is not None:
        patch = _with_version(data, data.draw(_body(CONTACT_FIELDS)), contact.version)
        headers = _version_headers(data, contact.version)
        assert_answered(api.patch(f"/contact-points/{contact.pk}", patch, **headers))


@FAST
@given(data=st.data())
def test_it_answers_any_enrollment_or_profile_write_below_500(world, api_as, data):
    api = api_as(world.coordinator)
    enrollment = world.person.enrollments.order_by("id").first()
    create = data.draw(
        _body(
            ENROLLMENT_FIELDS
            | {"program_id": st.just(world.housing.pk) | IDS, "primary_coordinator_id": IDS}
        )
    )
    assert_answered(api.post(f"/people/{world.person.pk}/enrollments", create))
    patch = _with_version(data, data.draw(_body(ENROLLMENT_FIELDS)), enrollment.version)
    headers = _version_headers(data, enrollment.version)
    assert_answered(api.patch(f"/enrollments/{enrollment.pk}", patch, **headers))
    profile = world.person.profile
    profile.refresh_from_db()
    put = _with_version(data, data.draw(_body(PROFILE_FIELDS)), profile.version)
    headers = _version_headers(data, profile.version)
    assert_answered(api.put(f"/people/{world.person.pk}/profile", put, **headers))


@settings(FAST, max_examples=50)
@given(
    raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode),
    path=st.sampled_from(
        [
            "/people",
            "/people/{p}",
            "/people/{p}/profile",
            "/people/{p}/enrollments",
            "/people/{p}/contact-points",
        ]
    ),
    method=st.sampled_from(["POST", "PATCH", "PUT"]),
)
def test_it_answers_any_bytes_below_500(world, api_as, raw, path, method):
    api = api_as(world.coordinator)
    response = api.send(method, path.format(p=world.person.pk), raw=raw, **{"If-Match": '"1"'})
    assert_answered(response)


@settings(FAST, max_examples=50)
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            "q": URL_TEXT,
            "limit": URL_TEXT | IDS.map(str),
            "offset": URL_TEXT | IDS.map(str),
            "page": URL_TEXT | IDS.map(str),
        },
    ),
    person_id=st.text(max_size=25).filter(lambda t: "/" not in t and "?" not in t) | IDS.map(str),
)
def test_it_answers_any_query_below_500(world, api_as, params, person_id):
    api = api_as(world.coordinator)
    assert_answered(api.get("/people", params))
    assert_answered(api.get(f"/people/{person_id}"))


def test_it_serializes_the_bodies_it_tests(world):
    # A guard for the strategies: everything drawn above can be sent as JSON.
    assert json.loads(json.dumps({"a": float("inf")}))["a"] == float("inf")
