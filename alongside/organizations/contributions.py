"""Sections that apps add to an organization's administration screens (/manage/<org>/),
registered in their `AppConfig.ready()`, so `organizations` imports none of them."""

from __future__ import annotations

from dataclasses import dataclass

from alongside.lib.registry import Registry


@dataclass(frozen=True)
class ManageSection:
    key: str  # also the `section` its pages set, to mark the navigation link current
    label: str
    prefix: str  # mounted at /manage/<org>/<prefix>
    urlconf: str  # dotted path of the module whose `urlpatterns` serve it
    url_name: str  # its first page, reversed with the organization's id
    order: int = 100


manage_sections: Registry[ManageSection] = Registry(
    "organization admin section", order=lambda s: (s.order, s.key)
)
