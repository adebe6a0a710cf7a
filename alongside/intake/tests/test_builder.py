"""The instrument builder: creating, editing, previewing, publishing, copying, importing
and exporting an organization's own screening instruments."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.intake import fhir, selectors, services
from alongside.intake.models import Instrument, InstrumentVersion, ScreeningResponse
from conftest import NAV_COUNTS

HOUSING = {
    "items": [
        {
            "link_id": "housed",
            "text": "Do you have a steady place to live?",
            "type": "choice",
            "options": [
                {"code": "yes", "display": "Yes", "value": 0},
                {"code": "no", "display": "No", "value": 1},
            ],
        },
        {"link_id": "nights", "text": "How many nights outside last month?", "type": "integer"},
    ],
    "translations": {
        "es": {
            "title": "Vivienda",
            "items": {
                "housed": {
                    "text": "¿Tiene un lugar estable donde vivir?",
                    "options": {"yes": "Sí", "no": "No"},
                }
            },
        }
    },
}


def make_draft(world: Any, definition: dict[str, Any] | None = None) -> InstrumentVersion:
    return services.instrument_create(
        actor=world.admin,
        organization=world.org,
        title="Housing check",
        definition=json.loads(json.dumps(definition or HOUSING)),
    )


def url(name: str, version: InstrumentVersion, *extra: Any) -> str:
    instrument = version.instrument
    org = instrument.organization_id or extra[0]
    rest = extra[1:] if instrument.organization_id is None else extra
    return reverse(f"manage:{name}", args=[org, instrument.pk, version.pk, *rest])


def fresh(version: InstrumentVersion) -> InstrumentVersion:
    return InstrumentVersion.objects.select_related("instrument").get(pk=version.pk)


def base(version: InstrumentVersion) -> str:
    return services.draft_token(fresh(version))


def item_post(version: InstrumentVersion, **fields: Any) -> dict[str, Any]:
    """A question form as the browser posts it: three blank answer rows unless given."""
    options = fields.pop("options", [])
    data: dict[str, Any] = {
        "base": base(version),
        "text": "Is it safe?",
        "type": "boolean",
        "allow_decline": "on",
        "when_operator": "=",
        "options-TOTAL_FORMS": str(max(3, len(options))),
        "options-INITIAL_FORMS": "0",
    }
    for index, option in enumerate(options):
        for key, value in option.items():
            data[f"options-{index}-{key}"] = value
    data.update(fields)
    return data


@pytest.fixture
def admin(client: Any, world: Any) -> Any:
    client.force_login(world.admin)
    return client


# ---------------------------------------------------------------- creating


def test_it_creates_an_instrument_with_its_first_question(admin, world):
    response = admin.post(
        reverse("manage:instrument-add", args=[world.org.pk]),
        {
            "title": "Food check",
            "item-text": "Did you skip meals?",
            "item-type": "choice",
            "item-required": "on",
            "item-allow_decline": "on",
            "item-when_operator": "=",
            "item-text_es": "¿Se saltó comidas?",
            "options-TOTAL_FORMS": "3",
            "options-INITIAL_FORMS": "0",
            "options-0-display": "Often true",
            "options-0-value": "1",
            "options-0-display_es": "A menudo",
            "options-1-display": "Never true",
            "options-1-value": "0",
        },
    )
    instrument = Instrument.objects.get(title="Food check")
    version = instrument.versions.get()
    assert response.status_code == 302
    assert response["Location"] == url("instrument-version", version)
    assert instrument.organization == world.org
    assert instrument.slug.startswith("riverbend-food-check")
    assert version.status == "draft" and version.label == "1"
    item = version.definition["items"][0]
    assert item["link_id"] == "q1" and item["required"] is True
    assert [(o["code"], o["value"]) for o in item["options"]] == [
        ("often-true", 1),
        ("never-true", 0),
    ]
    assert version.definition["translations"]["es"]["items"]["q1"] == {
        "text": "¿Se saltó comidas?",
        "options": {"often-true": "A menudo"},
    }
    events = AuditEvent.objects.filter(
        organization_id=world.org.pk, action="create", object_type__startswith="intake."
    )
    assert {e.object_type for e in events} == {"intake.instrument", "intake.instrumentversion"}


def test_it_shows_the_problems_of_a_first_question_that_would_not_work(admin, world):
    response = admin.post(
        reverse("manage:instrument-add", args=[world.org.pk]),
        {
            "title": "Food check",
            "item-text": "Did you skip meals?",
            "item-type": "choice",
            "item-when_operator": "=",
            "options-TOTAL_FORMS": "3",
            "options-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 422
    assert "a choice item needs" in response.content.decode()
    assert not Instrument.objects.exists()


# ---------------------------------------------------------------- editing questions


def test_it_adds_a_question_with_skip_logic_and_spanish(admin, world):
    version = make_draft(world)
    response = admin.post(
        url("instrument-item-add", version),
        item_post(
            version,
            text="Where did you sleep last night?",
            type="choice",
            when=json.dumps(["housed", "no"]),
            text_es="¿Dónde durmió anoche?",
            options=[
                {"display": "Shelter", "display_es": "Albergue"},
                {"display": "Outside", "code": "outside"},
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()
    definition = fresh(version).definition
    item = definition["items"][2]
    assert item["link_id"] == "q3"
    assert item["enable_when"] == [{"question": "housed", "operator": "=", "answer": "no"}]
    assert [o["code"] for o in item["options"]] == ["shelter", "outside"]
    assert definition["translations"]["es"]["items"]["q3"] == {
        "text": "¿Dónde durmió anoche?",
        "options": {"shelter": "Albergue"},
    }
    event = AuditEvent.objects.filter(object_type="intake.instrumentversion").last()
    assert event is not None
    assert event.detail == {"change": "question q3 added"} and event.fields == ["definition"]


def test_it_edits_a_question_keeping_what_the_form_does_not_show(admin, world):
    definition = json.loads(json.dumps(HOUSING))
    definition["items"][0]["code"] = {"system": "http://loinc.org", "code": "71802-3"}
    version = make_draft(world, definition)
    page = admin.get(url("instrument-item", version, "housed"))
    assert page.status_code == 200
    assert "Do you have a steady place to live?" in page.content.decode()
    data = item_post(
        version,
        text="Do you have a steady home?",
        type="choice",
        sensitive="on",
        **{"options-INITIAL_FORMS": "2"},
        options=[
            {"display": "Yes", "code": "yes", "value": "0", "display_es": "Sí"},
            {"display": "No", "code": "no", "value": "2", "display_es": "No"},
        ],
    )
    assert admin.post(url("instrument-item", version, "housed"), data).status_code == 302
    item = fresh(version).definition["items"][0]
    assert item["text"] == "Do you have a steady home?" and item["sensitive"] is True
    assert item["code"]["code"] == "71802-3"
    assert item["options"][1]["value"] == 2
    # The Spanish question was cleared in the form, so it goes; the answers' stay.
    spanish = fresh(version).definition["translations"]["es"]["items"]["housed"]
    assert spanish == {"options": {"yes": "Sí", "no": "No"}}


def test_it_shows_field_errors_for_malformed_input(admin, world):
    version = make_draft(world)
    response = admin.post(
        url("instrument-item-add", version),
        item_post(
            version,
            text="",
            type="integer",
            min="10",
            max="2",
            link_id="has space",
            options=[{"display": "", "value": "lots"}],
        ),
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "This field is required." in body
    assert "The largest number must not be below the smallest." in body
    assert "Use letters, digits" in body
    assert "Enter a whole number." in body
    assert fresh(version).definition == make_draft_definition()


def make_draft_definition() -> dict[str, Any]:
    return json.loads(json.dumps(HOUSING))


def test_it_refuses_removing_a_question_that_others_depend_on(admin, world):
    definition = make_draft_definition()
    definition["items"][1]["enable_when"] = [
        {"question": "housed", "operator": "=", "answer": "no"}
    ]
    version = make_draft(world, definition)
    response = admin.post(url("instrument-item-remove", version, "housed"), {"base": base(version)})
    assert response.status_code == 422
    assert "enable_when refers to" in response.content.decode()
    assert fresh(version).definition == definition


def test_it_moves_and_removes_questions(admin, world):
    version = make_draft(world)
    move = url("instrument-item-move", version, "nights")
    assert admin.post(move, {"base": base(version), "direction": "up"}).status_code == 302
    assert [i["link_id"] for i in fresh(version).definition["items"]] == ["nights", "housed"]
    remove = url("instrument-item-remove", version, "housed")
    assert admin.post(remove, {"base": base(version)}).status_code == 302
    definition = fresh(version).definition
    assert [i["link_id"] for i in definition["items"]] == ["nights"]
    # Its Spanish words went with it.
    assert "translations" not in definition or "housed" not in json.dumps(
        definition["translations"]
    )


def test_it_refuses_a_stale_edit_and_keeps_what_was_typed(admin, client, world):
    version = make_draft(world)
    stale = base(version)
    other = item_post(version, text="Someone else's question")
    assert admin.post(url("instrument-item-add", version), other).status_code == 302
    mine = item_post(version, text="My carefully typed question", base=stale)
    response = admin.post(url("instrument-item-add", version), mine)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this draft" in body
    assert "My carefully typed question" in body
    assert [i["text"] for i in fresh(version).definition["items"]][-1] == "Someone else's question"
    # Saving again, from the page as shown, applies it to the latest draft.
    assert f'name="base" value="{base(version)}"' in body
    again = item_post(version, text="My carefully typed question")
    assert admin.post(url("instrument-item-add", version), again).status_code == 302
    assert len(fresh(version).definition["items"]) == 4


# ---------------------------------------------------------------- scores and rules


def score_post(version: InstrumentVersion, bands: list[tuple[str, str, str]], **fields: Any) -> Any:
    data = {
        "base": base(version),
        "name": "total",
        "items": ["housed", "nights"],
        "bands-TOTAL_FORMS": str(max(3, len(bands))),
        "bands-INITIAL_FORMS": "0",
    }
    for index, (low, high, label) in enumerate(bands):
        data |= {
            f"bands-{index}-min": low,
            f"bands-{index}-max": high,
            f"bands-{index}-label": label,
        }
    return data | fields


def test_it_adds_a_score_and_reports_bands_with_a_gap(admin, world):
    version = make_draft(world)
    bad = score_post(version, [("0", "0", "low"), ("2", "99", "high")])
    response = admin.post(url("instrument-score-add", version), bad)
    assert response.status_code == 422
    assert "without gaps or overlaps" in response.content.decode()
    assert "scores" not in fresh(version).definition
    good = score_post(version, [("0", "0", "low"), ("1", "99", "high")])
    assert admin.post(url("instrument-score-add", version), good).status_code == 302
    assert fresh(version).definition["scores"] == [
        {
            "name": "total",
            "items": ["housed", "nights"],
            "bands": [{"min": 0, "max": 0, "label": "low"}, {"min": 1, "max": 99, "label": "high"}],
        }
    ]


def rule_post(version: InstrumentVersion, conditions: list[tuple[list[Any], str]], **fields: Any):
    data = {
        "base": base(version),
        "conditions-TOTAL_FORMS": str(max(3, len(conditions))),
        "conditions-INITIAL_FORMS": "0",
    }
    for index, (subject, at_least) in enumerate(conditions):
        data |= {
            f"conditions-{index}-subject": json.dumps(subject),
            f"conditions-{index}-at_least": at_least,
        }
    return data | fields


def test_it_adds_need_and_urgent_rules(admin, world):
    version = make_draft(world)
    need = rule_post(
        version,
        [(["option", "housed", "no"], ""), (["value", "nights"], "3")],
        kind="housing_instability",
    )
    assert admin.post(url("instrument-rule-add", version, "needs"), need).status_code == 302
    urgent = rule_post(
        version,
        [(["value", "nights"], "20")],
        reason="Sleeping outside",
        guidance="Call the outreach team today.",
    )
    assert admin.post(url("instrument-rule-add", version, "urgent"), urgent).status_code == 302
    definition = fresh(version).definition
    assert definition["needs"] == [
        {
            "kind": "housing_instability",
            "any": [{"item": "housed", "codes": ["no"]}, {"item": "nights", "at_least": 3}],
        }
    ]
    assert definition["urgent"][0]["any"] == [{"item": "nights", "at_least": 20}]
    page = admin.get(url("instrument-version", version)).content.decode()
    assert "Housing" in page and "Call the outreach team today." in page


def test_it_asks_for_the_number_a_condition_must_reach(admin, world):
    version = make_draft(world)
    need = rule_post(version, [(["value", "nights"], "")], kind="housing_instability")
    response = admin.post(url("instrument-rule-add", version, "needs"), need)
    assert response.status_code == 422
    assert "Enter the number it must reach." in response.content.decode()


# ---------------------------------------------------------------- publishing


def test_it_publishes_a_draft_and_never_edits_it_again(admin, world):
    version = make_draft(world)
    response = admin.post(url("instrument-publish", version), {"base": base(version)})
    assert response.status_code == 302
    assert fresh(version).status == "active"
    assert version in selectors.active_versions(world.org)
    assert version not in selectors.active_versions(world.other_org)
    page = admin.get(url("instrument-item-add", version))
    assert page.status_code == 302
    refused = admin.post(url("instrument-item-add", version), item_post(version))
    assert refused.status_code == 302
    assert len(fresh(version).definition["items"]) == 2
    with pytest.raises(Exception, match="no longer a draft"):
        services.instrument_draft_edit(
            actor=world.admin, version=version, expected=None, edit=dict, what="sneaky"
        )


def test_a_new_version_copies_the_published_one_and_publishing_it_retires_the_old(admin, world):
    first = make_draft(world)
    services.instrument_publish(actor=world.admin, version=first)
    assert admin.post(url("instrument-new-version", first)).status_code == 302
    second = first.instrument.versions.get(status="draft")
    assert second.label == "2" and second.definition == first.definition
    refused = admin.post(url("instrument-new-version", first))
    assert refused.status_code == 422
    assert "already a draft" in refused.content.decode()
    assert admin.post(url("instrument-publish", second), {"base": base(second)}).status_code == 302
    assert fresh(first).status == "retired" and fresh(second).status == "active"


def test_publishing_from_a_stale_page_is_refused(admin, world):
    version = make_draft(world)
    stale = base(version)
    services.instrument_draft_edit(
        actor=world.admin,
        version=version,
        expected=stale,
        edit=lambda d: {**d, "items": d["items"][:1]},
        what="trim",
    )
    response = admin.post(url("instrument-publish", version), {"base": stale})
    assert response.status_code == 409
    assert fresh(version).status == "draft"


def test_it_retires_a_version(admin, world):
    version = make_draft(world)
    services.instrument_publish(actor=world.admin, version=version)
    assert admin.post(url("instrument-retire", version)).status_code == 302
    assert fresh(version).status == "retired"
    assert not selectors.active_versions(world.org).filter(pk=version.pk).exists()


def test_copy_to_edit_makes_a_shipped_instrument_the_organizations_own(admin, world, instruments):
    shipped = instruments["phq-9"]
    target = reverse(
        "manage:instrument-copy", args=[world.org.pk, shipped.instrument_id, shipped.pk]
    )
    assert admin.post(target).status_code == 302
    copy = Instrument.objects.get(organization=world.org)
    draft = copy.versions.get()
    assert copy.title == "PHQ-9 (copy)" or copy.title.endswith("(copy)")
    assert draft.status == "draft" and draft.definition == shipped.definition
    assert fresh(shipped).definition == shipped.definition
    assert shipped.instrument.organization is None


def test_active_versions_are_the_shipped_ones_and_the_organizations_own(world, instruments):
    own = make_draft(world)
    services.instrument_publish(actor=world.admin, version=own)
    other_admin = world.outsider
    from conftest import add_role

    add_role(other_admin, "org_admin", organization=world.other_org)
    theirs = services.instrument_create(
        actor=other_admin, organization=world.other_org, title="Theirs", definition=HOUSING
    )
    services.instrument_publish(actor=other_admin, version=theirs)
    mine = set(selectors.active_versions(world.org))
    assert own in mine and theirs not in mine
    assert set(instruments.values()) <= mine
    assert theirs in set(selectors.active_versions(world.other_org.pk))


# ---------------------------------------------------------------- preview


def test_the_preview_shows_english_and_spanish_with_working_skip_logic(admin, world):
    definition = make_draft_definition()
    definition["items"][1]["enable_when"] = [
        {"question": "housed", "operator": "=", "answer": "no"}
    ]
    definition["scores"] = [{"name": "total", "items": ["housed", "nights"]}]
    definition["needs"] = [
        {"kind": "housing_instability", "any": [{"item": "housed", "codes": ["no"]}]}
    ]
    version = make_draft(world, definition)
    preview = url("instrument-preview", version)
    english = admin.get(preview).content.decode()
    assert "Do you have a steady place to live?" in english
    assert "How many nights" not in english
    assert "Prefer not to answer" in english
    spanish = admin.get(preview, {"lang": "es"}).content.decode()
    assert 'lang="es"' in spanish and "¿Tiene un lugar estable donde vivir?" in spanish
    assert "Prefiero no contestar" in spanish and "Vivienda" in spanish
    shown = admin.get(preview, {"lang": "es", "a-housed": "no"}).content.decode()
    assert "How many nights outside last month?" in shown  # untranslated: English
    assert "Housing" in shown
    declined = admin.get(preview, {"a-housed": "__declined__"}).content.decode()
    assert "How many nights" not in declined
    bad = admin.get(preview, {"a-housed": "no", "a-nights": "many"})
    assert "Enter a whole number." in bad.content.decode()
    assert not ScreeningResponse.objects.exists()


def test_the_preview_of_a_shipped_instrument_works(admin, world, instruments):
    shipped = instruments["phq-2"]
    page = admin.get(
        reverse("manage:instrument-preview", args=[world.org.pk, shipped.instrument_id, shipped.pk])
    )
    assert page.status_code == 200
    assert shipped.definition["items"][0]["text"] in page.content.decode()


# ---------------------------------------------------------------- FHIR


def test_it_exports_a_version_as_a_fhir_questionnaire_that_imports_back(admin, world):
    version = make_draft(world)
    response = admin.get(url("instrument-fhir", version))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert "attachment" in response["Content-Disposition"]
    resource = json.loads(response.content)
    assert resource["resourceType"] == "Questionnaire"
    upload = io.BytesIO(json.dumps(resource).encode())
    upload.name = "housing.json"
    imported = admin.post(
        reverse("manage:instrument-import", args=[world.org.pk]), {"file": upload}
    )
    assert imported.status_code == 302
    copy = Instrument.objects.exclude(pk=version.instrument_id).get(organization=world.org)
    assert copy.title == "Housing check"
    draft = copy.versions.get()
    assert [i["link_id"] for i in draft.definition["items"]] == ["housed", "nights"]
    assert fhir.definition_from_questionnaire(resource)["items"] == draft.definition["items"]


def test_it_exports_a_shipped_instrument(admin, world, instruments):
    shipped = instruments["gad-7"]
    response = admin.get(
        reverse("manage:instrument-fhir", args=[world.org.pk, shipped.instrument_id, shipped.pk])
    )
    assert json.loads(response.content)["title"] == shipped.instrument.title


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"[" * 5000 + b"]" * 5000, "not valid JSON"),
        (b'{"resourceType": "Questionnaire", "title": "\\ud800"}', "title: Text must be"),
        (b"[1, 2]", "one JSON object"),
        (b'{"resourceType": "Patient"}', "FHIR Patient resource, not a Questionnaire"),
        (
            json.dumps(
                {"resourceType": "Questionnaire", "status": "draft", "item": [{"text": "x"}]}
            ).encode(),
            "cannot be used",
        ),
        (
            json.dumps(
                {
                    "resourceType": "Questionnaire",
                    "status": "draft",
                    "item": [{"linkId": "g", "type": "group", "text": "A group"}],
                }
            ).encode(),
            "cannot ask yet",
        ),
        (
            json.dumps({"resourceType": "Questionnaire", "status": "draft", "item": []}).encode(),
            "cannot be used",
        ),
    ],
)
def test_it_explains_why_an_upload_cannot_be_imported(admin, world, content, message):
    upload = io.BytesIO(content)
    upload.name = "upload.json"
    response = admin.post(
        reverse("manage:instrument-import", args=[world.org.pk]), {"file": upload}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Instrument.objects.exists()


# ---------------------------------------------------------------- the list


def test_the_list_shows_own_and_shipped_instruments_in_a_fixed_number_of_queries(
    admin, world, instruments, django_assert_num_queries
):
    list_url = reverse("manage:instruments", args=[world.org.pk])
    make_draft(world)
    with CaptureQueriesContext(connection) as first:
        admin.get(list_url)
    for n in range(3):
        version = services.instrument_create(
            actor=world.admin, organization=world.org, title=f"Extra {n}", definition=HOUSING
        )
        services.instrument_publish(actor=world.admin, version=version)
        services.instrument_new_version(actor=world.admin, version=version)
    with django_assert_num_queries(len(first.captured_queries)):
        response = admin.get(list_url)
    body = response.content.decode()
    assert "Extra 2" in body and "Housing check" in body
    assert instruments["phq-9"].instrument.title in body
    # session, user, their roles, the organization, its instruments, their versions, the
    # navigation's counts
    assert len(first.captured_queries) == 6 + NAV_COUNTS


def test_the_preview_says_when_nothing_is_translated_yet(admin, world):
    definition = make_draft_definition()
    del definition["translations"]
    version = make_draft(world, definition)
    page = admin.get(url("instrument-preview", version), {"lang": "es"}).content.decode()
    assert "Nothing is translated into Spanish yet" in page
    assert "Do you have a steady place to live?" in page


def test_the_list_offers_to_copy_a_shipped_instrument(admin, world, instruments):
    page = admin.get(reverse("manage:instruments", args=[world.org.pk])).content.decode()
    shipped = instruments["phq-9"]
    copy_url = reverse(
        "manage:instrument-copy", args=[world.org.pk, shipped.instrument_id, shipped.pk]
    )
    assert copy_url in page
