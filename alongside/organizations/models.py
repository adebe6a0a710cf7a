import zoneinfo

import holidays
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower


class Organization(models.Model):
    class PersonLabel(models.TextChoices):
        PERSON = "person", "person / people"
        CLIENT = "client", "client / clients"
        PARTICIPANT = "participant", "participant / participants"
        PATIENT = "patient", "patient / patients"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    person_label = models.CharField(
        max_length=20,
        choices=PersonLabel.choices,
        default=PersonLabel.PERSON,
        help_text="The word the interface uses for the people this organization serves.",
    )
    # Where the organization works: its public holidays (the `holidays` library's country
    # and subdivision codes, e.g. "US" and "NY") and time zone decide business days and
    # "today" for its follow-up deadlines.
    country = models.CharField(max_length=2, default="US")
    subdivision = models.CharField(max_length=10, blank=True)
    time_zone = models.CharField(max_length=60, default="America/New_York")
    # A screening's translation that is not its authors' published wording may change
    # what a question means; a person answering alone cannot ask. Off unless chosen.
    allow_unvalidated_translations = models.BooleanField(
        default=False,
        help_text="Whether people answering a screening on their own may be shown a "
        "translation that is not the published, validated wording.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="organization_name_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        self.country = self.country.upper()
        self.subdivision = self.subdivision.upper()
        supported = holidays.list_supported_countries()
        if self.country not in supported:
            errors["country"] = "Give a two-letter country code, such as US."
        elif self.subdivision and self.subdivision not in supported[self.country]:
            errors["subdivision"] = (
                f"{self.country} has no region {self.subdivision}; leave it blank or give "
                f"one of its codes, such as {supported[self.country][0]}."
            )
        if self.time_zone not in zoneinfo.available_timezones():
            errors["time_zone"] = "Give a time zone such as America/New_York."
        if errors:
            raise ValidationError(errors)

    @property
    def person_label_plural(self) -> str:
        return "people" if self.person_label == "person" else f"{self.person_label}s"


class Program(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programs"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="program_name_unique_in_organization"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The wall-time zone of its opening hours and appointments; blank follows the
    # organization's.
    time_zone = models.CharField(max_length=60, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.time_zone and self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError({"time_zone": "Give a time zone such as America/New_York."})

    @property
    def zone_name(self) -> str:
        return self.time_zone or self.organization.time_zone
