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
    for who in (world.person, twin):  # one phone on both records: shown once after
        services.contact_point_create(
            actor=world.coordinator, person=who, data={"kind": "phone", "value": "720 555 0100"}
        )
    call_command("find_duplicates", "--workers", "1", stdout=StringIO())

    browsing.sign_in(world.supervisor)
    # Her page says she might be the same as the other record, and leads to the comparison.
    browsing.goto(f"/people/{world.person.pk}/")
    maybe = page.get_by_role("region", name="Might be the same as…")
    expect(maybe.get_by_role("link", name="Lupe Hernandez", exact=True)).to_be_visible()
    browsing.check()
    maybe.get_by_role("link", name="Compare side by side with Lupe Hernandez").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare two records")
    browsing.check()

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

    main = page.locator("main")
    expect(main).to_contain_text(f"Merge of Lupe Hernandez (record #{twin.pk}) into Lupe")
    expect(main).not_to_contain_text("reviewed by: ")

    browsing.goto(f"/people/{twin.pk}/")  # the old address leads to the survivor
    expect(page.get_by_role("heading", level=1)).to_have_text("Lupe Hernández")
    expect(page.get_by_role("status").first).to_contain_text(f"Record #{twin.pk} was merged")
    # The shared phone once; the housing enrollment the merge closed folded away.
    contacts = page.get_by_role("region", name="How to reach Lupe safely")
    expect(contacts.locator("p", has_text="720 555 0100")).to_have_count(1)
    fold = page.locator("details.folded")
    expect(fold.locator("summary")).to_have_text("1 enrollment closed by a merge")
    expect(fold.get_by_text("Closed by a merge of two records")).to_be_hidden()
    fold.locator("summary").click()
    expect(fold.get_by_text("Closed by a merge of two records")).to_be_visible()
    browsing.check()

    browsing.goto(f"/matching/merges/{record.pk}/")
    page.get_by_label("Why undo this merge?").fill("Two sisters with the same birthday.")
    page.get_by_role("button", name="Undo merge").click()
    browsing.check()
    expect(page.get_by_role("status").first).to_contain_text("The merge is undone")
    assert Person.objects.get(pk=twin.pk).merged_into_id is None
    assert twin.contact_points.count() == 2  # its own copy of the shared phone stayed
