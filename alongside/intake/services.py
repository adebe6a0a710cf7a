"""Every write in intake: instruments, responses, answers, scores, needs and urgent flags.
Each takes the acting user, validates, writes in a transaction and records its audit event
in that transaction. Answer values never go into the audit trail or into email."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language_info

from alongside.accounts.models import Membership, Role
from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.intake import definitions, fhir, selectors, sensitive, translation_gate
from alongside.intake.definitions import Given
from alongside.intake.models import (
    Answer,
    Instrument,
    InstrumentVersion,
    Need,
    Score,
    ScreeningLink,
    ScreeningResponse,
    UrgentFlag,
)
from alongside.lib.errors import NotPermitted, StaleVersion
from alongside.lib.validation import full_clean
from alongside.organizations.models import Organization
from alongside.people import sensitivity
from alongside.people.models import Enrollment, Person
from alongside.people.sensitivity import disclosure_for

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
URGENT_SUBJECT = "An urgent screening result needs your attention"
LINK_LIFETIME = dt.timedelta(days=7)


# ---------------------------------------------------------------- instruments


@transaction.atomic
def instrument_version_create(
    *,
    actor: Any,
    instrument: Instrument,
    label: str,
    definition: dict[str, Any],
    status: str = InstrumentVersion.Status.DRAFT,
) -> InstrumentVersion:
    version = InstrumentVersion(
        instrument=instrument, label=label, definition=definition, status=status
    )
    if status == InstrumentVersion.Status.ACTIVE:
        _retire_active(actor, instrument)
    version.full_clean()
    version.save()
    audit.record(actor=actor, action=Action.CREATE, obj=version, detail={"label": label})
    return version


def _retire_active(actor: Any, instrument: Instrument) -> None:
    for current in instrument.versions.select_for_update().filter(
        status=InstrumentVersion.Status.ACTIVE
    ):
        instrument_version_set_status(
            actor=actor, version=current, status=InstrumentVersion.Status.RETIRED
        )


@transaction.atomic
def instrument_version_set_status(
    *, actor: Any, version: InstrumentVersion, status: str
) -> InstrumentVersion:
    """Activate (retiring the active version) or retire a version. Responses already
    started on a retired version keep it, and still load and score."""
    if status == version.status:
        return version
    if status == InstrumentVersion.Status.DRAFT:
        raise ValidationError({"status": "A published version cannot go back to draft."})
    if status == InstrumentVersion.Status.ACTIVE:
        _retire_active(actor, version.instrument)
    old = version.status
    version.status = status
    version.full_clean()
    version.save(update_fields=["status"])
    audit.record(
        actor=actor, action=Action.UPDATE, obj=version, fields=["status"], detail={"from": old}
    )
    return version


def instruments_load(*, actor: Any = None, directory: Path = INSTRUMENTS_DIR) -> list[str]:
    """Load the shipped instruments. Idempotent: a version already loaded with the same
    definition is left alone; a changed definition under the same label is refused,
    because responses may already point at it. Returns what it did, one line each."""
    done = []
    for path in sorted(directory.glob("*.json")):
        done.append(_load_one(actor, json.loads(path.read_text(encoding="utf-8")), path.name))
    return done


@transaction.atomic
def _load_one(actor: Any, data: dict[str, Any], source: str) -> str:
    problems = definitions.validate_definition(data.get("definition"))
    if problems:
        raise ValidationError(f"{source}: " + " ".join(problems))
    code = (data["definition"].get("code") or {}).get("code", "")
    instrument, created = Instrument.objects.get_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "publisher": data.get("publisher", ""),
            "citation": data.get("citation", ""),
            "code": code,
        },
    )
    if created:
        audit.record(actor=actor, action=Action.CREATE, obj=instrument)
    existing = instrument.versions.filter(label=data["version"]).first()
    if existing is not None:
        if existing.definition != data["definition"]:
            raise ValidationError(
                f"{source}: version {data['version']} of {data['slug']} is already loaded with "
                "a different definition; give the changed definition a new version label."
            )
        return f"{data['slug']} {data['version']}: already loaded"
    instrument_version_create(
        actor=actor,
        instrument=instrument,
        label=data["version"],
        definition=data["definition"],
        status=InstrumentVersion.Status.ACTIVE,
    )
    return f"{data['slug']} {data['version']}: loaded"


# ---------------------------------------------------------------- responses


def _visible_person(actor: Any, person: Person) -> Person:
    """The person, if the actor may see them; otherwise Person.DoesNotExist (a 404)."""
    return Person.objects.visible_to(actor).get(pk=person.pk)


def has_sensitive_items(version: InstrumentVersion) -> bool:
    return bool(sensitive.sensitive_items(version.definition))


def may_ask(actor: Any, person: Person, version: InstrumentVersion) -> None:
    """An instrument with sensitive questions is for those who may see their answers."""
    if has_sensitive_items(version) and not disclosure_for(actor, person).sensitive:
        raise NotPermitted(
            "This screening asks sensitive questions, so only the person's care team can "
            "fill it in."
        )


def askable_versions(actor: Any, person: Person) -> QuerySet[InstrumentVersion]:
    """The instruments the actor may start for the person today: the organization's active
    ones that `may_ask` allows (only the care team asks sensitive questions)."""
    versions = selectors.active_versions(person.organization)
    if disclosure_for(actor, person).sensitive:
        return versions
    return versions.filter(pk__in=[v.pk for v in versions if not has_sensitive_items(v)])


def _authorize(actor: Any, response: ScreeningResponse, link: ScreeningLink | None) -> None:
    """Staff must be able to see the person (and, for sensitive questions, be on their
    care team); the person answering through a link (no account, actor None) is
    authorized by that link, for that one screening only."""
    if link is None:
        person = _visible_person(actor, response.person)
        may_ask(actor, person, response.instrument_version)
    elif link.response_id != response.pk or not link_is_usable(link):
        raise ScreeningLink.DoesNotExist


def _locked(response: ScreeningResponse, expected_version: int | None) -> ScreeningResponse:
    current = (
        ScreeningResponse.objects.select_for_update()
        .select_related("instrument_version", "person")
        .get(pk=response.pk)
    )
    if current.is_completed:
        raise ValidationError("This screening is already completed; start a new one to redo it.")
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current.version)
    return current


def _record(actor: Any, action: Action, response: ScreeningResponse, **extra: Any) -> None:
    if actor is None:
        # The person, answering through a link: say so, since there is no user to name.
        extra["detail"] = {**extra.get("detail", {}), "via": "link"}
    audit.record_for_person(
        actor=actor, action=action, person=response.person, obj=response, **extra
    )


@transaction.atomic
def response_start(
    *,
    actor: Any,
    person: Person,
    instrument_version: InstrumentVersion,
    mode: str = ScreeningResponse.Mode.STAFF,
    language: str = ScreeningResponse.Language.ENGLISH,
) -> ScreeningResponse:
    person = _visible_person(actor, person)
    may_ask(actor, person, instrument_version)
    if instrument_version.status != InstrumentVersion.Status.ACTIVE:
        raise ValidationError("Only the active version of an instrument can be started.")
    if instrument_version.instrument.organization_id not in (None, person.organization_id):
        raise ValidationError("This instrument belongs to another organization.")
    if language not in definitions.languages(instrument_version.definition):
        raise ValidationError({"language": "This instrument has no translation in that language."})
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
    _record(
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
    _authorize(actor, response, link)
    return _answers_put(actor, _locked(response, None), answers, expected_version)


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
            {link_id: "This question is not part of the screening." for link_id in unknown}
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
    _record(actor, Action.UPDATE, current, fields=changed)
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
    _authorize(actor, response, link)
    return _complete(actor, _locked(response, expected_version))


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
                link_id: "Answer this question, or record that the person prefers not to answer."
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
    _record(actor, Action.COMPLETE, response, detail={"scores": sorted(outcome.scores)})
    for kind in outcome.needs:
        _need_identify(actor, response, kind, now)
    flags = [
        UrgentFlag.objects.create(
            person=response.person,
            response=response,
            reason=rule["reason"],
            guidance=rule["guidance"],
            raised_at=now,
        )
        for rule in outcome.urgent
    ]
    for flag in flags:
        audit.record_for_person(actor=actor, action=Action.CREATE, person=response.person, obj=flag)
    if flags:
        _notify_on_commit(response.person)
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


def _need_identify(actor: Any, response: ScreeningResponse, kind: str, at: Any) -> None:
    """Record a need from a screening, unless the same need is already open."""
    person = response.person
    if Need.objects.filter(person=person, kind=kind, status__in=Need.OPEN_STATUSES).exists():
        return
    need = Need(person=person, kind=kind, source_response=response, identified_at=at)
    full_clean(need, validate_constraints=False)
    try:
        with transaction.atomic():
            need.save()
    except IntegrityError:
        return  # another screening completed at the same moment opened it: one is enough
    audit.record_for_person(
        actor=actor, action=Action.CREATE, person=person, obj=need, detail={"kind": kind}
    )


def urgent_recipients(person: Person) -> list[str]:
    """Email addresses of the person's primary coordinators and the supervisors of the
    programs they are enrolled in."""
    enrollments = list(
        Enrollment.objects.filter(
            person=person, status__in=Enrollment.OPEN_STATUSES
        ).select_related("primary_coordinator")
    )
    addresses = {
        e.primary_coordinator.email
        for e in enrollments
        if e.primary_coordinator is not None and e.primary_coordinator.is_active
    }
    addresses |= set(
        Membership.objects.filter(
            role=Role.SUPERVISOR,
            program_id__in=[e.program_id for e in enrollments],
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )
    return sorted(a for a in addresses if a)


def _notify_on_commit(person: Person) -> None:
    """Tell the people who must act, after commit. The message carries no screening
    content, not even the instrument's name: only that something needs attention."""
    link = settings.SITE_URL.rstrip("/") + reverse("people:detail", args=[person.pk])
    recipients = urgent_recipients(person)
    if not recipients:
        return
    body = (
        f"{URGENT_SUBJECT}.\n\n"
        f"Please sign in to Alongside to see it and follow your program's protocol:\n{link}\n"
    )

    def send() -> None:
        send_mail(URGENT_SUBJECT, body, None, recipients)

    # robust: a mail server that is down must not undo a recorded screening; the flag
    # stays open on the person's record until someone acknowledges it.
    transaction.on_commit(send, robust=True)


def _check_person_may_see(version: InstrumentVersion, language: str, person: Person) -> None:
    """A person answering on their own is not given an unvalidated translation unless
    their organization allows it (intake/translation_gate.py)."""
    if not translation_gate.person_may_see(version.definition, language, person):
        name = get_language_info(language)["name"]  # "Spanish", for staff
        raise ValidationError(
            {"language": translation_gate.refusal(version.instrument.title, name)}
        )


@transaction.atomic
def response_set_language(
    *, actor: Any, response: ScreeningResponse, language: str, link: ScreeningLink | None = None
) -> ScreeningResponse:
    """Switch the language the questions are shown in; answers are codes, so they stay."""
    _authorize(actor, response, link)
    response = _locked(response, None)
    if language not in definitions.languages(response.definition):
        raise ValidationError({"language": "This screening has no translation in that language."})
    # Only the person's own view switches languages (staff ask in the one they chose).
    _check_person_may_see(response.instrument_version, language, response.person)
    if language != response.language:
        response.language = language
        response.save(update_fields=["language"])
        _record(actor, Action.UPDATE, response, fields=["language"])
    return response


# ---------------------------------------------------------------- links for the person


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_is_usable(link: ScreeningLink) -> bool:
    return (
        link.revoked_at is None
        and link.expires_at > timezone.now()
        and link.response.status == ScreeningResponse.Status.IN_PROGRESS
    )


@transaction.atomic
def link_create(*, actor: Any, response: ScreeningResponse) -> tuple[ScreeningLink, str]:
    """A new link for the person to answer this screening on their own device. Returns
    the link and its token; only the token's hash is kept, so it is shown once."""
    _authorize(actor, response, None)
    response = _locked(response, None)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ScreeningLink.objects.create(
        response=response,
        token_hash=_token_hash(token),
        created_by=actor,
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    _record(actor, Action.CREATE, response, detail={"link": link.pk})
    return link, token


@transaction.atomic
def link_revoke(*, actor: Any, link: ScreeningLink) -> ScreeningLink:
    link = (
        ScreeningLink.objects.select_for_update().select_related("response__person").get(pk=link.pk)
    )
    _visible_person(actor, link.response.person)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        _record(actor, Action.UPDATE, link.response, detail={"link": link.pk, "revoked": True})
    return link


def link_language(token: str) -> str | None:
    """The language of the screening behind a link, usable or not (to say in it that the
    link no longer works); None for a token no link has."""
    return (
        ScreeningLink.objects.filter(token_hash=_token_hash(token))
        .values_list("response__language", flat=True)
        .first()
    )


def link_for_token(token: str) -> ScreeningLink:
    """The usable link with this token, or ScreeningLink.DoesNotExist."""
    link = (
        ScreeningLink.objects.select_related("response__instrument_version__instrument")
        .select_related("response__person")
        .get(token_hash=_token_hash(token))
    )
    if not link_is_usable(link):
        raise ScreeningLink.DoesNotExist
    return link


@transaction.atomic
def urgent_flag_acknowledge(*, actor: Any, flag: UrgentFlag) -> UrgentFlag:
    person = _visible_person(actor, flag.person)
    if not disclosure_for(actor, person).sensitive:
        raise NotPermitted("Only the person's care team can acknowledge an urgent result.")
    flag = UrgentFlag.objects.select_for_update().select_related("person").get(pk=flag.pk)
    if flag.acknowledged_at is not None:
        return flag
    flag.acknowledged_by = actor
    flag.acknowledged_at = timezone.now()
    flag.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit.record_for_person(
        actor=actor, action=Action.UPDATE, person=flag.person, obj=flag, fields=["acknowledged_at"]
    )
    return flag


# ---------------------------------------------------------------- need status


NEED_CHANGED = (
    "Someone else changed this need to “{current}” while you were looking. Nothing was "
    "changed; check the record and choose again."
)


@transaction.atomic
def need_set_status(*, actor: Any, need: Need, status: str, expected: str | None) -> Need:
    """Move a need between identified, being addressed, resolved and not wanted. Only the
    person's care team may. `expected` is the status the actor saw: if someone changed it
    since, nothing is changed (ValidationError with code "stale"), so two people updating
    the same need never silently undo each other. None skips that check."""
    person = _visible_person(actor, need.person)
    disclosure = disclosure_for(actor, person)
    if not disclosure.on_team:
        raise NotPermitted("Only the person’s care team can change the status of a need.")
    if sensitive.is_sensitive_need(need.kind) and not disclosure.sensitive:
        raise NotPermitted(sensitivity.RESTRICTED)
    if status not in Need.Status.values:
        raise ValidationError({"status": "Choose one of the listed statuses."})
    need = Need.objects.select_for_update().get(pk=need.pk)
    old = need.status
    if expected is not None and old != expected:
        raise ValidationError(NEED_CHANGED.format(current=Need.Status(old).label), code="stale")
    if status == old:
        return need
    reopening = status in Need.OPEN_STATUSES and old not in Need.OPEN_STATUSES
    if (
        reopening
        and Need.objects.filter(person_id=need.person_id, kind=need.kind)
        .filter(status__in=Need.OPEN_STATUSES)
        .exclude(pk=need.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "status": f"{person.first_name} already has an open “{need.get_kind_display()}” "
                "need; update that one instead."
            }
        )
    need.status = status
    need.full_clean(validate_constraints=False)
    need.save(update_fields=["status"])
    audit.record_for_person(
        actor=actor,
        action=Action.UPDATE,
        person=person,
        obj=need,
        fields=["status"],
        detail={"from": old, "to": status},
    )
    return need


# ---------------------------------------------------------------- instrument builder
#
# An organization's own instruments, built in the app. Only that organization's admins
# may build them (the same rule as every /manage/ screen: an instrument becomes available
# to every program of the organization). Shipped instruments (no organization) are never
# edited here; they can be copied into an instrument of the organization's own.


class DraftChanged(StaleVersion):
    """The draft changed since the editor opened it; refuse rather than overwrite."""

    def __init__(self) -> None:
        Exception.__init__(self, "Someone else changed this draft since you opened it.")
        self.current_version = 0


def can_build(user: Any, organization_id: int | None) -> bool:
    return organization_id is not None and scope_for(user).is_admin_of(organization_id)


def _ensure_builder(actor: Any, organization_id: int | None) -> None:
    if not can_build(actor, organization_id):
        raise NotPermitted("Only this organization's admins can build its instruments.")


def draft_token(version: InstrumentVersion) -> str:
    """A fingerprint of everything the builder shows of a version: its status and
    definition, and the instrument's name and source. Every edit sends the fingerprint it
    was made from; a different one now means someone else saved in between."""
    instrument = version.instrument
    state = [
        version.status,
        instrument.title,
        instrument.publisher,
        instrument.citation,
        version.definition,
    ]
    canonical = json.dumps(state, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _unique_slug(organization: Organization, title: str) -> str:
    base = slugify(f"{organization.slug}-{title}")[:54].strip("-") or organization.slug
    slug, number = base, 2
    while Instrument.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _next_label(instrument: Instrument) -> str:
    labels = set(instrument.versions.values_list("label", flat=True))
    number = max((int(label) for label in labels if label.isdigit()), default=0) + 1
    while str(number) in labels:
        number += 1
    return str(number)


def _draft_create(
    actor: Any,
    instrument: Instrument,
    label: str,
    definition: dict[str, Any],
    detail: dict[str, Any],
) -> InstrumentVersion:
    version = InstrumentVersion(
        instrument=instrument,
        label=label,
        definition=definition,
        status=InstrumentVersion.Status.DRAFT,
    )
    version.full_clean()
    version.save()
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=version,
        organization_id=instrument.organization_id,
        detail={"label": label, **detail},
    )
    return version


@transaction.atomic
def instrument_create(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    definition: dict[str, Any],
    publisher: str = "",
    citation: str = "",
    source: str = "builder",
) -> InstrumentVersion:
    """A new instrument of the organization's own, as a draft version 1. The definition
    must be valid (a draft is never stored broken): ValidationError lists its problems."""
    _ensure_builder(actor, organization.pk)
    code = definition.get("code") if isinstance(definition, dict) else None
    instrument = Instrument(
        organization=organization,
        slug=_unique_slug(organization, title),
        title=title.strip(),
        publisher=publisher.strip(),
        citation=citation.strip(),
        code=str((code or {}).get("code", ""))[:40] if isinstance(code, dict) else "",
    )
    instrument.full_clean()
    instrument.save()
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=instrument,
        organization_id=organization.pk,
        detail={"source": source},
    )
    return _draft_create(actor, instrument, "1", definition, {"source": source})


@transaction.atomic
def instrument_copy(
    *, actor: Any, organization: Organization, version: InstrumentVersion
) -> InstrumentVersion:
    """“Copy to edit”: a new instrument of the organization's own whose draft starts as
    this version's definition (a shipped instrument's, or one of the organization's)."""
    source = version.instrument
    if source.organization_id not in (None, organization.pk):
        raise NotPermitted("That instrument belongs to another organization.")
    return instrument_create(
        actor=actor,
        organization=organization,
        title=f"{source.title} (copy)"[:200],
        definition=copy.deepcopy(version.definition),
        publisher=source.publisher,
        citation=source.citation,
        source=f"copy of {source.slug} version {version.label}",
    )


@transaction.atomic
def instrument_new_version(*, actor: Any, version: InstrumentVersion) -> InstrumentVersion:
    """A draft copy of a published (active or retired) version; published versions are
    never edited. An instrument has at most one draft at a time."""
    instrument = Instrument.objects.select_for_update().get(pk=version.instrument_id)
    _ensure_builder(actor, instrument.organization_id)
    version = InstrumentVersion.objects.get(pk=version.pk)
    if version.status == InstrumentVersion.Status.DRAFT:
        raise ValidationError("This version is still a draft: edit it instead.")
    draft = instrument.versions.filter(status=InstrumentVersion.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            f"Version {draft.label} is already a draft. Edit it, or retire it first."
        )
    return _draft_create(
        actor,
        instrument,
        _next_label(instrument),
        copy.deepcopy(version.definition),
        {"from_version": version.label},
    )


def _locked_draft(version: InstrumentVersion, expected: str | None) -> InstrumentVersion:
    current = (
        InstrumentVersion.objects.select_for_update()
        .select_related("instrument")
        .get(pk=version.pk)
    )
    if current.status != InstrumentVersion.Status.DRAFT:
        raise ValidationError(
            f"Version {current.label} is no longer a draft ({current.get_status_display()}), "
            "so it cannot change. Start a new version to make changes."
        )
    if expected is not None and draft_token(current) != expected:
        raise DraftChanged
    return current


INSTRUMENT_DETAILS = ("title", "publisher", "citation")


@transaction.atomic
def instrument_draft_edit(
    *,
    actor: Any,
    version: InstrumentVersion,
    expected: str | None,
    edit: Callable[[dict[str, Any]], dict[str, Any]],
    what: str,
    details: Mapping[str, str] | None = None,
) -> InstrumentVersion:
    """Change a draft: `edit` turns its current definition into the new one (see
    `drafting`), and `details` may change the instrument's title, publisher and citation.
    The whole result is validated before anything is saved. `expected` is the
    `draft_token` the editor started from: DraftChanged when it no longer matches."""
    current = _locked_draft(version, expected)
    instrument = current.instrument
    _ensure_builder(actor, instrument.organization_id)
    try:
        definition = edit(copy.deepcopy(current.definition))
    except LookupError as error:
        raise ValidationError(str(error).strip("'\"")) from error
    problems = definitions.validate_definition(definition)
    if problems:
        raise ValidationError(problems)
    changed = [
        name
        for name in INSTRUMENT_DETAILS
        if details is not None
        and name in details
        and getattr(instrument, name) != details[name].strip()
    ]
    for name in changed:
        setattr(instrument, name, details[name].strip())  # type: ignore[index]
    if changed:
        instrument.full_clean()
        instrument.save(update_fields=changed)
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            obj=instrument,
            organization_id=instrument.organization_id,
            fields=changed,
        )
    if definition != current.definition:
        current.definition = definition
        current.full_clean()
        current.save(update_fields=["definition"])
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            obj=current,
            organization_id=instrument.organization_id,
            fields=["definition"],
            detail={"change": what},
        )
    return current


def _status_change(
    actor: Any, version: InstrumentVersion, status: str, expected: str | None
) -> InstrumentVersion:
    current = (
        InstrumentVersion.objects.select_for_update()
        .select_related("instrument")
        .get(pk=version.pk)
    )
    instrument = current.instrument
    _ensure_builder(actor, instrument.organization_id)
    if expected is not None and draft_token(current) != expected:
        raise DraftChanged
    current = instrument_version_set_status(actor=actor, version=current, status=status)
    # The status change above is recorded on the version; this puts it in the
    # organization's own audit trail too.
    audit.record(
        actor=actor,
        action=Action.UPDATE,
        obj=instrument,
        organization_id=instrument.organization_id,
        detail={"version": current.label, "status": status},
    )
    return current


@transaction.atomic
def instrument_publish(
    *, actor: Any, version: InstrumentVersion, expected: str | None = None
) -> InstrumentVersion:
    """Make a draft the active version, retiring the one active before it (responses
    already started on that one keep it)."""
    current = (
        InstrumentVersion.objects.select_for_update()
        .select_related("instrument")
        .get(pk=version.pk)
    )
    _ensure_builder(actor, current.instrument.organization_id)
    if current.status != InstrumentVersion.Status.DRAFT:
        raise ValidationError("Only a draft can be published.")
    return _status_change(actor, current, InstrumentVersion.Status.ACTIVE, expected)


@transaction.atomic
def instrument_retire(*, actor: Any, version: InstrumentVersion) -> InstrumentVersion:
    """Stop offering a version (or set a draft aside). Nothing is deleted."""
    current = (
        InstrumentVersion.objects.select_for_update()
        .select_related("instrument")
        .get(pk=version.pk)
    )
    _ensure_builder(actor, current.instrument.organization_id)
    if current.status == InstrumentVersion.Status.RETIRED:
        raise ValidationError("This version is already retired.")
    return _status_change(actor, current, InstrumentVersion.Status.RETIRED, None)


# ---------------------------------------------------------------- FHIR import


@transaction.atomic
def response_import(*, actor: Any, person: Person, data: dict[str, Any]) -> ScreeningResponse:
    """A FHIR QuestionnaireResponse (from a portal or another system) as a screening on
    the person's record: all of it, or nothing. Its `questionnaire` names the instrument
    as `…/Questionnaire/<slug>|<version label>`; a `completed` one is scored, derives
    needs and raises urgent flags like any other."""
    person = _visible_person(actor, person)
    version = _version_named(str(data.get("questionnaire") or ""), person)
    answers = fhir.answers_from_questionnaire_response(data)
    unknown = sorted(set(answers) - {e["link_id"] for e in version.definition["items"]})
    if unknown:
        raise ValidationError(
            {link_id: "This question is not part of the screening." for link_id in unknown}
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
    url, _, label = questionnaire.partition("|")
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
            {"questionnaire": f"No instrument {questionnaire!r} is available to this organization."}
        )
    return version
