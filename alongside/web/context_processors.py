from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import pgettext_lazy

from alongside.accounts.scope import scope_for
from alongside.people.contributions import nav_links

# The word each organization chose for the people it serves (Organization.PersonLabel), one
# and many, in the page's language.
LABELS: dict[str, tuple[Any, Any]] = {
    "person": (pgettext_lazy("people served", "person"), pgettext_lazy("people served", "people")),
    "client": (pgettext_lazy("people served", "client"), pgettext_lazy("people served", "clients")),
    "participant": (
        pgettext_lazy("people served", "participant"),
        pgettext_lazy("people served", "participants"),
    ),
    "patient": (
        pgettext_lazy("people served", "patient"),
        pgettext_lazy("people served", "patients"),
    ),
}


def interface(request: HttpRequest) -> dict[str, Any]:
    """The word for the people served, as the user's organization chose it, and the
    navigation's contributed links (`people.contributions.nav_items`) with their counts,
    read only when a page draws the navigation (a fragment for htmx does not)."""
    user = getattr(request, "user", None)
    scope = scope_for(user)
    label = scope.person_label
    one, many = LABELS.get(label, (label, f"{label}s"))
    return {
        "person_label": one,
        "people_label": many,
        "is_org_admin": bool(scope.admin_organization_ids),
        "reviews_duplicates": bool(scope.admin_organization_ids or scope.supervised_program_ids),
        "nav_links": SimpleLazyObject(
            lambda: nav_links(user) if user is not None and user.is_authenticated else []
        ),
    }
