"""Who may read what staff typed into searches, in the audit browser; the events
themselves are put in words by `alongside.audit.readable.describe`."""

from __future__ import annotations

from alongside.accounts.actors import Actor
from alongside.accounts.scope import scope_for


def sees_search_terms(viewer: Actor, organization_id: int) -> bool:
    """What staff typed into a search can name anyone (and say why they were looked
    for), so it is shown only to those who see every person of the organization: its
    admins."""
    return scope_for(viewer).is_admin_of(organization_id)
