"""Sections that apps add to an organization's administration screens (/manage/<org>/),
registered in their `AppConfig.ready()`, so `organizations` imports none of them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from alongside.accounts.actors import Actor
from alongside.lib.registry import Registry
from alongside.lib.views import or_404
from alongside.organizations import selectors
from alongside.organizations.models import Organization


@dataclass(frozen=True)
class ManageSection:
    key: str  # also the `section` its pages set, to mark the navigation link current
    label: str | Promise  # read in the viewer's language: gettext_lazy
    prefix: str  # mounted at /manage/<org>/<prefix>
    urlpatterns: str  # dotted path of the list of URL patterns that serve it
    url_name: str  # its first page, reversed with the organization's id
    order: int = 100


manage_sections: Registry[ManageSection] = Registry(
    "organization admin section", order=lambda s: (s.order, s.key)
)


def managed_organization(user: Actor, org: int | None = None) -> Organization:
    """The organization a /manage/ page is about: one the user administers (without
    `org`, their first). For anyone else, and for another organization, the page does
    not exist (404), whichever app contributes it."""
    return or_404(lambda: selectors.organization_for_admin(user, org), "No such organization")
