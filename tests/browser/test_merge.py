"""The duplicates report, comparing two records, merging them and undoing the merge, in a
real browser, every page checked by axe."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from alongside.matching.models import MergeRecord
from alongside.people import services
from alongside.people.models import Person
from conftest import make_person

pytestmark = pytest.mark.browser


def test_a_supervisor_merges_a_duplicate_and_undoes_it(browsing, world):
    page = browsing.page
    twin = make_person(
        world.coordinator,
        world.housing,
        legal_given_name="Lupe",
        legal_family_name="Hernandez",
        date_of_birth=dt.date(1984, 3, 9),
    )
    services.contact_point_create(
        actor=world.coordinator, person=twin, data={"kind": "phone", "value": "212-555-0199"}
    )
    call_command("find_duplicates", "--workers", "1", stdout=StringIO())

    browsing.sign_in(world.supervisor)
    browsing.goto("/")
    page.get_by_role("link", name="Duplicates").click()
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicate records")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Lupe Hernandez")
    expect(table).to_contain_text("first name is a nickname")

    page.get_by_role("link", name=re.compile("^Compare and merge")).click()
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare two records")
    page.get_by_role("button", name="Merge records").click()  # nothing filled in yet
    browsing.check()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields")

    page.get_by_label(f"Record #{world.person.pk}").check()
    page.get_by_label("Why are these the same person?").fill(
        "Same person: she confirmed her date of birth."
    )
    page.get_by_label("I have checked that these two records are the same person.").check()
    page.get_by_role("button", name="Merge records").click()
    browsing.check()
    expect(page.get_by_role("status").first).to_contain_text("Merged")
    expect(page.locator("main")).to_contain_text("1 contact point")
    record = MergeRecord.objects.get()
    assert Person.objects.get(pk=twin.pk).merged_into_id == world.person.pk

    browsing.goto(f"/people/{twin.pk}/")  # the old address leads to the survivor
    expect(page.get_by_role("heading", level=1)).to_have_text("Lupe Hernández")
    expect(page.get_by_role("status").first).to_contain_text(f"Record #{twin.pk} was merged")

    browsing.goto(f"/matching/merges/{record.pk}/")
    page.get_by_label("Why undo this merge?").fill("Two sisters with the same birthday.")
    page.get_by_role("button", name="Undo merge").click()
    browsing.check()
    expect(page.get_by_role("status").first).to_contain_text("The merge is undone")
    assert Person.objects.get(pk=twin.pk).merged_into_id is None
    assert twin.contact_points.count() == 1
