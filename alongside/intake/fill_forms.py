"""Forms for starting and filling in a screening, and reading one posted answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.accounts.models import User
from alongside.intake import definitions
from alongside.intake.definitions import Given
from alongside.intake.models import InstrumentVersion, ScreeningResponse
from alongside.intake.services.responses import answers_given
from alongside.people.models import Person

# The field value for "prefer not to answer", never a valid option code or number.
DECLINED = "__declined__"


def parse_answer(entry: Mapping[str, Any], raw: str) -> Given | None:
    """One posted answer as the service takes it: None for no answer, a decline, or a
    typed value. Raises ValidationError with a message for the person answering."""
    raw = raw.strip() if entry["type"] != "text" else raw
    if raw == DECLINED:
        return Given(declined=True)
    if raw == "":
        return None
    kind = entry["type"]
    if kind == "integer":
        try:
            return Given(value=int(raw))
        except ValueError:
            raise ValidationError(_("Enter a whole number.")) from None
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise ValidationError(_("Answer yes or no."))
        return Given(value=raw == "true")
    problem = definitions.check_value(entry, raw)
    if problem:
        raise ValidationError(problem)
    return Given(value=raw)


def questions(
    response: ScreeningResponse,
    problems: dict[str, str],
    posted: QueryDict | None = None,
    *,
    conflict: bool = False,
) -> list[dict[str, Any]]:
    """Each item as the page shows it: in the response's language (with the English
    beside it for staff), its current answer, whether skip logic asks it, its error.
    After a conflict, `saved` says what someone else saved where it differs from what
    this page sent, so nothing is overwritten unseen."""
    definition = response.definition
    local = definitions.localized(definition, response.language)
    given = answers_given(response)
    enabled = {e["link_id"] for e in definitions.enabled_items(definition, given)}
    questions = []
    for number, (entry, english) in enumerate(
        zip(local["items"], definition["items"], strict=True), 1
    ):
        link_id = entry["link_id"]
        current = given.get(link_id)
        stored = _as_field(current)
        shown = _posted_value(posted, link_id) if posted is not None else stored
        questions.append(
            {
                "number": number,
                "entry": entry,
                "english": english["text"] if english["text"] != entry["text"] else "",
                "dom_id": f"q{number}",
                "field": f"a-{link_id}",
                "decline_field": f"d-{link_id}",
                "scale": _scale(entry),
                "value": shown,
                "declined": shown == DECLINED,
                "can_decline": definitions.can_decline(definition, entry),
                "enabled": link_id in enabled,
                "error": problems.get(link_id, ""),
                "dependents": _dependents(definition, link_id),
                "saved": _words(entry, current) if conflict and shown != stored else "",
            }
        )
    return questions


def _words(entry: Mapping[str, Any], given: Given | None) -> str:
    """An answer as words, for staff."""
    if given is None:
        return "no answer"
    if given.declined:
        return "prefers not to answer"
    if isinstance(given.value, bool):
        return "yes" if given.value else "no"
    options = {o["code"]: o["display"] for o in entry.get("options", [])}
    return str(options.get(given.value, given.value))


def _scale(entry: Mapping[str, Any]) -> list[str]:
    """A short integer range (a 0–10 ruler) is asked as a row of choices, not a box."""
    low, high = entry.get("min"), entry.get("max")
    if entry["type"] != "integer" or low is None or high is None or high - low > 10:
        return []
    return [str(n) for n in range(low, high + 1)]


def _dependents(definition: dict[str, Any], link_id: str) -> bool:
    return any(
        c.get("question") == link_id for e in definition["items"] for c in e.get("enable_when", [])
    )


def _as_field(given: Given | None) -> str:
    if given is None:
        return ""
    if given.declined:
        return DECLINED
    if isinstance(given.value, bool):
        return "true" if given.value else "false"
    return str(given.value)


def _posted_value(posted: QueryDict, link_id: str) -> str:
    if posted.get(f"d-{link_id}"):
        return DECLINED
    return posted.get(f"a-{link_id}", "")


def posted_answers(
    response: ScreeningResponse, posted: QueryDict, only: str | None = None
) -> tuple[dict[str, Given | None], dict[str, str]]:
    answers: dict[str, Given | None] = {}
    problems: dict[str, str] = {}
    for entry in response.definition["items"]:
        link_id = entry["link_id"]
        if only is not None and link_id != only:
            continue
        try:
            answers[link_id] = parse_answer(entry, _posted_value(posted, link_id))
        except ValidationError as error:
            problems[link_id] = " ".join(error.messages)
    return answers, problems


def problems_of(error: ValidationError) -> dict[str, str]:
    """A service's refusal as messages by question ("screening" for the whole of it)."""
    if hasattr(error, "error_dict"):
        return {
            ("screening" if k == "__all__" else k): " ".join(v)
            for k, v in error.message_dict.items()
        }
    return {"screening": " ".join(error.messages)}


def version_from(posted: QueryDict) -> int | None:
    """The response version the page was showing, or None if the page sent none."""
    try:
        return int(posted.get("version") or "") or None
    except ValueError:
        return None


class VersionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.instrument.title)


class StartForm(forms.Form):
    WHO_STAFF = "staff"
    WHO_DEVICE = "device"
    WHO_LINK = "link"
    WHO_CHOICES = [
        (WHO_STAFF, "I will ask the questions and record the answers"),
        (WHO_DEVICE, "Hand this device to the person to answer on their own"),
        (WHO_LINK, "Make a link the person can open on their own phone or computer"),
    ]

    instrument = VersionChoiceField(
        queryset=InstrumentVersion.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which screening?",
    )
    language = forms.ChoiceField(
        choices=ScreeningResponse.Language.choices,
        label="Language for the questions",
    )
    who = forms.ChoiceField(
        choices=WHO_CHOICES, widget=forms.RadioSelect, initial=WHO_STAFF, label="Who answers?"
    )

    def __init__(self, data: Any, *, versions: QuerySet[InstrumentVersion], person: Person) -> None:
        super().__init__(data, initial={"language": _preferred_language(person)})
        field = self.fields["instrument"]
        assert isinstance(field, VersionChoiceField)
        field.queryset = versions.order_by("instrument__title")

    @property
    def mode(self) -> str:
        if self.cleaned_data["who"] == self.WHO_STAFF:
            return ScreeningResponse.Mode.STAFF
        return ScreeningResponse.Mode.PERSON

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        version, language = data.get("instrument"), data.get("language")
        if version and language and language not in definitions.languages(version.definition):
            self.add_error("language", "This screening is not available in that language yet.")
        return data

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # tie each field to its error message for screen readers
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-errors"

    def add_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error)


def _preferred_language(person: Person) -> str:
    """Spanish when the person's preferred language is Spanish; English otherwise."""
    for language in person.languages.all():
        if language.is_preferred and language.language.split("-")[0] == "es":
            return ScreeningResponse.Language.SPANISH
    return ScreeningResponse.Language.ENGLISH


class HandBackForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Staff password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, user: User, data: Any) -> None:
        super().__init__(data)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password."))
        return str(password)
