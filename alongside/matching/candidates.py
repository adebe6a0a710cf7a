"""The registration-time check: is the person being registered already here?"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from alongside.accounts.scope import scope_for
from alongside.audit import services as audit
from alongside.audit.services import Action
from alongside.matching.fellegi_sunter import (
    REASONS,
    Record,
    compare,
    decide,
    make_record,
    weigh,
)
from alongside.matching.learned import registration_model
from alongside.people import search as finder
from alongside.people.models import ContactPoint, Identifier, Person, organizations_reached

# Candidates read per kind of lookup; each is one indexed query.
PER_LOOKUP = 30
# Best name matches read (people search ranks them; see people/search.py).
NAME_MATCHES = 10
_POSTAL = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "street",
    "postal_code",
    "identifier",
)


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float
    decision: str  # "likely" or "possible"
    reasons: list[str]  # strongest evidence first
    # Exact matches of what identifies one person ("same Medicaid ID", "same phone
    # number"): shown first, and never left out, whatever the names say.
    strong: tuple[str, ...] = ()

    @property
    def other_reasons(self) -> list[str]:
        return self.reasons[len(self.strong) :]


LIKELY, POSSIBLE = "likely", "possible"


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        return finder.parse_date(value)
    return None


def candidate_record(fields: Mapping[str, Any]) -> Record:
    """The record of what was typed at registration."""
    text = {name: str(fields.get(name) or "").strip() for name in FIELDS}
    phone = finder.normalize_phone(text["phone"]) if text["phone"] else None
    return make_record(
        "",
        text["given_name"],
        text["family_name"],
        _date(fields.get("date_of_birth")),
        text["sex"],
        phone or "",
        text["email"],
        text["street"],
        text["postal_code"],
        text["identifier"],
    )


def _transposed(born: dt.date) -> dt.date | None:
    if born.day > 12 or born.day == born.month:
        return None
    return born.replace(month=born.day, day=born.month)


def _candidate_ids(
    visible: QuerySet[Person],
    wanted: Record,
    fields: Mapping[str, Any],
    organizations: tuple[int, ...] | None = None,
) -> set[int]:
    """People who share something indexed with the candidate."""
    ids: set[int] = set()
    born = _date(fields.get("date_of_birth"))
    if born is not None:
        dates = [d for d in (born, _transposed(born)) if d is not None]
        ids.update(
            visible.filter(date_of_birth__in=dates).values_list("pk", flat=True)[: PER_LOOKUP * 3]
        )
    if wanted[10]:
        ids.update(
            ContactPoint.objects.filter(kind="phone", normalized=wanted[10])
            .filter(person__in=visible)
            .values_list("person_id", flat=True)[:PER_LOOKUP]
        )
    if wanted[11]:
        ids.update(
            ContactPoint.objects.filter(kind="email", normalized=wanted[11])
            .filter(person__in=visible)
            .values_list("person_id", flat=True)[:PER_LOOKUP]
        )
    if wanted[14]:
        ids.update(
            Identifier.objects.filter(normalized=wanted[14])
            .filter(person__in=visible)
            .values_list("person_id", flat=True)[:PER_LOOKUP]
        )
    name = " ".join(
        str(fields.get(key) or "").strip() for key in ("given_name", "family_name")
    ).strip()
    if name:
        ids.update(
            finder.search(visible, name, limit=PER_LOOKUP, organizations=organizations).values_list(
                "pk", flat=True
            )[:PER_LOOKUP]
        )
    return ids


def _pick(values: list[str], wanted: str) -> str:
    """The value equal to the wanted one if the person has it, else their first."""
    if wanted and wanted in values:
        return wanted
    return values[0] if values else ""


def person_records(person: Person, wanted: Record) -> list[Record]:
    """The person as records for the model: one per first name (legal and preferred)."""
    phones: list[str] = []
    emails: list[str] = []
    streets: list[str] = []
    postals: list[str] = []
    for contact in person.contact_points.all():
        if contact.kind == ContactPoint.Kind.PHONE:
            phones.append(contact.normalized)
        elif contact.kind == ContactPoint.Kind.EMAIL:
            emails.append(contact.normalized)
        else:
            codes = _POSTAL.findall(contact.normalized)
            streets.append(contact.normalized.split(",", 1)[0])
            postals.append(codes[-1] if codes else "")
    identifiers = [i.normalized for i in person.identifiers.all()]
    street = ""
    postal = ""
    if streets:
        at = postals.index(wanted[13]) if wanted[13] in postals else 0
        street, postal = streets[at], postals[at]
    names = [person.legal_given_name]
    if person.preferred_name and person.preferred_name != person.legal_given_name:
        names.append(person.preferred_name)
    return [
        make_record(
            str(person.pk),
            given,
            person.legal_family_name,
            person.date_of_birth,
            person.sex,
            _pick(phones, wanted[10]),
            _pick(emails, wanted[11]),
            street,
            postal,
            _pick(identifiers, wanted[14]),
        )
        for given in names
    ]


def strong_evidence(person: Person, wanted: Record) -> tuple[str, ...]:
    """What the person shares exactly with the candidate that identifies one person: an
    identifier (named by its kind), a phone number, an email address."""
    found: list[str] = []
    if wanted[14]:
        for identifier in person.identifiers.all():
            if identifier.normalized == wanted[14]:
                kind = identifier.get_kind_display()
                found.append(_("same identifier (%(kind)s)") % {"kind": kind})
                break
    for kind, at, text in (
        (ContactPoint.Kind.PHONE, 10, _("same phone number")),
        (ContactPoint.Kind.EMAIL, 11, _("same email address")),
    ):
        if wanted[at] and any(
            c.kind == kind and c.normalized == wanted[at] for c in person.contact_points.all()
        ):
            found.append(text)
    return tuple(found)


# The model's own words for the evidence `strong_evidence` names better.
_SAID_BY_STRONG = {REASONS[("identifier", "same")], REASONS[("phone", "same")]}
_SAID_BY_STRONG |= {REASONS[("email", "same")]}


def _scored(
    person: Person,
    wanted: Record,
    likely: float,
    possible: float,
    weights: dict[tuple[str, str], float],
) -> Candidate | None:
    """The person as a candidate, or None when the evidence is too weak to show. An
    identifier in common makes a likely match; a phone or email in common is always
    shown (people of one household may share them, so it alone is only possible)."""
    best: tuple[float, list[tuple[str, str]]] | None = None
    for record in person_records(person, wanted):
        levels = compare(wanted, record)
        total = weigh(record, levels, None, weights=weights)
        if best is None or total > best[0]:
            best = (total, levels)
    assert best is not None
    total, levels = best
    decision = decide(total, likely, possible)
    strong = strong_evidence(person, wanted)
    if wanted[14] and any(i.normalized == wanted[14] for i in person.identifiers.all()):
        decision = LIKELY
    elif strong:
        decision = decision or POSSIBLE
    if decision is None:
        return None
    ordered = sorted(levels, key=lambda level: -weights[level])
    reasons = [REASONS[lv] for lv in ordered]
    if strong:
        reasons = [*strong, *(r for r in reasons if r not in _SAID_BY_STRONG)]
    return Candidate(person, round(total, 2), decision, reasons, strong)


def likely_duplicates(
    user: Any,
    candidate_fields: Mapping[str, Any],
    limit: int = 5,
    *,
    exclude_id: int | None = None,
) -> list[Candidate]:
    """People the user can see who may be the person being registered, best first, with
    the reasons; only those scoring at least the possible threshold. Scored with the
    weights saved in MATCH_WEIGHTS_FILE when it is set (`learned.registration_model`),
    else the prior ones. Recorded as one search event (naming the fields given, not
    their values)."""
    wanted = candidate_record(candidate_fields)
    visible = Person.objects.visible_to(user)
    ids = _candidate_ids(visible, wanted, candidate_fields, organizations_reached(scope_for(user)))
    ids.discard(exclude_id or 0)
    model = registration_model()
    likely, possible = model.registration_thresholds()
    weights = model.weights
    found: list[Candidate] = []
    if ids:
        people = (
            visible.filter(pk__in=ids)
            .only(
                "id",
                "organization_id",
                "legal_given_name",
                "legal_family_name",
                "preferred_name",
                "date_of_birth",
                "sex",
            )
            .prefetch_related(
                Prefetch(
                    "contact_points",
                    queryset=ContactPoint.objects.only("id", "person_id", "kind", "normalized"),
                ),
                Prefetch(
                    "identifiers",
                    queryset=Identifier.objects.only("id", "person_id", "kind", "normalized"),
                ),
            )
        )
        for person in people:
            candidate = _scored(person, wanted, likely, possible, weights)
            if candidate is not None:
                found.append(candidate)
    found.sort(key=lambda c: (-c.score, c.person.pk))
    found = found[:limit]
    audit.record(
        actor=user,
        action=Action.SEARCH,
        object_type="people.person",
        organization_id=scope_for(user).primary_organization_id,
        detail={
            "purpose": "duplicate check",
            "fields": sorted(k for k in FIELDS if candidate_fields.get(k)),
            "results": len(found),
        },
    )
    return found
