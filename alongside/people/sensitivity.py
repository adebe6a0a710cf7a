"""The one sensitivity rule: what a viewer may see of a person.

Visibility (`Person.objects.visible_to`) says whether a viewer may see a person at all;
this says how much, from the viewer's role and their relationship to the person. Pages,
the API, FHIR and CSV exports ask `disclosure_for(user, person)`, and the selectors that
hand out a person's information apply it before anything leaves them, so what a viewer
may not see is never in the objects a page or endpoint receives.

What is sensitive is decided by the app that owns it: here, the approach-with-care note
(`SENSITIVE_PROFILE_FIELDS`); in intake, sensitive answers, the scores that add them up
and safety and behavioral-health needs (`alongside.intake.sensitive`). Those apps decide
*what*; this module decides *who*. See docs/access-and-audit.md for the table per role.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy, gettext_noop

from alongside.accounts.actors import Actor, Visitor
from alongside.accounts.scope import scope_for
from alongside.people.models import Enrollment, Person, Profile

# Said wherever something is hidden from a viewer, on pages and (as `reason`) in the API:
# hidden is never shown as "none". The API schema's descriptions quote the English words:
# they are built once, at import, whatever language the request that imports them is in.
RESTRICTED_ENGLISH = gettext_noop("Details restricted to the care team.")
RESTRICTED = gettext_lazy(RESTRICTED_ENGLISH)
SENSITIVE_PROFILE_FIELDS = frozenset({"approach_with_care"})


class CareNote(StrEnum):
    """How much of an approach-with-care note a viewer sees."""

    TEXT = "text"  # the note itself
    NOTICE = "notice"  # that one exists, and to speak with the coordinator first
    NONE = "none"


@dataclass(frozen=True)
class Disclosure:
    """What one viewer may see of one person.

    identity, contact (contact points with their safe-contact rules, and the people who
    matter to them) and profile (the one-page profile) go to everyone who sees the person:
    anyone who reaches out must obey the safe-contact rules. `care_note` is the
    approach-with-care note. `sensitive` covers sensitive screening answers, the scores
    that add them up, safety and behavioral-health needs and urgent flags' reasons.
    `on_team` is working with the person now (schedulers included): moving their needs
    along. `access_log` is the record of who accessed the person's information.
    """

    identity: bool = False
    contact: bool = False
    profile: bool = False
    care_note: CareNote = CareNote.NONE
    sensitive: bool = False
    on_team: bool = False
    access_log: bool = False

    @property
    def reads_care_note(self) -> bool:
        return self.care_note is CareNote.TEXT


NOTHING = Disclosure()


def disclosure_for(user: Visitor, person: Person) -> Disclosure:
    """What `user` may see of `person`, from their memberships (read once per request)
    and the person's enrollments (prefetch them where this is asked often).

    - the person's care team (the primary coordinator of an open enrollment, or staff
      other than schedulers of a program the person is enrolled in: referred, active or
      paused) sees everything but the access log, which is for supervisors;
    - schedulers of those programs see the person, how to reach them safely and their
      profile, and that an approach-with-care note exists, never its text nor
      sensitive screening details: arranging appointments does not need them;
    - organization admins, and staff of a program the person was once enrolled in, see
      the same as schedulers; admins and supervisors of any of the person's programs
      also see who accessed the record;
    - anyone else sees nothing (the person answers 404).
    """
    scope = scope_for(user)
    enrollments = list(person.enrollments.all())
    admin = scope.is_admin_of(person.organization_id)
    if scope.user_id is None or not (
        admin or any(e.program_id in scope.program_ids for e in enrollments)
    ):
        return NOTHING
    current = [e for e in enrollments if e.is_open]
    coordinates = any(e.primary_coordinator_id == scope.user_id for e in current)
    care = coordinates or any(e.program_id in scope.care_program_ids for e in current)
    return Disclosure(
        identity=True,
        contact=True,
        profile=True,
        care_note=CareNote.TEXT if care else CareNote.NOTICE,
        sensitive=care,
        on_team=care or any(e.program_id in scope.program_ids for e in current),
        access_log=admin or any(scope.oversees_program(e.program_id) for e in enrollments),
    )


def may_export(user: Visitor) -> bool:
    """Exports of lists of people are for supervisors and organization admins. They carry
    identity only, which everyone who may see a person sees; a column of anything more
    would have to ask `disclosure_for` for each row."""
    scope = scope_for(user)
    return bool(scope.admin_organization_ids or scope.supervised_program_ids)


def sees_sensitive(user: Visitor, person_ref: str = "pk") -> Exists:
    """The same rule as `Disclosure.sensitive`, as a condition on people in a query
    (`person_ref` names the person's id in the outer query): for lists that keep to the
    people whose sensitive details the user may see, such as the urgent-results queue.
    Combine it with `visible_to`."""
    scope = scope_for(user)
    care = Q(program_id__in=scope.care_program_ids)
    if scope.user_id is not None:  # never "coordinator is null" for someone signed out
        care |= Q(primary_coordinator_id=scope.user_id)
    return Exists(
        Enrollment.objects.filter(
            person_id=OuterRef(person_ref), status__in=Enrollment.OPEN_STATUSES
        ).filter(care)
    )


# ---------------------------------------------------------------- applying it


def care_note_notice(person: Person) -> str:
    """What a viewer who may not read an approach-with-care note is told about it."""
    return (
        f"Approach with care — speak with {person.first_name}’s coordinator before raising "
        "personal topics"
    )


def redact_profile(person: Person, profile: Profile | None, disclosure: Disclosure) -> None:
    """Replace, in memory, an approach-with-care note the viewer may not read with the
    notice that one exists. Services re-read what they change (`select_for_update`), so
    a redacted profile is never written back."""
    if profile is None or disclosure.reads_care_note or not profile.approach_with_care:
        return
    profile.approach_with_care = care_note_notice(person)


def redact_person(user: Actor, person: Person) -> Disclosure:
    """Apply the rule to a person read with their profile and enrollments loaded."""
    disclosure = disclosure_for(user, person)
    try:
        profile = person.profile
    except Profile.DoesNotExist:
        profile = None
    redact_profile(person, profile, disclosure)
    return disclosure


def redact_change(changes: dict[str, Any], disclosure: Disclosure) -> dict[str, Any]:
    """A history row's {field: [before, after]} with the values of sensitive fields the
    viewer may not read replaced by the restricted wording."""
    if disclosure.reads_care_note:
        return changes
    return {
        name: [str(RESTRICTED)] * 2 if name in SENSITIVE_PROFILE_FIELDS else pair
        for name, pair in changes.items()
    }
