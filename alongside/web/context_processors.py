from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from alongside.accounts.scope import scope_for
from alongside.people.contributions import nav_links


def interface(request: HttpRequest) -> dict[str, Any]:
    """The word for the people served, as the user's organization chose it, and the
    navigation's contributed links (`people.contributions.nav_items`) with their counts,
    read only when a page draws the navigation (a fragment for htmx does not)."""
    user = getattr(request, "user", None)
    scope = scope_for(user)
    label = scope.person_label
    return {
        "person_label": label,
        "people_label": "people" if label == "person" else f"{label}s",
        "is_org_admin": bool(scope.admin_organization_ids),
        "reviews_duplicates": bool(scope.admin_organization_ids or scope.supervised_program_ids),
        "nav_links": SimpleLazyObject(
            lambda: nav_links(user) if user is not None and user.is_authenticated else []
        ),
    }
