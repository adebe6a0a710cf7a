"""An organization's respectful-language list: its admins turn shipped terms off for
themselves and add their own; nobody else reaches the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.encounters import terms
from alongside.encounters.models import LabelingTerm
from alongside.encounters.selectors import terms_for
from alongside.lib.errors import NotPermitted


def _shipped(term: str) -> LabelingTerm:
    return LabelingTerm.objects.get(organization=None, term=term)


def test_an_admin_turns_a_shipped_term_off_for_their_organization_only(
    client: Any, world: Any
) -> None:
    client.force_login(world.admin)
    refused = _shipped("refused")
    url = reverse("manage:language-term-active", args=[world.org.pk, refused.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    assert "refused" not in {t.term for t in terms_for(world.org.pk)}
    assert "refused" in {t.term for t in terms_for(world.other_org.pk)}
    assert _shipped("refused").is_active  # the shipped row itself never changes
    own = LabelingTerm.objects.get(organization=world.org, term="refused")
    client.post(
        reverse("manage:language-term-active", args=[world.org.pk, own.pk]), {"active": "1"}
    )
    assert "refused" in {t.term for t in terms_for(world.org.pk)}
    assert (
        AuditEvent.objects.filter(object_type="encounters.labelingterm", action="update").count()
        == 2
    )


def test_an_admin_adds_a_term(client: Any, world: Any) -> None:
    client.force_login(world.admin)
    url = reverse("manage:language-terms", args=[world.org.pk])
    page = client.get(url).content.decode()
    assert "frequent flyer" in page and "Respectful language" in page
    response = client.post(
        url, {"term": "client", "alternative": "their name", "why": "We say people.", "source": ""}
    )
    assert response.status_code == 302
    assert "client" in {t.term for t in terms_for(world.org.pk)}
    twice = client.post(url, {"term": "Addict", "alternative": "x", "why": "y", "source": ""})
    assert twice.status_code == 422 and "already on the list" in twice.content.decode()


def test_only_admins_change_the_list(client: Any, world: Any) -> None:
    with pytest.raises(NotPermitted, match="admins"):
        terms.term_add(
            actor=world.supervisor, organization=world.org, data={"term": "x", "alternative": "y"}
        )
    for user in (world.coordinator, world.supervisor, world.outsider):
        client.force_login(user)
        assert client.get(reverse("manage:language-terms", args=[world.org.pk])).status_code == 404


def test_another_organizations_term_is_404(client: Any, world: Any) -> None:
    theirs = LabelingTerm.objects.create(
        organization=world.other_org, term="x", alternative="y", why="z"
    )
    client.force_login(world.admin)
    url = reverse("manage:language-term-active", args=[world.org.pk, theirs.pk])
    assert client.post(url, {"active": "0"}).status_code == 404
