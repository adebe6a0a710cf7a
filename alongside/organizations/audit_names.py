"""Organizations, programs and locations as the audit browser names them
(`alongside.audit.readable`), for the viewer's organizations."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for
from alongside.audit.readable import ObjectNamer, int_ids, object_namers
from alongside.organizations.models import Location, Organization, Program


def _named(model: type[models.Model], organization: str, text: Promise) -> Callable[..., Any]:
    def names(viewer: Actor, ids: Collection[str]) -> dict[str, str]:
        mine = {f"{organization}__in": scope_for(viewer).organization_ids}
        rows = model._default_manager.filter(pk__in=int_ids(ids), **mine).values_list("pk", "name")
        return {str(pk): str(text) % {"name": name} for pk, name in rows}

    return names


def register() -> None:
    for key, names in (
        (
            "organizations.organization",
            _named(Organization, "pk", gettext_lazy("Organization: %(name)s")),
        ),
        (
            "organizations.program",
            _named(Program, "organization_id", gettext_lazy("Program: %(name)s")),
        ),
        (
            "organizations.location",
            _named(Location, "organization_id", gettext_lazy("Location: %(name)s")),
        ),
    ):
        object_namers.register(ObjectNamer(key=key, names=names))
