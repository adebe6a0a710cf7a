"""FHIR R4 mapping for screening: an instrument version as a `Questionnaire`, a response
as a `QuestionnaireResponse`, and a `Questionnaire` back into a definition.

Validated with fhir.resources' R4B models: the package ships R5 (its default namespace),
R4B and STU3, and Questionnaire and QuestionnaireResponse are the same in R4 and R4B.
What FHIR has no element for (sensitivity, of an item or of the whole instrument,
whether an item may be declined, and the scoring, need and urgent rules) travels in
extensions, so an export imports back to the same definition. (A shipped
behavioral-health instrument is sensitive as a whole by its LOINC panel code, which
travels as `Questionnaire.code`: `intake.sensitive`.) Translations of the title, item
texts and option displays travel in the standard translation extension on those
primitives (`_title`, `_text`, `_display`); which of them are the published, validated
wording, in a `validated-translation` extension per language on the Questionnaire."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from django.conf import settings
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from alongside.intake import definitions
from alongside.intake.models import Answer, InstrumentVersion, ScreeningResponse

EXT = "https://alongside.example.org/fhir/StructureDefinition/"
EXT_RULES = EXT + "screening-rules"
EXT_ALLOW_DECLINE = EXT + "allow-decline"
EXT_SENSITIVE = EXT + "sensitive"
# One per language whose wording is the published, validated one (valueCode: the language).
EXT_VALIDATED_TRANSLATION = EXT + "validated-translation"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
TYPES = {"choice": "choice", "integer": "integer", "boolean": "boolean", "text": "text"}
ANSWER_KEYS = {
    "choice": "answerCoding",
    "integer": "answerInteger",
    "boolean": "answerBoolean",
    "text": "answerString",
}
VALUE_KEYS = {
    "choice": "valueCoding",
    "integer": "valueInteger",
    "boolean": "valueBoolean",
    "text": "valueString",
}


# FHIR's PublicationStatus, a required binding the FHIR models themselves do not check.
PUBLICATION_STATUSES = ("draft", "active", "retired", "unknown")
# QuestionnaireResponse.status (a required binding in R4).
RESPONSE_STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")


class FhirImportError(ValueError):
    """The resource is not valid FHIR, or not a questionnaire Alongside can use."""


def _valid(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Check the resource against the FHIR model; return it as plain JSON."""
    try:
        resource = model.model_validate(data)
    except Exception as error:  # pydantic reports every problem in one exception
        raise FhirImportError(str(error)) from error
    return dict(json.loads(resource.model_dump_json(exclude_none=True)))


def _coding(code: Mapping[str, Any]) -> dict[str, Any]:
    coding = {"system": code.get("system"), "code": code["code"], "display": code.get("display")}
    return {k: v for k, v in coding.items() if v}


def canonical_url(version: InstrumentVersion) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/fhir/Questionnaire/{version.instrument.slug}"


# ---------------------------------------------------------------- Questionnaire


def questionnaire(version: InstrumentVersion) -> dict[str, Any]:
    definition = definitions.normalize(version.definition)
    instrument = version.instrument
    data: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"{instrument.slug}-{version.label}"[:64],
        "language": definitions.BASE_LANGUAGE,
        "url": canonical_url(version),
        "version": version.label,
        "name": "".join(part.capitalize() for part in instrument.slug.split("-")),
        "title": instrument.title,
        "status": version.status if version.status != "retired" else "retired",
        "subjectType": ["Patient"],
        "extension": [
            {"url": EXT_ALLOW_DECLINE, "valueBoolean": definition["allow_decline"]},
            {
                "url": EXT_RULES,
                "valueString": json.dumps(
                    {k: definition[k] for k in ("scores", "needs", "urgent")}, sort_keys=True
                ),
            },
        ],
        "item": [_q_item(entry, definition) for entry in definition["items"]],
    }
    if definition["sensitive"]:
        # Every answer is sensitive (the definition's own flag; left out when unset).
        data["extension"].insert(0, {"url": EXT_SENSITIVE, "valueBoolean": True})
    titles = {
        language: words["title"]
        for language, words in definition["translations"].items()
        if words.get("title")
    }
    if titles:
        data["_title"] = _translated(titles)
    data["extension"] += [
        {"url": EXT_VALIDATED_TRANSLATION, "valueCode": language}
        for language, words in sorted(definition["translations"].items())
        if words["validated"]
    ]
    if instrument.publisher:
        data["publisher"] = instrument.publisher
    if instrument.citation:
        data["copyright"] = instrument.citation
    if definition["code"]:
        data["code"] = [_coding(definition["code"])]
    return _valid(Questionnaire, data)


def _q_item(entry: Mapping[str, Any], definition: Mapping[str, Any]) -> dict[str, Any]:
    types = {i["link_id"]: i["type"] for i in definition["items"]}
    extensions: list[dict[str, Any]] = [
        {"url": EXT_SENSITIVE, "valueBoolean": entry["sensitive"]},
        {"url": EXT_ALLOW_DECLINE, "valueBoolean": entry["allow_decline"]},
    ]
    if "min" in entry:
        extensions.append({"url": MIN_VALUE, "valueInteger": entry["min"]})
    if "max" in entry:
        extensions.append({"url": MAX_VALUE, "valueInteger": entry["max"]})
    item: dict[str, Any] = {
        "linkId": entry["link_id"],
        "text": entry["text"],
        "type": TYPES[entry["type"]],
        "required": entry["required"],
        "extension": extensions,
    }
    own = {
        language: words["items"].get(entry["link_id"], {})
        for language, words in definition["translations"].items()
    }
    texts = {language: words["text"] for language, words in own.items() if words.get("text")}
    if texts:
        item["_text"] = _translated(texts)
    if entry["code"]:
        item["code"] = [_coding(entry["code"])]
    if entry["options"]:
        item["answerOption"] = [
            _option(
                o,
                {
                    lang: w["options"][o["code"]]
                    for lang, w in own.items()
                    if o["code"] in w.get("options", {})
                },
            )
            for o in entry["options"]
        ]
    if entry["enable_when"]:
        item["enableBehavior"] = entry["enable_behavior"]
        item["enableWhen"] = [_enable_when(c, types[c["question"]]) for c in entry["enable_when"]]
    return item


def _option(option: Mapping[str, Any], displays: Mapping[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = {"valueCoding": _coding(option)}
    if displays:
        result["valueCoding"]["_display"] = _translated(displays)
    if option.get("value") is not None:
        result["extension"] = [{"url": ORDINAL, "valueDecimal": option["value"]}]
    return result


def _translated(words: Mapping[str, str]) -> dict[str, Any]:
    """A primitive's `_element` carrying one translation extension per language."""
    return {
        "extension": [
            {
                "url": TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": language},
                    {"url": "content", "valueString": text},
                ],
            }
            for language, text in sorted(words.items())
        ]
    }


def _enable_when(condition: Mapping[str, Any], question_type: str) -> dict[str, Any]:
    operator, answer = condition["operator"], condition["answer"]
    if operator == "exists":
        return {"question": condition["question"], "operator": "exists", "answerBoolean": answer}
    key = ANSWER_KEYS[question_type]
    value = {"code": answer} if question_type == "choice" else answer
    return {"question": condition["question"], "operator": operator, key: value}


def definition_from_questionnaire(data: Mapping[str, Any]) -> dict[str, Any]:
    """A definition from a FHIR R4 Questionnaire, normalized and checked with
    validate_definition. Raises FhirImportError naming what is wrong."""
    resource = _valid(Questionnaire, dict(data))
    if resource["status"] not in PUBLICATION_STATUSES:
        raise FhirImportError(
            "A Questionnaire's status is draft, active, retired or unknown, "
            f"not {resource['status']!r}."
        )
    top = _extensions(resource)
    rules = json.loads(top.get(EXT_RULES, '{"scores": [], "needs": [], "urgent": []}'))
    codes = resource.get("code") or []
    items: list[dict[str, Any]] = []
    types: dict[str, str] = {}
    translations: dict[str, dict[str, Any]] = {}

    def words(language: str) -> dict[str, Any]:
        return translations.setdefault(language, {"items": {}})

    for language, title in _translations_of(resource.get("_title")).items():
        words(language)["title"] = title
    for raw in resource.get("item", []):
        entry = _d_item(raw, types)
        types[entry["link_id"]] = entry["type"]
        items.append(entry)
        for language, text in _translations_of(raw.get("_text")).items():
            words(language)["items"].setdefault(entry["link_id"], {})["text"] = text
        for option in raw.get("answerOption", []):
            coding = option.get("valueCoding") or {}
            if not coding.get("code"):
                continue
            for language, display in _translations_of(coding.get("_display")).items():
                own = words(language)["items"].setdefault(entry["link_id"], {})
                own.setdefault("options", {})[coding["code"]] = display
    _mark_validated(translations, resource)
    definition = {
        "code": _from_coding(codes[0]) if codes else None,
        "allow_decline": top.get(EXT_ALLOW_DECLINE, True),
        "sensitive": top.get(EXT_SENSITIVE, False),
        "items": items,
        **rules,
        "translations": translations,
    }
    problems = definitions.validate_definition(definition)
    if problems:
        raise FhirImportError(" ".join(problems))
    return definitions.normalize(definition)


def _mark_validated(translations: dict[str, dict[str, Any]], resource: Mapping[str, Any]) -> None:
    """Each translation says whether the Questionnaire calls it the published, validated
    wording (a plain Questionnaire from elsewhere never does)."""
    validated = {
        extension.get("valueCode", "")
        for extension in resource.get("extension", [])
        if extension.get("url") == EXT_VALIDATED_TRANSLATION
    }
    for language, own in translations.items():
        own["validated"] = language in validated


def _extensions(element: Mapping[str, Any]) -> dict[str, Any]:
    found = {}
    for extension in element.get("extension", []):
        for key, value in extension.items():
            if key.startswith("value"):
                found[extension["url"]] = value
    return found


def _translations_of(element: Mapping[str, Any] | None) -> dict[str, str]:
    """{language: text} from a primitive's `_element` translation extensions. A regional
    tag (es-MX) counts as its language unless the plain tag (es) is there too; languages
    Alongside cannot show are left out."""
    found: dict[str, str] = {}
    for extension in (element or {}).get("extension", []):
        if extension.get("url") != TRANSLATION:
            continue
        parts = _extensions(extension)
        tag, content = parts.get("lang"), parts.get("content")
        if not isinstance(tag, str) or not isinstance(content, str):
            continue
        language = tag.split("-")[0].lower()
        if language not in definitions.TRANSLATION_LANGUAGES:
            continue
        if tag.lower() == language or language not in found:
            found[language] = content
    return found


def _from_coding(coding: Mapping[str, Any]) -> dict[str, str]:
    return {
        "system": coding.get("system", ""),
        "code": coding["code"],
        "display": coding.get("display", ""),
    }


def _d_item(raw: Mapping[str, Any], types: Mapping[str, str]) -> dict[str, Any]:
    kinds = {v: k for k, v in TYPES.items()} | {"string": "text"}
    if raw["type"] not in kinds:
        raise FhirImportError(
            f"Item {raw['linkId']!r} has type {raw['type']!r}, which Alongside cannot ask yet."
        )
    extensions = _extensions(raw)
    entry: dict[str, Any] = {
        "link_id": raw["linkId"],
        "text": raw.get("text", ""),
        "type": kinds[raw["type"]],
        "code": _from_coding(raw["code"][0]) if raw.get("code") else None,
        "required": raw.get("required", False),
        "sensitive": extensions.get(EXT_SENSITIVE, False),
        "enable_behavior": raw.get("enableBehavior", "all"),
        "options": [
            {
                **_from_coding(option["valueCoding"]),
                "value": _ordinal(_extensions(option).get(ORDINAL)),
            }
            for option in raw.get("answerOption", [])
            if "valueCoding" in option
        ],
        "enable_when": [_from_enable_when(c) for c in raw.get("enableWhen", [])],
    }
    if EXT_ALLOW_DECLINE in extensions:
        entry["allow_decline"] = extensions[EXT_ALLOW_DECLINE]
    if MIN_VALUE in extensions:
        entry["min"] = extensions[MIN_VALUE]
    if MAX_VALUE in extensions:
        entry["max"] = extensions[MAX_VALUE]
    return entry


def _ordinal(value: Any) -> int | None:
    return None if value is None else int(value)


def _from_enable_when(condition: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in condition.items():
        if key.startswith("answer"):
            answer = value["code"] if key == "answerCoding" else value
            return {
                "question": condition["question"],
                "operator": condition["operator"],
                "answer": answer,
            }
    raise FhirImportError(f"An enableWhen on {condition.get('question')!r} has no answer.")


# ---------------------------------------------------------------- QuestionnaireResponse


def questionnaire_response(
    response: ScreeningResponse, *, withhold: Collection[str] = ()
) -> dict[str, Any]:
    """The response as FHIR. Declined items carry data-absent-reason 'asked-declined' and
    skipped ones 'asked-unknown', so neither reads as an answer; items in `withhold`
    (sensitive answers the reader may not see) carry 'masked' and no answer."""
    version = response.instrument_version
    definition = definitions.normalize(version.definition)
    answers = {a.link_id: a for a in response.answers.all()}
    items = []
    for entry in definition["items"]:
        answer = answers.get(entry["link_id"])
        item: dict[str, Any] = {"linkId": entry["link_id"], "text": entry["text"]}
        if entry["link_id"] in withhold:
            # Masked whether or not it was answered: a reader who may not see the answer
            # learns nothing from its absence either (and it was never loaded).
            item["extension"] = [{"url": ABSENT, "valueCode": "masked"}]
        elif answer is None:
            continue
        elif answer.state == Answer.State.ANSWERED:
            item["answer"] = [{VALUE_KEYS[entry["type"]]: _fhir_value(entry, answer.value)}]
        else:
            reason = "asked-declined" if answer.state == Answer.State.DECLINED else "asked-unknown"
            item["extension"] = [{"url": ABSENT, "valueCode": reason}]
        items.append(item)
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"screening-{response.pk}",
        "questionnaire": f"{canonical_url(version)}|{version.label}",
        "status": "completed" if response.is_completed else "in-progress",
        "subject": {"reference": f"Patient/{response.person_id}"},
        "authored": (response.completed_at or response.started_at).isoformat(),
        "item": items,
    }
    return _valid(QuestionnaireResponse, data)


def _fhir_value(entry: Mapping[str, Any], value: Any) -> Any:
    if entry["type"] != "choice":
        return value
    option = next(o for o in entry["options"] if o["code"] == value)
    return _coding(option)


def _answer_value(link_id: str, answer: Mapping[str, Any]) -> Any:
    """The answer's value[x]: a coding's code, or the plain value."""
    for key, value in answer.items():
        if not key.startswith("value"):
            continue  # id, extension, nested item
        if key != "valueCoding":
            return value
        if not value.get("code"):
            raise FhirImportError(f"The answer to {link_id!r} is a coding without a code.")
        return value["code"]
    raise FhirImportError(f"The answer to {link_id!r} has no value.")


def answers_from_questionnaire_response(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{link_id: {"state": ..., "value": ...}} from a FHIR QuestionnaireResponse."""
    nulls = sorted(str(name) for name, value in data.items() if value is None)
    if nulls:
        # FHIR's JSON has no null elements; fhir.resources would read one as left out.
        raise FhirImportError(f"Leave out elements rather than send null: {', '.join(nulls)}.")
    resource = _valid(QuestionnaireResponse, dict(data))
    if resource.get("status") not in RESPONSE_STATUSES:
        # fhir.resources checks that status is a code, not that it is one of these.
        raise FhirImportError(f"status must be one of: {', '.join(RESPONSE_STATUSES)}.")
    found: dict[str, dict[str, Any]] = {}
    for item in resource.get("item", []):
        reason = _extensions(item).get(ABSENT)
        if item.get("answer"):
            found[item["linkId"]] = {
                "state": Answer.State.ANSWERED,
                "value": _answer_value(item["linkId"], item["answer"][0]),
            }
        elif reason == "asked-declined":
            found[item["linkId"]] = {"state": Answer.State.DECLINED, "value": None}
        else:
            found[item["linkId"]] = {"state": Answer.State.SKIPPED, "value": None}
    return found
