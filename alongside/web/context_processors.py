from typing import Any

from django.http import HttpRequest

from alongside.accounts.scope import scope_for


def interface(request: HttpRequest) -> dict[str, Any]:
    """The word for the people served, as the user's organization chose it."""
    scope = scope_for(getattr(request, "user", None))
    label = scope.person_label
    return {
        "person_label": label,
        "people_label": "people" if label == "person" else f"{label}s",
        "is_org_admin": bool(scope.admin_organization_ids),
        "reviews_duplicates": bool(scope.admin_organization_ids or scope.supervised_program_ids),
    }
