"""After a merge, people read names and dates, not ids and timestamps: on the merge's
page, in the history, and in the person's journey, where an enrollment the merge closed
is folded away."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from alongside.matching.services import person_merge
from alongside.people import services as people_services
from alongside.people.models import Enrollment, RecordChange

from .conftest import pair_of

REASON = "Same person: confirmed with her."


def merged_with_pair(twins):
    world = twins.world
    pair_of(twins.person, twins.twin)
    return person_merge(actor=world.admin, survivor=twins.person, merged=twins.twin, reason=REASON)


def test_the_merge_page_names_people_and_formats_dates(client, twins):
    record = merged_with_pair(twins)
    client.force_login(twins.world.admin)
    page = client.get(reverse("matching:merge-detail", args=[record.pk])).content.decode()
    when = date_format(localtime(record.merged_at), "DATETIME_FORMAT")
    assert f"Merge of Lupe Hernandez (record #{twins.twin.pk}) into Lupe Hernández" in page
    assert "Alex Kim, <time datetime=" in page and when in page
    # The pair's review: the reviewer's name and the time as people read them.
    assert "Possible duplicates: Lupe Hernández and Lupe Hernandez" in page
    assert "<td>Reviewed by</td><td>(empty)</td><td>Alex Kim</td>" in page
    assert f"<td>{when}</td>" in page
    assert record.merged_at.isoformat() not in page.replace(
        f'datetime="{localtime(record.merged_at).isoformat()}"', ""
    )
    # An enrollment named by its program; a date in the project's format; yes and no.
    assert "Enrollment: Housing Navigation (Closed)" in page
    assert "Closed by a merge of two records" in page
    assert date_format(timezone.localdate()) in page
    assert "<td>no</td><td>yes</td>" in page  # Spanish now needs an interpreter


def test_the_history_names_the_records_merged(twins):
    merged_with_pair(twins)
    change = RecordChange.objects.filter(person=twins.person, action="merge").latest("id")
    assert change.changes["merged in"] == ["", f"Lupe Hernandez (record #{twins.twin.pk})"]


def test_the_journey_folds_away_an_enrollment_the_merge_closed(client, twins):
    merged_with_pair(twins)
    client.force_login(twins.world.admin)
    page = client.get(reverse("people:detail", args=[twins.person.pk])).content.decode()
    journey = page[page.index('id="journey-heading"') :]
    folded = journey[journey.index('<details class="folded">') :]
    assert "1 enrollment closed by a merge</summary>" in folded
    # Housing is listed once outside the fold (the survivor's own, open) and once inside.
    outside = journey[: journey.index('<details class="folded">')]
    assert outside.count("<h3>Housing Navigation</h3>") == 1
    assert folded[: folded.index("</details>")].count("<h3>Housing Navigation</h3>") == 1
    assert "Closed by a merge of two records" in folded


def test_no_fold_without_a_merge(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "closed by a merge" not in page


def test_only_a_merge_closes_an_enrollment_for_that_reason(client, twins):
    world = twins.world
    enrollment = twins.person.enrollments.get(program=world.housing)
    with pytest.raises(ValidationError, match="Only a merge of two records"):
        people_services.enrollment_update(
            actor=world.coordinator,
            enrollment=enrollment,
            data={"status": "closed", "closure_reason": "merged"},
            version=None,
        )
    client.force_login(world.coordinator)
    url = reverse("people:enrollment-edit", args=[twins.person.pk, enrollment.pk])
    page = client.get(url).content.decode()
    assert 'value="merged"' not in page
    # An enrollment a merge closed keeps its reason when edited.
    merged_with_pair(twins)
    closed = Enrollment.objects.get(person=twins.person, closure_reason="merged")
    assert closed.closed_by_merge and closed.program == world.housing
    url = reverse("people:enrollment-edit", args=[twins.person.pk, closed.pk])
    assert 'value="merged" selected' in client.get(url).content.decode()
