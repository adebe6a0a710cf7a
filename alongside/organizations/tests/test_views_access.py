"""Every /manage/ page: the organization's admin sees it; everyone else, and an admin of
another organization, gets 404; anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse

from alongside.accounts.models import Membership, Role
from alongside.organizations.models import Location
from conftest import add_role, make_user


def manage_urls(world):
    org = world.org.pk
    location = Location.objects.create(organization=world.org, name="Main Street office")
    role = Membership.objects.get(user=world.coordinator)
    pages = [
        reverse("manage:home"),
        reverse("manage:organization", args=[org]),
        reverse("manage:settings", args=[org]),
        reverse("manage:programs", args=[org]),
        reverse("manage:program-add", args=[org]),
        reverse("manage:program-edit", args=[org, world.housing.pk]),
        reverse("manage:locations", args=[org]),
        reverse("manage:location-add", args=[org]),
        reverse("manage:location-edit", args=[org, location.pk]),
        reverse("manage:staff", args=[org]),
        reverse("manage:staff-add", args=[org]),
        reverse("manage:staff-detail", args=[org, world.coordinator.pk]),
    ]
    actions = [
        reverse("manage:program-active", args=[org, world.housing.pk]),
        reverse("manage:location-active", args=[org, location.pk]),
        reverse("manage:role-grant", args=[org, world.coordinator.pk]),
        reverse("manage:role-revoke", args=[org, world.coordinator.pk, role.pk]),
        reverse("manage:staff-active", args=[org, world.coordinator.pk]),
        reverse("manage:staff-link", args=[org, world.coordinator.pk]),
    ]
    return pages, actions


def test_it_shows_every_page_to_the_organizations_admin(client, world):
    pages, _ = manage_urls(world)
    client.force_login(world.admin)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'aria-current="page"' in response.content, url


@pytest.mark.parametrize(
    "persona", ["coordinator", "colleague", "supervisor", "scheduler", "outsider"]
)
def test_it_answers_404_to_everyone_who_is_not_an_admin(client, world, persona):
    pages, actions = manage_urls(world)
    client.force_login(getattr(world, persona))
    for url in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Taken over"}).status_code == 404, url
    for url in actions:
        assert client.post(url, {"active": "0"}).status_code == 404, url
    world.housing.refresh_from_db()
    world.coordinator.refresh_from_db()
    assert world.housing.is_active and world.coordinator.is_active


def test_it_answers_404_to_an_admin_of_another_organization(client, world):
    other_admin = make_user("rivka")
    add_role(other_admin, Role.ORG_ADMIN, organization=world.other_org)
    pages, actions = manage_urls(world)
    client.force_login(other_admin)
    for url in pages[1:]:
        assert client.get(url).status_code == 404, url
    for url in actions:
        assert client.post(url, {"active": "0", "role": "org_admin"}).status_code == 404, url
    assert not Membership.objects.filter(user=world.coordinator, role=Role.ORG_ADMIN).exists()
    # Their own home page shows their own organization, not this one.
    response = client.get(reverse("manage:home"))
    assert world.other_org.name in response.content.decode()
    assert world.org.name not in response.content.decode()


def test_it_answers_404_for_objects_of_another_organization_under_my_own(client, world):
    """Ids from another organization, put under my organization's address, do not exist."""
    org = world.org.pk
    foreign_location = Location.objects.create(organization=world.other_org, name="Lakeside")
    client.force_login(world.admin)
    for url in [
        reverse("manage:program-edit", args=[org, world.other_program.pk]),
        reverse("manage:location-edit", args=[org, foreign_location.pk]),
        reverse("manage:staff-detail", args=[org, world.outsider.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Mine now"}).status_code == 404, url
    for url in [
        reverse("manage:program-active", args=[org, world.other_program.pk]),
        reverse("manage:location-active", args=[org, foreign_location.pk]),
        reverse("manage:staff-active", args=[org, world.outsider.pk]),
        reverse("manage:role-grant", args=[org, world.outsider.pk]),
    ]:
        assert client.post(url, {"active": "0"}).status_code == 404, url
    outsider_role = Membership.objects.get(user=world.outsider)
    url = reverse("manage:role-revoke", args=[org, world.coordinator.pk, outsider_role.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=outsider_role.pk).exists()
    world.other_program.refresh_from_db()
    assert world.other_program.name == "Care Coordination" and world.other_program.is_active


def test_it_answers_404_for_absurd_ids(client, world):
    client.force_login(world.admin)
    huge = 10**25
    for url in [
        f"/manage/{huge}/",
        f"/manage/{world.org.pk}/programs/{huge}/",
        f"/manage/{world.org.pk}/staff/{huge}/",
        f"/manage/{world.org.pk}/locations/{huge}/",
    ]:
        assert client.get(url).status_code == 404, url


def test_it_sends_anonymous_visitors_to_sign_in(client, world):
    pages, actions = manage_urls(world)
    for url in [*pages, *actions]:
        response = client.get(url) if url in pages else client.post(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_it_refuses_get_on_actions(client, world):
    _, actions = manage_urls(world)
    client.force_login(world.admin)
    for url in actions:
        assert client.get(url).status_code == 405, url


def test_it_links_to_administration_only_for_admins(client, world):
    client.force_login(world.admin)
    assert reverse("manage:home").encode() in client.get(reverse("home")).content
    client.force_login(world.coordinator)
    assert reverse("manage:home").encode() not in client.get(reverse("home")).content
