"""Organization settings, programs and locations through their pages."""

import pytest
from django.urls import reverse

from alongside.accounts.models import Role
from alongside.audit.models import AuditEvent
from alongside.organizations.models import Location, Organization, Program
from conftest import add_role


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    return client


def last_event(**filters):
    return AuditEvent.objects.filter(**filters).latest("id")


def test_it_changes_the_name_and_the_word_for_people_served(admin_client, world):
    url = reverse("manage:settings", args=[world.org.pk])
    page = admin_client.get(url).content.decode()
    assert "<legend>The word for the people you serve" in page
    response = admin_client.post(url, {"name": "Riverbend Services", "person_label": "client"})
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert (world.org.name, world.org.person_label) == ("Riverbend Services", "client")
    event = last_event(object_type="organizations.organization")
    assert event.action == "update" and event.organization_id == world.org.pk
    assert event.fields == ["name", "person_label"] and event.actor_id == world.admin.pk
    # The interface now says "clients".
    assert ">Clients<" in admin_client.get(reverse("home")).content.decode()


def test_an_admin_allows_unvalidated_translations_which_are_off_by_default(admin_client, world):
    assert world.org.allow_unvalidated_translations is False
    url = reverse("manage:settings", args=[world.org.pk])
    assert (
        "Offer screenings in translations that are not validated"
        in admin_client.get(url).content.decode()
    )
    data = {"name": world.org.name, "person_label": "person"}
    response = admin_client.post(url, {**data, "allow_unvalidated_translations": "on"})
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.allow_unvalidated_translations is True
    assert last_event(object_type="organizations.organization").fields == [
        "allow_unvalidated_translations"
    ]
    home = admin_client.get(reverse("manage:organization", args=[world.org.pk])).content.decode()
    assert (
        "Unvalidated screening translations</dt><dd>Offered to people answering on their own"
        in home
    )
    admin_client.post(url, data)  # an unticked box turns it off again
    world.org.refresh_from_db()
    assert world.org.allow_unvalidated_translations is False


def test_it_records_nothing_when_nothing_changed(admin_client, world):
    before = AuditEvent.objects.count()
    admin_client.post(
        reverse("manage:settings", args=[world.org.pk]),
        {"name": world.org.name, "person_label": "person"},
    )
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": "", "person_label": "client"}, "name"),
        ({"name": "x" * 201, "person_label": "client"}, "name"),
        ({"name": "Lakeside Health", "person_label": "client"}, "name"),  # another org's name
        ({"name": "LAKESIDE HEALTH", "person_label": "client"}, "name"),
        ({"name": "Riverbend", "person_label": "customer"}, "person_label"),
        ({"name": "Riverbend"}, "person_label"),
    ],
)
def test_it_shows_field_errors_for_bad_settings(admin_client, world, data, field):
    response = admin_client.post(reverse("manage:settings", args=[world.org.pk]), data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert 'role="alert"' in page and 'aria-invalid="true"' in page
    world.org.refresh_from_db()
    assert world.org.name == "Riverbend Community Services"


def test_it_accepts_any_script_in_names(admin_client, world):
    name = "Centro Comunitario Niños y Familias — 河畔服务 🌱"
    admin_client.post(
        reverse("manage:settings", args=[world.org.pk]),
        {"name": name, "person_label": "participant"},
    )
    world.org.refresh_from_db()
    assert world.org.name == name


def test_it_adds_edits_and_deactivates_a_program(admin_client, world):
    org = world.org.pk
    response = admin_client.post(
        reverse("manage:program-add", args=[org]),
        {"name": "Re-entry Support", "description": "After release."},
    )
    assert response.status_code == 302
    program = Program.objects.get(name="Re-entry Support")
    assert program.organization == world.org
    assert last_event(object_type="organizations.program").action == "create"

    admin_client.post(
        reverse("manage:program-edit", args=[org, program.pk]),
        {"name": "Re-entry Support Services", "description": "After release."},
    )
    program.refresh_from_db()
    assert program.name == "Re-entry Support Services"
    event = last_event(object_type="organizations.program")
    assert event.action == "update" and event.fields == ["name"]
    assert event.object_id == str(program.pk) and event.organization_id == org

    admin_client.post(reverse("manage:program-active", args=[org, program.pk]), {"active": "0"})
    program.refresh_from_db()
    assert not program.is_active
    assert last_event(object_type="organizations.program").fields == ["is_active"]
    page = admin_client.get(reverse("manage:programs", args=[org])).content.decode()
    assert "Deactivated" in page and "Reactivate" in page

    admin_client.post(reverse("manage:program-active", args=[org, program.pk]), {"active": "1"})
    program.refresh_from_db()
    assert program.is_active


def test_it_refuses_a_second_program_with_the_same_name(admin_client, world):
    response = admin_client.post(
        reverse("manage:program-add", args=[world.org.pk]), {"name": "housing navigation"}
    )
    assert response.status_code == 422
    assert "already has a program" in response.context["form"].errors["name"][0]
    # The same name is fine in another organization.
    assert Program.objects.filter(name__iexact="housing navigation").count() == 1


def test_it_shows_errors_for_long_program_names(admin_client, world):
    response = admin_client.post(
        reverse("manage:program-add", args=[world.org.pk]),
        {"name": "p" * 5000, "description": "d" * 100_000},
    )
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert not Program.objects.filter(name__startswith="ppp").exists()


def test_it_adds_edits_and_deactivates_a_location(admin_client, world):
    org = world.org.pk
    admin_client.post(
        reverse("manage:location-add", args=[org]),
        {"name": "Main Street office", "address": "12 Main St\nRiverbend", "phone": "555-201-4400"},
    )
    location = Location.objects.get(name="Main Street office")
    assert location.organization == world.org
    event = last_event(object_type="organizations.location")
    assert event.action == "create" and event.organization_id == org
    assert set(event.fields) == {"name", "address", "phone"}

    admin_client.post(
        reverse("manage:location-edit", args=[org, location.pk]),
        {"name": "Main Street office", "address": "14 Main St", "phone": ""},
    )
    location.refresh_from_db()
    assert location.address == "14 Main St" and location.phone == ""

    admin_client.post(reverse("manage:location-active", args=[org, location.pk]), {"active": "0"})
    location.refresh_from_db()
    assert not location.is_active
    page = admin_client.get(reverse("manage:locations", args=[org])).content.decode()
    assert "Main Street office" in page and "Deactivated" in page


def test_it_shows_errors_for_bad_locations(admin_client, world):
    response = admin_client.post(
        reverse("manage:location-add", args=[world.org.pk]), {"name": "", "phone": "5" * 41}
    )
    assert response.status_code == 422
    assert {"name", "phone"} <= set(response.context["form"].errors)


def test_it_shows_the_overview(admin_client, world):
    page = admin_client.get(reverse("manage:home")).content.decode()
    assert "Riverbend Community Services" in page
    assert "2 active programs" in page
    assert "1 organization admin" in page


def test_it_lets_an_admin_of_two_organizations_choose(admin_client, world):
    add_role(world.admin, Role.ORG_ADMIN, organization=world.other_org)
    page = admin_client.get(reverse("manage:home")).content.decode()
    assert "Organizations you administer" in page
    assert reverse("manage:organization", args=[world.other_org.pk]) in page
    response = admin_client.get(reverse("manage:programs", args=[world.other_org.pk]))
    assert "Care Coordination" in response.content.decode()
    assert Organization.objects.count() == 2


def test_it_sets_where_the_organization_works_for_business_days(admin_client, world):
    url = reverse("manage:settings", args=[world.org.pk])
    data = {"name": world.org.name, "person_label": "person", "time_zone": "America/Chicago"}

    refused = admin_client.post(url, data | {"country": "US", "subdivision": "ZZ"})
    saved = admin_client.post(url, data | {"country": "us", "subdivision": "il"})

    assert refused.status_code == 422
    assert "US has no region ZZ" in refused.content.decode()
    assert saved.status_code == 302
    world.org.refresh_from_db()
    assert (world.org.country, world.org.subdivision, world.org.time_zone) == (
        "US",
        "IL",
        "America/Chicago",
    )


def test_a_spanish_admin_adds_a_program_all_in_spanish(admin_client, world):
    world.admin.language = "es"
    world.admin.save(update_fields=["language"])
    form = admin_client.get(reverse("manage:program-add", args=[world.org.pk])).content.decode()
    assert "<h1>Añadir un programa</h1>" in form and "← Todos los programas" in form
    assert ">Añadir programa</button>" in form and "Añadir: program" not in form
    response = admin_client.post(
        reverse("manage:program-add", args=[world.org.pk]), {"name": "Reentrada"}, follow=True
    )
    page = response.content.decode()
    assert "Se guardó Reentrada." in page and "saved." not in page
