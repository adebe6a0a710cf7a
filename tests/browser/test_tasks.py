"""Tasks and follow-up rules in a real browser, checked by axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.tasks.models import Task
from alongside.tasks.tests.factories import make_rule, make_task

pytestmark = pytest.mark.browser


def test_a_coordinator_adds_a_task_from_a_persons_page_and_completes_it(browsing, world):
    page = browsing.page
    make_task(world, title="Bring the lease to the office", assignee=None)
    browsing.sign_in(world.coordinator)

    browsing.goto(f"/people/{world.person.pk}/")
    expect(page.locator("main")).to_contain_text("Bring the lease to the office")
    page.get_by_role("link", name="Add a task").click()
    browsing.check()
    page.get_by_label("What needs doing").fill("Call about the voucher")
    due = timezone.localtime() + dt.timedelta(days=1)
    page.get_by_label("Due").fill(due.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Assign to").select_option(label="Casey Nguyen (they/them)")
    page.get_by_role("button", name="Add task").click()
    browsing.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call about the voucher")

    page.get_by_role("button", name="Mark done").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("Marked done.")
    assert Task.objects.get(title="Call about the voucher").status == Task.Status.DONE

    browsing.goto("/tasks/")
    expect(page.get_by_role("table")).to_contain_text("Bring the lease to the office")
    page.get_by_role("link", name="Bring the lease to the office").click()
    browsing.check()
    page.get_by_role("button", name="Take this task").click()
    browsing.check()
    expect(page.locator("main")).to_contain_text("You took the task.")


def test_an_admin_configures_a_follow_up_rule(browsing, world):
    page = browsing.page
    make_rule(world, title="Reach out after a long silence")
    browsing.sign_in(world.admin)

    browsing.goto(f"/manage/{world.org.pk}/follow-up/")
    expect(page.get_by_role("table")).to_contain_text("Reach out after a long silence")
    page.get_by_role("link", name="Add a rule").click()
    browsing.check()
    page.get_by_label("When").select_option(label="An urgent screening result")
    page.get_by_label("Task title").fill("Call the same day")
    page.get_by_role("button", name="Save rule").click()
    browsing.check()
    expect(page.get_by_role("table")).to_contain_text("Call the same day")
