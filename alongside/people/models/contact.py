"""What is on a person's record about who they are and how to reach them: languages,
identifiers, contact points with their safe-contact rules, and the people who matter
to them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.people.languages import LANGUAGE_NAMES, LANGUAGES
from alongside.people.models.person import Person
from alongside.people.normalize import normalize_identifier, normalize_phone


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=12, choices=LANGUAGES)
    is_preferred = models.BooleanField(default=False)
    interpreter_needed = models.BooleanField(default=False)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "person language")
        verbose_name_plural = pgettext_lazy("kind of record", "person languages")
        ordering = ["-is_preferred", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="person_language_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(LANGUAGE_NAMES.get(self.language, self.language))


class Identifier(models.Model):
    class Kind(models.TextChoices):
        MEDICAID = "medicaid", _("Medicaid ID")
        MEDICARE = "medicare", _("Medicare ID")
        MRN = "mrn", _("Medical record number")
        HMIS = "hmis", _("HMIS ID")
        INSURANCE = "insurance", _("Insurance member ID")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    issuer = models.CharField(max_length=150, help_text=_("Who assigned it, e.g. 'NY Medicaid'."))
    value = models.CharField(max_length=64)
    normalized = models.CharField(max_length=64, editable=False, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "identifier")
        verbose_name_plural = pgettext_lazy("kind of record", "identifiers")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "issuer", "normalized"], name="identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def clean(self) -> None:
        self.normalized = normalize_identifier(self.value)
        if not self.normalized:
            raise ValidationError({"value": "Enter the identifier's letters and digits."})


BAD_PHONE = "Enter a valid phone number, such as (212) 555-0187 or +1 212 555 0187."


class ContactPoint(models.Model):
    """A way to reach the person, with the rules that keep contact safe."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        ADDRESS = "address", _("Address")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=40, blank=True, help_text=_("e.g. mobile, work, home"))
    value = models.CharField(max_length=300)
    normalized = models.CharField(max_length=300, editable=False, db_index=True)
    is_preferred = models.BooleanField(default=False)
    # Per channel (see CHANNEL_FIELDS): allowed or not, why not, and a window of local
    # times in the person's time zone. Safe by default: no voicemail, no texts and no
    # email until the person says yes; a phone may be called.
    may_call = models.BooleanField(default=True)
    may_leave_voicemail = models.BooleanField(default=False)
    may_text = models.BooleanField(default=False)
    may_email = models.BooleanField(default=False)
    voice_reason = models.CharField(max_length=200, blank=True)
    voicemail_reason = models.CharField(max_length=200, blank=True)
    text_reason = models.CharField(max_length=200, blank=True)
    email_reason = models.CharField(max_length=200, blank=True)
    voice_from = models.TimeField(null=True, blank=True)
    voice_until = models.TimeField(null=True, blank=True)
    voicemail_from = models.TimeField(null=True, blank=True)
    voicemail_until = models.TimeField(null=True, blank=True)
    text_from = models.TimeField(null=True, blank=True)
    text_until = models.TimeField(null=True, blank=True)
    email_from = models.TimeField(null=True, blank=True)
    email_until = models.TimeField(null=True, blank=True)
    # For every channel: when contact is safe at all.
    safe_hours_start = models.TimeField(null=True, blank=True)
    safe_hours_end = models.TimeField(null=True, blank=True)
    best_times = models.CharField(max_length=200, blank=True)
    never_contact_times = models.CharField(max_length=200, blank=True)
    safety_note = models.CharField(
        max_length=500, blank=True, help_text="e.g. 'Use the work phone only'."
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "contact point")
        verbose_name_plural = pgettext_lazy("kind of record", "contact points")
        ordering = ["-is_preferred", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self) -> None:
        value = self.value.strip()
        if self.kind == self.Kind.PHONE:
            phone = normalize_phone(value)
            if phone is None:
                raise ValidationError({"value": BAD_PHONE})
            self.normalized = phone
        elif self.kind == self.Kind.EMAIL:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError({"value": "Enter a valid email address."}) from None
            self.normalized = value.lower()
        else:
            if not value:
                raise ValidationError({"value": "Enter the address."})
            self.normalized = " ".join(value.lower().split())
        # Lower-casing can lengthen text ("İ" becomes two characters); keep it storable.
        self.normalized = self.normalized[:300]
        if (self.safe_hours_start is None) != (self.safe_hours_end is None):
            raise ValidationError(
                {"safe_hours_end": "Give both the start and the end of the safe hours, or neither."}
            )
        for channel in CHANNELS:
            if (getattr(self, f"{channel}_from") is None) != (
                getattr(self, f"{channel}_until") is None
            ):
                why = "Give both the start and the end of the window, or neither."
                raise ValidationError({f"{channel}_until": why})

    def is_within_safe_hours(self, at: dt.time) -> bool:
        """Whether contact at this local time is inside the person's safe hours, if set."""
        return within(self.safe_hours_start, self.safe_hours_end, at)

    def channel_applies(self, channel: str) -> bool:
        """Whether this kind of contact point can carry the channel at all."""
        return channel in CHANNELS_BY_KIND.get(self.kind, ())

    def allows(self, channel: str) -> bool:
        return self.channel_applies(channel) and bool(getattr(self, CHANNEL_FIELDS[channel]))

    def window(self, channel: str) -> tuple[dt.time | None, dt.time | None]:
        return getattr(self, f"{channel}_from"), getattr(self, f"{channel}_until")


def within(start: dt.time | None, end: dt.time | None, at: dt.time) -> bool:
    """Whether a local time is inside a window (open when unset; may cross midnight)."""
    if start is None or end is None:
        return True
    if start <= end:
        return start <= at <= end
    return at >= start or at <= end


# The channels a contact point's rules speak of, and the field that allows each.
CHANNELS = ("voice", "voicemail", "text", "email")
CHANNEL_FIELDS = {
    "voice": "may_call",
    "voicemail": "may_leave_voicemail",
    "text": "may_text",
    "email": "may_email",
}
CHANNELS_BY_KIND = {"phone": ("voice", "voicemail", "text"), "email": ("email",)}


class SupportContact(models.Model):
    """Someone who matters to the person, and whether the person agreed to involve them."""

    class Relationship(models.TextChoices):
        FAMILY = "family", _("Family")
        PARTNER = "partner", _("Partner or spouse")
        FRIEND = "friend", _("Friend")
        GUARDIAN = "guardian", _("Guardian")
        CAREGIVER = "caregiver", _("Caregiver")
        PEER = "peer", _("Peer supporter")
        PROFESSIONAL = "professional", _("Other helper or professional")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="support_contacts")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    relationship_detail = models.CharField(max_length=100, blank=True, help_text=_("e.g. sister"))
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    may_involve = models.BooleanField(
        _("person agreed to involve them"),
        default=False,
        help_text=_("Only involve this person in care if the person served agreed."),
    )
    note = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("kind of record", "support contact")
        verbose_name_plural = pgettext_lazy("kind of record", "support contacts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
