"""A person's history of changes as people read it: "Added contact point", "date of
birth: 21 Aug 1987", "Yes" rather than `contactpoint`, `date_of_birth`, "1987-08-21" and
"True", in the reader's language: a field is named as its form labels it ("Date of
birth", "We may call"). Values restricted by the sensitivity rule stay restricted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms import ModelForm
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from alongside.lib.stored_words import Sentence, Sentences
from alongside.people.enrollment_words import said_closure_note
from alongside.people.models import RecordChange
from alongside.people.sensitivity import RESTRICTED

ACTIONS = {
    "create": gettext_lazy("Added %(what)s"),
    "update": gettext_lazy("Changed %(what)s"),
    "delete": gettext_lazy("Removed %(what)s"),
    "merge": gettext_lazy("Merged %(what)s"),
    "unmerge": gettext_lazy("Undid the merge of %(what)s"),
}

# What a history row is about, by the model's name (a need is intake's: a merge can
# resolve one).
ENTITY_NAMES = {
    "person": pgettext_lazy("history of changes", "person"),
    "profile": pgettext_lazy("history of changes", "profile"),
    "contactpoint": pgettext_lazy("history of changes", "contact point"),
    "supportcontact": pgettext_lazy("history of changes", "someone who matters"),
    "identifier": pgettext_lazy("history of changes", "identifier"),
    "personlanguage": pgettext_lazy("history of changes", "language"),
    "enrollment": pgettext_lazy("history of changes", "enrollment"),
    "need": pgettext_lazy("history of changes", "need"),
}


def _number(value: str) -> str | None:
    return value if value.isascii() and value.isdigit() else None


# A record as the history and the journey store it: the person's name (kept) and which
# record ("Lupe Hernandez (record #12)").
RECORD = Sentence(gettext_noop("%(name)s (record #%(number)s)"), {"number": _number})
RECORD_WORDS = Sentences([RECORD])

# The fields no form changes (a merge, or the system, sets them).
FIELD_NAMES = {
    "organization": pgettext_lazy("history of changes", "organization"),
    "merged_into": pgettext_lazy("history of changes", "merged into"),
    # A merge's own lines (`matching.merge_base.write_history`).
    "merged into": pgettext_lazy("history of changes", "merged into"),
    "merged in": pgettext_lazy("history of changes", "merged in"),
    "merged_at": pgettext_lazy("history of changes", "merged at"),
    "last_contacted_at": pgettext_lazy("history of changes", "last contacted"),
    "created_by": pgettext_lazy("history of changes", "registered by"),
    "status": pgettext_lazy("history of changes", "status"),  # a need's, which a merge resolves
    # A pair of the duplicates report, which a merge marks reviewed.
    "reviewed_by": pgettext_lazy("history of changes", "reviewed by"),
    "reviewed_at": pgettext_lazy("history of changes", "reviewed at"),
}


@cache
def _form_labels() -> dict[str, dict[str, Promise]]:
    """Each kind of row's fields as its form labels them (translatable), by model name."""
    # Imported here: the forms import the services, and those the selectors, which need
    # this module.
    from alongside.people import forms

    by_entity: dict[str, tuple[type[ModelForm], ...]] = {
        "person": (forms.PersonForm,),
        "profile": (forms.ProfileForm,),
        "contactpoint": (forms.ContactPointForm,),
        "supportcontact": (forms.SupportContactForm,),
        "identifier": (forms.IdentifierForm,),
        "personlanguage": (forms.LanguageForm,),
        # A merge closes an enrollment: the edit form names its end and reason.
        "enrollment": (forms.EnrollmentCreateForm, forms.EnrollmentForm),
    }
    return {
        entity: {
            name: field.label
            for form in reversed(kinds)
            for name, field in form.base_fields.items()
            if isinstance(field.label, Promise)
        }
        for entity, kinds in by_entity.items()
    }


@dataclass(frozen=True)
class ChangedField:
    label: str
    before: str
    after: str
    restricted: bool = False


def describe_changes(changes: list[RecordChange]) -> None:
    """Set `what` ("Added contact point") and `fields` (ChangedFields) on each change."""
    by_name = {model._meta.model_name: model for model in apps.get_models()}
    for change in changes:
        model = by_name.get(change.entity)
        kind = entity_name(change.entity, model)
        action = ACTIONS.get(change.action)
        change.what = (  # type: ignore[attr-defined]
            str(action) % {"what": kind} if action else f"{capfirst(change.action)} {kind}"
        )
        change.fields = [  # type: ignore[attr-defined]
            _field(model, name, pair) for name, pair in (change.changes or {}).items()
        ]


def entity_name(entity: str, model: type[models.Model] | None) -> str:
    """What a kind of row is called ("contact point"), by its model's name: as the
    history names it, else the model's own name."""
    named = ENTITY_NAMES.get(entity)
    return str(named or (model._meta.verbose_name if model else entity))


def field_name(model: type[models.Model] | None, name: str) -> str:
    """A field of a kind of row as people read it: as its form labels it, else as the
    history names a field no form changes, else the model field's own name (the merge
    page names the fields a merge set the same way)."""
    labels = _form_labels().get(model._meta.model_name or "", {}) if model else {}
    field = _model_field(model, name)
    key = field.name if field is not None else name  # "reviewed_by", stored as "reviewed_by_id"
    return str(
        labels.get(key)
        or FIELD_NAMES.get(key)
        or (field.verbose_name if field is not None else name.replace("_", " "))
    )


def _field(model: type[models.Model] | None, name: str, pair: Any) -> ChangedField:
    field = _model_field(model, name)
    label = field_name(model, name)
    before, after = (
        (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
    )
    if before == RESTRICTED or after == RESTRICTED:
        return ChangedField(label, str(RESTRICTED), str(RESTRICTED), restricted=True)
    return ChangedField(label, _value(field, before), _value(field, after))


def _model_field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _value(field: Any, value: Any) -> str:
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field is None and isinstance(value, str):
        return RECORD_WORDS.say(value)
    if field is not None and field.name == "closure_note" and isinstance(value, str):
        return said_closure_note(value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return formats.date_format(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)
