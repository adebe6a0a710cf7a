"""Who may use the instrument builder: the organization's admins. Everyone else, and an
admin of another organization, gets 404 and changes nothing; anonymous visitors are sent
to sign in. Shipped instruments can be read but not edited, and the services refuse
anyone who may not build."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from alongside.intake import services
from alongside.intake.models import Instrument, InstrumentVersion
from alongside.intake.tests.test_builder import HOUSING, base, fresh, make_draft
from alongside.lib.errors import NotPermitted
from conftest import add_role, make_user


def builder_urls(world: Any, version: InstrumentVersion) -> tuple[list[str], list[str]]:
    org, pk, vpk = world.org.pk, version.instrument_id, version.pk
    v = [org, pk, vpk]
    pages = [
        reverse("manage:instruments", args=[org]),
        reverse("manage:instrument-add", args=[org]),
        reverse("manage:instrument-import", args=[org]),
        reverse("manage:instrument", args=[org, pk]),
        reverse("manage:instrument-version", args=v),
        reverse("manage:instrument-details", args=v),
        reverse("manage:instrument-item-add", args=v),
        reverse("manage:instrument-item", args=[*v, "housed"]),
        reverse("manage:instrument-score-add", args=v),
        reverse("manage:instrument-rule-add", args=[*v, "needs"]),
        reverse("manage:instrument-rule-add", args=[*v, "urgent"]),
        reverse("manage:instrument-preview", args=v),
        reverse("manage:instrument-fhir", args=v),
    ]
    actions = [
        reverse("manage:instrument-item-remove", args=[*v, "nights"]),
        reverse("manage:instrument-item-move", args=[*v, "nights"]),
        reverse("manage:instrument-rule-remove", args=[*v, "needs", 0]),
        reverse("manage:instrument-publish", args=v),
        reverse("manage:instrument-retire", args=v),
        reverse("manage:instrument-new-version", args=v),
        reverse("manage:instrument-copy", args=v),
    ]
    return pages, actions


@pytest.fixture
def version(world: Any) -> InstrumentVersion:
    return make_draft(world)


def test_it_shows_every_builder_page_to_the_organizations_admin(client, world, version):
    pages, _ = builder_urls(world, version)
    client.force_login(world.admin)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    home = client.get(reverse("manage:organization", args=[world.org.pk])).content.decode()
    assert reverse("manage:instruments", args=[world.org.pk]) in home


@pytest.mark.parametrize(
    "persona", ["coordinator", "colleague", "supervisor", "scheduler", "outsider"]
)
def test_it_answers_404_to_everyone_who_is_not_an_admin(client, world, version, persona):
    pages, actions = builder_urls(world, version)
    before = fresh(version).definition
    client.force_login(getattr(world, persona))
    for url in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "Taken over", "base": base(version)}).status_code == 404
    for url in actions:
        assert client.post(url, {"base": base(version), "direction": "up"}).status_code == 404, url
    assert fresh(version).definition == before and fresh(version).status == "draft"
    assert Instrument.objects.count() == 1


def test_it_answers_404_to_an_admin_of_another_organization(client, world, version):
    other_admin = make_user("rivka")
    add_role(other_admin, "org_admin", organization=world.other_org)
    pages, actions = builder_urls(world, version)
    client.force_login(other_admin)
    for url in pages:
        assert client.get(url).status_code == 404, url
    for url in actions:
        assert client.post(url, {"base": base(version)}).status_code == 404, url
    # Nor can they reach this organization's instrument under their own organization.
    own = reverse(
        "manage:instrument-version", args=[world.other_org.pk, version.instrument_id, version.pk]
    )
    assert client.get(own).status_code == 404
    listing = client.get(reverse("manage:instruments", args=[world.other_org.pk]))
    assert "Housing check" not in listing.content.decode()
    assert fresh(version).status == "draft"


def test_it_sends_anonymous_visitors_to_sign_in(client, world, version):
    pages, _ = builder_urls(world, version)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_shipped_instruments_are_read_only(client, world, instruments):
    shipped = instruments["phq-9"]
    client.force_login(world.admin)
    v = [world.org.pk, shipped.instrument_id, shipped.pk]
    for name in ("instrument-version", "instrument-preview", "instrument-fhir"):
        assert client.get(reverse(f"manage:{name}", args=v)).status_code == 200, name
    assert client.get(reverse("manage:instrument", args=v[:2])).status_code == 200
    for name in ("instrument-details", "instrument-item-add", "instrument-score-add"):
        assert client.get(reverse(f"manage:{name}", args=v)).status_code == 404, name
    for name in ("instrument-publish", "instrument-retire", "instrument-new-version"):
        assert client.post(reverse(f"manage:{name}", args=v)).status_code == 404, name
    assert fresh(shipped).status == "active"
    page = client.get(reverse("manage:instrument-version", args=v)).content.decode()
    assert "Copy to edit" in page and "Add a question" not in page


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "outsider"])
def test_the_services_refuse_anyone_who_may_not_build(world, version, persona):
    actor = getattr(world, persona)
    with pytest.raises(NotPermitted, match="admins can build its instruments"):
        services.instrument_create(
            actor=actor, organization=world.org, title="Mine", definition=HOUSING
        )
    with pytest.raises(NotPermitted, match="admins can build its instruments"):
        services.instrument_draft_edit(
            actor=actor, version=version, expected=None, edit=dict, what="x"
        )
    with pytest.raises(NotPermitted, match="admins can build its instruments"):
        services.instrument_publish(actor=actor, version=version)
    with pytest.raises(NotPermitted, match="admins can build its instruments"):
        services.instrument_copy(actor=actor, organization=world.org, version=version)
