"""The duplicates report, compare and merge, and merge records with undo, for every
persona: who sees what, who may do what, and what everyone else gets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.audit.models import AuditEvent
from alongside.matching import services
from alongside.matching.models import DuplicatePair, MergeRecord
from alongside.matching.services import person_merge, person_merge_undo
from alongside.people.models import Person, PersonLanguage
from conftest import NAV_COUNTS, add_role, make_person, make_user

REASON = "Same person: she confirmed her date of birth and phone."


def make_pair(a: Person, b: Person, score: float = 28.5, decision: str = "likely") -> DuplicatePair:
    first, second = sorted((a, b), key=lambda p: p.pk)
    return DuplicatePair.objects.create(
        organization_id=a.organization_id,
        person_a=first,
        person_b=second,
        score=score,
        decision=decision,
        reasons=["same date of birth", "first name is a nickname"],
        found_at=timezone.now(),
        last_seen_at=timezone.now(),
    )


@pytest.fixture
def pair(twins):
    return make_pair(twins.person, twins.twin)


def urls(twins, pair, record):
    return {
        "list": reverse("matching:duplicates"),
        "compare": reverse("matching:compare", args=[twins.person.pk, twins.twin.pk]),
        "merges": reverse("matching:merges"),
        "merge": reverse("matching:merge-detail", args=[record.pk]),
    }


@pytest.mark.parametrize("persona", ["admin", "supervisor"])
def test_it_lists_pairs_and_compares_them_for_admins_and_supervisors(client, twins, pair, persona):
    client.force_login(getattr(twins.world, persona))
    page = client.get(reverse("matching:duplicates")).content.decode()
    compare = reverse("matching:compare", args=[pair.person_a_id, pair.person_b_id])
    assert compare in page
    assert "first name is a nickname" in page
    response = client.get(compare)
    assert response.status_code == 200
    assert "Lupe Hernandez" in response.content.decode()
    assert "Screening responses" in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "scheduler", "colleague", "outsider"])
def test_it_explains_the_report_is_for_admins_and_supervisors(client, twins, pair, persona):
    client.force_login(getattr(twins.world, persona))
    for name in ("matching:duplicates", "matching:merges"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "organization admins and supervisors" in response.content.decode()


def test_it_lists_only_pairs_whose_two_people_the_user_sees(client, twins, pair):
    world = twins.world
    wellness_supervisor = make_user("wes")
    add_role(wellness_supervisor, Role.SUPERVISOR, program=world.wellness)
    client.force_login(wellness_supervisor)  # sees the twin (wellness), not the person
    page = client.get(reverse("matching:duplicates")).content.decode()
    assert reverse("matching:compare", args=[pair.person_a_id, pair.person_b_id]) not in page
    assert "No pairs to show" in page
    assert (
        client.get(
            reverse("matching:compare", args=[pair.person_a_id, pair.person_b_id])
        ).status_code
        == 404
    )
    assert client.post(reverse("matching:pair-review", args=[pair.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_it_answers_404_for_people_out_of_scope(client, twins, pair, persona):
    record = person_merge(
        actor=twins.world.admin,
        survivor=twins.twin,
        merged=make_person(twins.world.admin, twins.world.housing, legal_given_name="Lupita"),
        reason=REASON,
    )
    client.force_login(getattr(twins.world, persona))
    compare = reverse("matching:compare", args=[twins.person.pk, twins.twin.pk])
    assert client.get(compare).status_code == 404
    assert (
        client.post(
            compare, {"survivor": twins.person.pk, "reason": "x", "confirm": "on"}
        ).status_code
        == 404
    )
    assert client.post(reverse("matching:pair-review", args=[pair.pk])).status_code == 404
    if persona == "outsider":
        merge_url = reverse("matching:merge-detail", args=[record.pk])
        assert client.get(merge_url).status_code == 404
        assert client.post(merge_url, {"undo_reason": "x"}).status_code == 404
    assert Person.objects.get(pk=twins.twin.pk).merged_into_id is None
    assert DuplicatePair.objects.get(pk=pair.pk).status == "open"


@pytest.mark.parametrize("persona", ["coordinator", "scheduler"])
def test_it_tells_staff_who_see_both_that_they_may_not_merge(client, twins, pair, persona):
    client.force_login(getattr(twins.world, persona))
    compare = reverse("matching:compare", args=[twins.person.pk, twins.twin.pk])
    for response in (
        client.get(compare),
        client.post(compare, {"survivor": twins.person.pk, "reason": "x", "confirm": "on"}),
        client.post(reverse("matching:pair-review", args=[pair.pk])),
    ):
        assert response.status_code == 403
        assert "Only organization admins" in response.content.decode()
    assert Person.objects.get(pk=twins.twin.pk).merged_into_id is None


def test_it_sends_anonymous_visitors_to_sign_in(client, twins, pair):
    record = person_merge(
        actor=twins.world.admin, survivor=twins.person, merged=twins.twin, reason=REASON
    )
    for url in urls(twins, pair, record).values():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_it_records_not_the_same_person(client, twins, pair):
    client.force_login(twins.world.supervisor)
    response = client.post(
        reverse("matching:pair-review", args=[pair.pk]), {"status": "not_the_same"}, follow=True
    )
    assert "are not the same person" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == "not_the_same" and pair.reviewed_by == twins.world.supervisor
    event = AuditEvent.objects.filter(
        object_type="matching.duplicatepair", action="update", person_id=pair.person_a_id
    ).latest("id")
    assert event.detail["status"] == "not_the_same"
    open_page = client.get(reverse("matching:duplicates")).content.decode()
    assert "No pairs to show" in open_page
    reviewed = client.get(reverse("matching:duplicates"), {"show": "reviewed"}).content.decode()
    assert "Not the same person" in reviewed
    client.post(reverse("matching:pair-review", args=[pair.pk]), {"status": "open"})
    pair.refresh_from_db()
    assert pair.status == "open" and pair.reviewed_by is None


def test_it_filters_likely_and_possible_and_survives_any_input(client, twins, pair):
    other = make_person(twins.world.coordinator, twins.world.housing, legal_given_name="Lupita")
    make_pair(twins.person, other, score=16.0, decision="possible")
    client.force_login(twins.world.admin)
    likely = client.get(reverse("matching:duplicates"), {"show": "likely"}).content.decode()
    possible = client.get(reverse("matching:duplicates"), {"show": "possible"}).content.decode()
    assert "Lupita" not in likely and "Lupita" in possible
    for junk in ({"show": "x" * 500}, {"page": "-3"}, {"page": "ab"}, {"page": "99999999999"}):
        assert client.get(reverse("matching:duplicates"), junk).status_code == 200
        assert client.get(reverse("matching:merges"), junk).status_code == 200


def test_a_merge_from_the_compare_page_and_its_undo(client, twins, pair):
    world = twins.world
    client.force_login(world.admin)
    compare = reverse("matching:compare", args=[twins.person.pk, twins.twin.pk])
    response = client.post(
        compare, {"survivor": twins.person.pk, "reason": REASON, "confirm": "on"}
    )
    record = MergeRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:merge-detail", args=[record.pk])
    assert record.survivor == twins.person and record.merged == twins.twin
    page = client.get(response["Location"]).content.decode()
    assert "Undo this merge" in page and REASON in page
    assert "Screening responses" in page or "screening responses" in page

    old = client.get(reverse("people:detail", args=[twins.twin.pk]), follow=True)
    assert old.redirect_chain[-1][0] == reverse("people:detail", args=[twins.person.pk])
    assert f"Record #{twins.twin.pk} was merged into" in old.content.decode()

    access = client.get(reverse("people:access", args=[twins.person.pk])).content.decode()
    assert f"On record #{twins.twin.pk}, since merged into this one" in access
    assert compare not in client.get(reverse("matching:duplicates")).content.decode()
    assert client.get(compare).status_code == 404  # the merged record is hidden now

    merges = client.get(reverse("matching:merges")).content.decode()
    assert reverse("matching:merge-detail", args=[record.pk]) in merges

    undo = client.post(reverse("matching:merge-detail", args=[record.pk]), {"undo_reason": ""})
    assert undo.status_code == 422
    assert "This field is required" in undo.content.decode()
    undo = client.post(
        reverse("matching:merge-detail", args=[record.pk]),
        {"undo_reason": "Two sisters."},
        follow=True,
    )
    assert "The merge is undone" in undo.content.decode()
    assert client.get(reverse("people:detail", args=[twins.twin.pk])).status_code == 200
    again = client.post(
        reverse("matching:merge-detail", args=[record.pk]), {"undo_reason": "Again."}, follow=True
    )
    assert "already been undone" in again.content.decode()


def test_the_merge_form_shows_field_errors(client, twins, pair):
    client.force_login(twins.world.admin)
    compare = reverse("matching:compare", args=[twins.person.pk, twins.twin.pk])
    response = client.post(compare, {"survivor": twins.person.pk, "reason": "  "})
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required" in page
    assert "Confirm that you checked" in page
    response = client.post(compare, {"survivor": "12345678", "reason": "x", "confirm": "on"})
    assert response.status_code == 422
    assert not MergeRecord.objects.exists()


def test_it_refuses_a_record_merged_into_itself_and_two_organizations(client, twins):
    world = twins.world
    client.force_login(world.admin)
    response = client.get(reverse("matching:compare", args=[world.person.pk, world.person.pk]))
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.content.decode()
    add_role(world.admin, Role.ORG_ADMIN, organization=world.other_org)
    other = make_person(world.outsider, world.other_program)
    client.force_login(world.admin)
    response = client.get(reverse("matching:compare", args=[world.person.pk, other.pk]))
    assert response.status_code == 403
    assert "two different organizations" in response.content.decode()


def test_it_explains_why_a_merge_cannot_be_undone_yet(client, twins):
    world = twins.world
    record = person_merge(
        actor=world.admin, survivor=world.person, merged=twins.twin, reason=REASON
    )
    third = make_person(world.coordinator, world.housing, legal_given_name="Lupita")
    later = person_merge(actor=world.admin, survivor=third, merged=world.person, reason=REASON)
    client.force_login(world.admin)
    url = reverse("matching:merge-detail", args=[record.pk])
    page = client.get(url).content.decode()
    assert reverse("matching:merge-detail", args=[later.pk]) in page
    response = client.post(url, {"undo_reason": "Oops."})
    assert response.status_code == 409
    assert "Undo that merge first" in response.content.decode()


def test_only_admins_and_supervisors_undo(client, twins):
    record = person_merge(
        actor=twins.world.admin, survivor=twins.person, merged=twins.twin, reason=REASON
    )
    url = reverse("matching:merge-detail", args=[record.pk])
    client.force_login(twins.world.coordinator)
    assert "Undo merge" not in client.get(url).content.decode()
    assert client.post(url, {"undo_reason": "x"}).status_code == 403
    assert not MergeRecord.objects.get().is_undone


# session, user, scope, the pairs (people and reviewers joined in), the navigation's
# counts, audit (head lock, insert, head update; one statement on PostgreSQL).
AUDIT_SAVING = 2 if connection.vendor == "postgresql" else 0
DUPLICATES_PAGE = 7 - AUDIT_SAVING + NAV_COUNTS
MERGES_PAGE = 7 - AUDIT_SAVING + NAV_COUNTS


def test_it_pins_the_duplicates_and_merges_pages(client, twins, pair, django_assert_num_queries):
    world = twins.world
    client.force_login(world.supervisor)
    with django_assert_num_queries(DUPLICATES_PAGE):
        client.get(reverse("matching:duplicates"))
    with django_assert_num_queries(MERGES_PAGE):
        client.get(reverse("matching:merges"))
    for n in range(6):
        a = make_person(world.coordinator, world.housing, legal_given_name=f"Ana{n}")
        b = make_person(world.coordinator, world.housing, legal_given_name=f"Ana{n}")
        make_pair(a, b, score=20 + n)
        person_merge(actor=world.admin, survivor=a, merged=b, reason=REASON) if n % 2 else None
    with django_assert_num_queries(DUPLICATES_PAGE):
        page = client.get(reverse("matching:duplicates"))
    assert page.content.decode().count("Compare and merge") == 4
    with django_assert_num_queries(MERGES_PAGE):
        client.get(reverse("matching:merges"))


def _wellness_merge(world):
    """Marisol, known only to the wellness program, merged into the world's person
    (housing) by an admin: the housing scheduler, coordinator and supervisor never saw her."""
    merged = make_person(
        world.admin,
        world.wellness,
        legal_given_name="Marisol",
        legal_family_name="Quintero",
        date_of_birth=dt.date(1990, 7, 21),
        sex="female",
        gender_identity="two-spirit woman",
        profile={"important_to": "My cat Mango."},
    )
    record = person_merge(actor=world.admin, survivor=world.person, merged=merged, reason=REASON)
    return merged, record


MARISOL = ("Marisol", "Quintero", "21 Jul 1990", "two-spirit woman", "My cat Mango.")


def test_a_merge_page_is_only_for_those_who_review_merges(client, world):
    merged, record = _wellness_merge(world)
    url = reverse("matching:merge-detail", args=[record.pk])
    for persona in ("scheduler", "coordinator"):
        client.force_login(getattr(world, persona))
        response = client.get(url)
        assert response.status_code == 403, persona
        page = response.content.decode()
        assert "organization admins" in page
        assert not any(value in page for value in MARISOL), persona
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404

    client.force_login(world.supervisor)  # while the merge stands, Marisol is part of Lupe
    page = client.get(url).content.decode()
    assert all(value in page for value in MARISOL)

    person_merge_undo(actor=world.admin, merge_record=record, reason="Two people.")
    for persona in ("scheduler", "coordinator"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 403, persona
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.supervisor)  # sees Lupe, not Marisol, once undone
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert not any(value in page for value in MARISOL)
    assert f"Record #{merged.pk}" in page and "Details not shown" in page
    assert "Marisol" not in client.get(reverse("matching:merges")).content.decode()
    events = AuditEvent.objects.filter(action="view", object_type="matching.mergerecord")
    assert {e.person_id for e in events.filter(actor_id=world.supervisor.pk)} == {
        world.person.pk,
        merged.pk,
    }
    client.force_login(world.admin)
    page = client.get(url).content.decode()
    assert all(value in page for value in MARISOL)


def test_the_merge_page_lists_differing_identity_details_to_copy(client, world):
    merged, record = _wellness_merge(world)
    kept = {row["field"]: row["value"] for row in record.kept if row["model"] == "people.person"}
    assert kept == {
        "legal_given_name": "Marisol",
        "legal_family_name": "Quintero",
        "date_of_birth": "1990-07-21",
    }
    client.force_login(world.admin)
    page = client.get(reverse("matching:merge-detail", args=[record.pk])).content.decode()
    assert f"Details kept with record #{merged.pk}" in page
    assert '<th scope="row">Date of birth</th><td>9 Mar 1984</td><td>21 Jul 1990</td>' in page
    assert '<th scope="row">Legal first name</th><td>Guadalupe</td><td>Marisol</td>' in page


@pytest.mark.parametrize("persona", ["scheduler", "coordinator", "supervisor"])
def test_an_old_address_says_merged_only_to_those_who_saw_the_record(client, world, persona):
    merged, _ = _wellness_merge(world)
    client.force_login(getattr(world, persona))
    response = client.get(reverse("people:detail", args=[merged.pk]))
    assert response.status_code == 404
    client.force_login(world.admin)
    response = client.get(reverse("people:detail", args=[merged.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:detail", args=[world.person.pk])
    assert f"Record #{merged.pk} was merged into" in response.content.decode()


def test_a_clash_added_while_merging_gets_a_clear_answer(client, twins, monkeypatch):
    def racing_move(self, model, field_name, ids):
        if model is PersonLanguage and ids:  # someone adds the same language meanwhile
            language = PersonLanguage.objects.get(pk=ids[0]).language
            PersonLanguage.objects.create(person=self.survivor, language=language)
        original(self, model, field_name, ids)

    original = services.MergeWork.move
    monkeypatch.setattr(services.MergeWork, "move", racing_move)
    client.force_login(twins.world.admin)
    compare = reverse("matching:compare", args=[twins.person.pk, twins.twin.pk])
    response = client.post(
        compare, {"survivor": twins.person.pk, "reason": REASON, "confirm": "on"}
    )
    assert response.status_code == 409
    assert "Nothing was changed" in response.content.decode()
    assert Person.objects.get(pk=twins.twin.pk).merged_into_id is None
    assert not MergeRecord.objects.exists()


def test_a_merge_page_names_staff_and_writes_moments_and_counts_for_people(client, world):
    _, record = _wellness_merge(world)
    record.changed = [
        *record.changed,
        {
            "model": "matching.duplicatepair",
            "id": 1,
            "field": "reviewed_by_id",
            "old": None,
            "new": world.admin.pk,
            "why": "the two records were merged",
        },
        {
            "model": "matching.duplicatepair",
            "id": 1,
            "field": "reviewed_at",
            "old": None,
            "new": "2026-09-03T19:05:00+00:00",
            "why": "the two records were merged",
        },
    ]
    record.moved = {"people.enrollment.person": [1], "people.contactpoint.person": [2, 3]}
    record.save()
    client.force_login(world.admin)
    page = client.get(reverse("matching:merge-detail", args=[record.pk])).content.decode()
    assert "<td>Alex Kim</td>" in page and "<td>3 Sep 2026, 3:05 PM</td>" in page
    assert "2026-09-03T" not in page
    assert "1 enrollment<" in page and "2 contact points<" in page


def test_the_audit_trail_names_a_merge_by_its_people(world):
    from alongside.audit.readable import names_for

    merged, record = _wellness_merge(world)
    names = names_for(world.admin, {"matching.mergerecord": [str(record.pk)]})
    text = names["matching.mergerecord"][str(record.pk)]
    assert text.startswith(f"Merge of {merged.display_name} into ")
    assert names_for(world.outsider, {"matching.mergerecord": [str(record.pk)]}) == {
        "matching.mergerecord": {}
    }
