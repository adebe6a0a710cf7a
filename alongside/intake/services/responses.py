"""Screenings: starting one, saving answers, completing it (scoring, deriving needs,
raising urgent flags), switching its language, and bringing one in from FHIR."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from alongside.audit.services import Action
from alongside.intake import definitions, fhir, selectors, sensitive, translation_gate
from alongside.intake.definitions import Given
from alongside.intake.models import (
    Answer,
    InstrumentVersion,
    Score,
    ScreeningLink,
    ScreeningResponse,
)
from alongside.intake.services import journey
from alongside.intake.services.access import (
    authorize,
    locked,
    may_ask,
    record_response,
    visible_person,
)
from alongside.intake.services.flags import flags_raise
from alongside.intake.services.needs import need_identify
from alongside.lib.errors import StaleVersion
from alongside.lib.validation import full_clean
from alongside.people.models import Person


@transaction.atomic
def response_start(
    *,
    actor: Any,
    person: Person,
    instrument_version: InstrumentVersion,
    mode: str = ScreeningResponse.Mode.STAFF,
    language: str = ScreeningResponse.Language.ENGLISH,
) -> ScreeningResponse:
    person = visible_person(actor, person)
    may_ask(actor, person, instrument_version)
    if instrument_version.status != InstrumentVersion.Status.ACTIVE:
        raise ValidationError(_("Only the active version of an instrument can be started."))
    if instrument_version.instrument.organization_id not in (None, person.organization_id):
        raise ValidationError(_("This instrument belongs to another organization."))
    if language not in definitions.languages(instrument_version.definition):
        raise ValidationError(
            {"language": _("This instrument has no translation in that language.")}
        )
    if mode == ScreeningResponse.Mode.PERSON:
        _check_person_may_see(instrument_version, language, person)
    response = ScreeningResponse(
        person=person,
        instrument_version=instrument_version,
        started_at=timezone.now(),
        started_by=actor,
        mode=mode,
        language=language,
    )
    full_clean(response)
    response.save()
    record_response(
        actor, Action.CREATE, response, detail={"instrument": instrument_version.instrument.slug}
    )
    return response


@transaction.atomic
def answer_save(
    *,
    actor: Any,
    response: ScreeningResponse,
    link_id: str,
    value: Any = None,
    declined: bool = False,
    expected_version: int | None,
    link: ScreeningLink | None = None,
) -> ScreeningResponse:
    """Save one answer (autosave calls this per item). `declined` records "prefer not to
    answer"; `value=None` without `declined` clears the answer. Each save moves the
    response's version on, so two people editing the same draft cannot overwrite each
    other: the second gets StaleVersion."""
    given = Given(value=None, declined=True) if declined else None
    if not declined and value is not None:
        given = Given(value=value)
    return answers_save(
        actor=actor,
        response=response,
        answers={link_id: given},
        expected_version=expected_version,
        link=link,
    )


@transaction.atomic
def answers_save(
    *,
    actor: Any,
    response: ScreeningResponse,
    answers: Mapping[str, Given | None],
    expected_version: int | None,
    link: ScreeningLink | None = None,
) -> ScreeningResponse:
    """Save several answers at once (a whole page submitted): all or none. None clears
    an answer. The version is checked once, against what the page was showing, and moves
    on once; every answer is checked against its question, and one audit event names the
    questions that changed (never their answers). Answers already saved as given change
    nothing, so an autosave retried after it succeeded is no conflict."""
    authorize(actor, response, link)
    return _answers_put(actor, locked(response, None), answers, expected_version)


def _answer_problem(definition: Mapping[str, Any], entry: Mapping[str, Any], given: Given) -> str:
    """Why a given answer cannot be kept ("" when it can)."""
    if given.declined:
        return (
            "" if definitions.can_decline(definition, entry) else "This question needs an answer."
        )
    return definitions.check_value(entry, given.value) or ""


def _answers_put(
    actor: Any,
    current: ScreeningResponse,
    answers: Mapping[str, Given | None],
    expected_version: int | None,
) -> ScreeningResponse:
    """answers_save, once the actor is authorized and the response locked."""
    definition = current.definition
    existing = {a.link_id: a for a in current.answers.all()}
    stored = {
        link_id: Given(value=a.value, declined=a.state == Answer.State.DECLINED)
        for link_id, a in existing.items()
    }
    entries = {e["link_id"]: e for e in definition["items"]}
    unknown = sorted(set(answers) - entries.keys())
    if unknown:
        raise ValidationError(
            {link_id: _("This question is not part of the screening.") for link_id in unknown}
        )
    changed = sorted(link_id for link_id, given in answers.items() if stored.get(link_id) != given)
    if not changed:
        return current
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current.version)
    problems: dict[str, str] = {}
    rows: list[Answer] = []
    for link_id in changed:
        given, entry = answers[link_id], entries[link_id]
        if given is None:
            continue  # cleared: deleted below
        problem = _answer_problem(definition, entry, given)
        if problem:
            problems[link_id] = problem
            continue
        state = Answer.State.DECLINED if given.declined else Answer.State.ANSWERED
        value = None if given.declined else given.value
        row = existing.get(link_id) or Answer(response=current, link_id=link_id)
        row.state, row.value = state, value
        full_clean(row, validate_constraints=False)
        rows.append(row)
    if problems:
        raise ValidationError(problems)
    cleared = [existing[k].pk for k in changed if answers[k] is None and k in existing]
    if cleared:
        Answer.objects.filter(pk__in=cleared).delete()
    Answer.objects.bulk_update([r for r in rows if r.pk], ["state", "value"])
    Answer.objects.bulk_create([r for r in rows if not r.pk])
    current.version += 1
    current.save(update_fields=["version"])
    record_response(actor, Action.UPDATE, current, fields=changed)
    return current


def answers_given(response: ScreeningResponse) -> dict[str, Given]:
    return {
        a.link_id: Given(value=a.value, declined=a.state == Answer.State.DECLINED)
        for a in response.answers.all()
        if a.state != Answer.State.SKIPPED
    }


@transaction.atomic
def response_complete(
    *,
    actor: Any,
    response: ScreeningResponse,
    expected_version: int | None,
    link: ScreeningLink | None = None,
) -> ScreeningResponse:
    """Finish a screening: record unanswered questions as skipped, drop answers to
    questions the skip logic no longer asks, score, derive needs and raise urgent flags."""
    authorize(actor, response, link)
    return _complete(actor, locked(response, expected_version))


def _complete(actor: Any, response: ScreeningResponse) -> ScreeningResponse:
    """response_complete, once the actor is authorized and the response locked."""
    definition = response.definition
    given = answers_given(response)
    asked = definitions.enabled_items(definition, given)
    asked_ids = {entry["link_id"] for entry in asked}
    missing = [e["link_id"] for e in asked if e.get("required") and e["link_id"] not in given]
    if missing:
        raise ValidationError(
            {
                link_id: _("Answer this question, or record that the person prefers not to answer.")
                for link_id in missing
            }
        )
    response.answers.exclude(link_id__in=asked_ids).delete()
    given = {k: v for k, v in given.items() if k in asked_ids}
    Answer.objects.bulk_create(
        Answer(response=response, link_id=link_id, state=Answer.State.SKIPPED)
        for link_id in sorted(asked_ids - given.keys())
    )
    outcome = definitions.score(definition, given)
    hidden = sensitive.sensitive_scores(definition)
    Score.objects.bulk_create(
        Score(
            response=response,
            name=result.name,
            value=result.value,
            band=result.band,
            items_missing=result.items_missing,
            sensitive=result.name in hidden,
        )
        for result in outcome.scores.values()
    )
    now = timezone.now()
    response.status = ScreeningResponse.Status.COMPLETED
    response.completed_at = now
    response.completed_by = actor
    response.version += 1
    response.save(update_fields=["status", "completed_at", "completed_by", "version"])
    record_response(actor, Action.COMPLETE, response, detail={"scores": sorted(outcome.scores)})
    journey.screening_completed(actor, response, now)
    for kind in outcome.needs:
        need_identify(actor, response, kind, now)
    flags_raise(actor, response, outcome.urgent, now)
    return response


@transaction.atomic
def response_record(
    *,
    actor: Any,
    person: Person,
    instrument_version: InstrumentVersion,
    answers: Mapping[str, Given | None],
    language: str = ScreeningResponse.Language.ENGLISH,
    complete: bool = True,
) -> ScreeningResponse:
    """A whole screening entered at once (from paper, or from another system): started,
    answered and, with `complete`, completed, all or nothing. The same checks and audit
    events as answering it page by page, with the actor authorized once."""
    response = response_start(
        actor=actor, person=person, instrument_version=instrument_version, language=language
    )
    # Started in this transaction, so no one else can have it: it needs no lock.
    response = _answers_put(actor, response, answers, response.version)
    return _complete(actor, response) if complete else response


@transaction.atomic
def response_set_language(
    *, actor: Any, response: ScreeningResponse, language: str, link: ScreeningLink | None = None
) -> ScreeningResponse:
    """Switch the language the questions are shown in; answers are codes, so they stay."""
    authorize(actor, response, link)
    response = locked(response, None)
    if language not in definitions.languages(response.definition):
        raise ValidationError(
            {"language": _("This screening has no translation in that language.")}
        )
    # Only the person's own view switches languages (staff ask in the one they chose).
    _check_person_may_see(response.instrument_version, language, response.person)
    if language != response.language:
        response.language = language
        response.save(update_fields=["language"])
        record_response(actor, Action.UPDATE, response, fields=["language"])
    return response


# ---------------------------------------------------------------- FHIR import


@transaction.atomic
def response_import(*, actor: Any, person: Person, data: dict[str, Any]) -> ScreeningResponse:
    """A FHIR QuestionnaireResponse (from a portal or another system) as a screening on
    the person's record: all of it, or nothing. Its `questionnaire` names the instrument
    as `…/Questionnaire/<slug>|<version label>`; a `completed` one is scored, derives
    needs and raises urgent flags like any other."""
    person = visible_person(actor, person)
    version = _version_named(str(data.get("questionnaire") or ""), person)
    answers = fhir.answers_from_questionnaire_response(data)
    unknown = sorted(set(answers) - {e["link_id"] for e in version.definition["items"]})
    if unknown:
        raise ValidationError(
            {link_id: _("This question is not part of the screening.") for link_id in unknown}
        )
    return response_record(
        actor=actor,
        person=person,
        instrument_version=version,
        answers={
            link_id: Given(value=a["value"], declined=a["state"] == Answer.State.DECLINED)
            for link_id, a in answers.items()
            if a["state"] != Answer.State.SKIPPED
        },
        complete=data.get("status") == "completed",
    )


def _version_named(questionnaire: str, person: Person) -> InstrumentVersion:
    url, _bar, label = questionnaire.partition("|")
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    versions = InstrumentVersion.objects.filter(
        selectors.usable_by(person.organization_id, prefix="instrument__"), instrument__slug=slug
    ).select_related("instrument")
    version = (
        versions.filter(label=label).first()
        if label
        else versions.filter(status=InstrumentVersion.Status.ACTIVE).first()
    )
    if version is None:
        raise ValidationError(
            {
                "questionnaire": _("No instrument %(name)s is available to this organization.")
                % {"name": repr(questionnaire)}
            }
        )
    return version


def _check_person_may_see(version: InstrumentVersion, language: str, person: Person) -> None:
    """A person answering on their own is not given an unvalidated translation unless
    their organization allows it (intake/translation_gate.py)."""
    if not translation_gate.person_may_see(version.definition, language, person):
        name = get_language_info(language)["name_translated"]  # "Spanish", for staff
        raise ValidationError(
            {"language": translation_gate.refusal(version.instrument.title, name)}
        )
