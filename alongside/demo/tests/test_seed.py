import datetime as dt

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Membership, Role, User
from alongside.audit.models import AuditEvent
from alongside.audit.selectors import verify_chain
from alongside.demo.seed import DEMO, DEMO_PASSWORD
from alongside.intake.models import Need, ScreeningResponse
from alongside.intake.selectors import open_urgent_flags
from alongside.matching.models import MergeRecord
from alongside.matching.permissions import can_undo_merge
from alongside.matching.selectors import visible_pairs
from alongside.matching.services import person_merge_undo
from alongside.organizations.models import Location, Organization, Program
from alongside.people.contact_rules import contradictions
from alongside.people.models import ContactPoint, Enrollment, Person
from alongside.plans.models import Plan
from alongside.worklist.selectors import worklist_for


def demo(*people: str) -> None:
    call_command("demo", "--people", *people, "--no-server")


def user(name: str) -> User:
    return User.objects.get(username=f"{name}@riverbend")


def test_it_creates_a_realistic_demo_through_the_services(db, capsys):
    demo("24")
    out = capsys.readouterr().out
    assert "coordinator@riverbend" in out and DEMO_PASSWORD in out
    assert Person.objects.count() == 24
    assert Person.objects.filter(profile__isnull=False).count() == 24
    assert {m.role for m in Membership.objects.all()} == set(Role.values)
    assert User.objects.get(username="coordinator@riverbend").check_password(DEMO_PASSWORD)
    assert verify_chain().ok
    # Organizations, programs, locations, staff and roles were set up through the services.
    setup = AuditEvent.objects.filter(actor_label=DEMO.username, actor_id=None, action="create")
    for model in (Organization, Program, Location, User, Membership):
        created = setup.filter(object_type=model._meta.label_lower)
        assert created.count() == model.objects.count() > 0, model
    assert len({p.legal_family_name for p in Person.objects.all()}) > 12
    assert Person.objects.filter(organization__slug="harbor").exists()
    # Screenings answered through the services: social needs found, mood trends over time.
    completed = ScreeningResponse.objects.filter(status="completed")
    assert completed.filter(instrument_version__instrument__slug="ahc-hrsn-core").exists()
    assert completed.filter(instrument_version__instrument__slug="phq-9").count() >= 2
    assert AuditEvent.objects.filter(object_type="intake.screeningresponse").count() >= (
        completed.count() * 3  # started, answered, completed: each audited
    )


def test_it_shows_open_urgent_flags_in_the_coordinators_caseload(db):
    demo("10")
    flags = list(open_urgent_flags(user("coordinator")))
    assert len(flags) >= 2
    assert {f.person.display_name for f in flags} >= {"Rosa Delgado", "Dani Okafor"}
    now = timezone.now()
    assert all(now - dt.timedelta(days=7) < f.raised_at <= now for f in flags)


def test_the_coordinators_worklist_says_who_needs_them_today(db):
    demo("10")
    worklist = worklist_for(user("coordinator"))
    first = worklist.rows[0]
    assert first.person.display_name == "Walter Brooks"
    reasons = [(i.reason, i.text) for i in first.items]
    assert [r for r, _ in reasons][:2] == ["intake.urgent_flag", "tasks.due"], reasons
    assert "Kim-Ly Tran" in {r.person.display_name for r in worklist.rows}
    [snoozed] = worklist.snoozed
    assert snoozed.person.display_name == "Jonathan Reyes" and "duplicate" in snoozed.decision.note


def test_it_leaves_a_pair_of_duplicates_for_the_supervisor_and_the_admin(db, client):
    demo("10")
    for reviewer in ("supervisor", "admin"):
        pending = visible_pairs(user(reviewer)).filter(status="open")
        names = {(p.person_a.display_name, p.person_b.display_name) for p in pending}
        assert ("Jonathan Reyes", "Jon Reyes") in names, reviewer
        client.force_login(user(reviewer))
        page = client.get(reverse("matching:duplicates")).content.decode()
        assert "Jon Reyes" in page
    # Found by the duplicate finder, run for the organization as the demo.
    assert AuditEvent.objects.filter(
        object_type="matching.duplicatepair", actor_label=DEMO.username
    ).exists()


def test_it_has_people_in_every_enrollment_state_and_needs_in_every_status(db):
    demo("10")
    caseload = Enrollment.objects.filter(primary_coordinator=user("coordinator"))
    assert set(caseload.values_list("status", flat=True)) == set(Enrollment.Status.values)
    assert not Enrollment.objects.filter(status="closed", closure_reason="").exists()
    assert set(Need.objects.values_list("status", flat=True)) == set(Need.Status.values)
    months = ScreeningResponse.objects.dates("completed_at", "month")
    assert len(months) >= 6  # months of history


def test_it_has_a_merge_the_supervisor_can_undo(db):
    demo("10")
    merge = MergeRecord.objects.get()
    assert not merge.is_undone and merge.merged_by == user("supervisor")
    assert can_undo_merge(user("supervisor"), merge.survivor)
    undone = person_merge_undo(actor=user("admin"), merge_record=merge, reason="Checking the demo")
    assert undone.is_undone
    assert Person.objects.filter(legal_given_name="Ana", merged_into__isnull=True).exists()


def test_its_contact_rules_never_contradict_their_notes(db):
    demo("30")
    contacts = ContactPoint.objects.all()
    assert contacts.exclude(safety_note="").exists()
    for contact in contacts:
        assert not contradictions(
            safety_note=contact.safety_note,
            may_text=contact.may_text,
            may_leave_voicemail=contact.may_leave_voicemail,
        ), contact.safety_note


def test_it_reports_progress_while_it_works(db, capsys):
    demo("12")
    err = capsys.readouterr().err
    assert "Preparing the database" in err
    assert "Creating 12 people" in err
    assert "People 12/12 (100%)" in err
    assert "Demo data ready in" in err


def test_it_keeps_existing_data_when_run_again(db, capsys):
    demo("3")
    created = Person.objects.count()
    demo("3")
    assert "already present" in capsys.readouterr().out
    assert Person.objects.count() == created == 10  # never fewer than the showcase


def test_it_configures_follow_up_rules_and_seeds_tasks_through_the_services(db):
    from alongside.tasks.models import FollowUpRule, Task

    demo("12")

    casey = user("coordinator")
    programs = Program.objects.filter(organization__slug="riverbend")
    assert set(FollowUpRule.objects.values_list("program", flat=True)) >= set(
        programs.values_list("pk", flat=True)
    )
    mine = Task.objects.filter(assignee=casey, status="todo")
    assert mine.filter(origin="manual").count() == 2
    # Walter's urgent result of five days ago became an overdue task for his coordinator.
    overdue = Task.objects.get(
        origin="rule", person__legal_given_name="Walter", rule__trigger="intake.urgent_flag"
    )
    assert overdue.due_at < timezone.now() and overdue.assignee == casey
    assert overdue.why == "urgent screening result"
    assert AuditEvent.objects.filter(object_type="tasks.task", action="create").count() == (
        Task.objects.count()
    )


def test_it_shows_encounters_notes_and_the_journey(db):
    demo("10")
    from alongside.encounters.models import Encounter, Note
    from alongside.people.models import TimelineEntry

    rosa = Person.objects.get(legal_given_name="Rosa", legal_family_name="Delgado")
    notes = Note.objects.filter(encounter__person=rosa)
    assert {(n.template_version.template.slug, n.status) for n in notes} == {
        ("mi-progress", "signed"),
        ("dap", "draft"),
    }
    assert notes.get(status="signed").addenda.count() == 1
    assert Encounter.objects.filter(kind="emergency", person__preferred_name="Dani").exists()
    kinds = set(TimelineEntry.objects.filter(person=rosa).values_list("kind", flat=True))
    assert {"encounters.encounter", "encounters.note_signed", "encounters.addendum"} <= kinds
    rosa.refresh_from_db()
    assert rosa.last_contacted_at is not None


def test_rosa_has_a_plan_whose_review_is_due_this_week(db, client):
    demo("10")
    plan = Plan.objects.get(person__legal_given_name="Rosa", person__legal_family_name="Delgado")
    assert plan.status == "revised" and plan.goals.count() == 4
    worklist = worklist_for(user("coordinator"))
    [rosa] = [r for r in worklist.rows if r.person.pk == plan.person_id]
    [due] = [i for i in rosa.items if i.reason == "plans.review_due"]
    assert due.text == "plan review due in 5 days"
    client.force_login(user("coordinator"))
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "A place that&#x27;s ours, with a door that locks." in page
    assert "Only important for them — worth a conversation" in page


def test_it_books_appointments_through_the_scheduling_services(db):
    from alongside.people.models import TimelineEntry
    from alongside.scheduling.models import Appointment, GroupSeat, WaitlistEntry
    from alongside.tasks.models import Task

    demo("10")
    rosa = Person.objects.get(legal_given_name="Rosa", legal_family_name="Delgado")
    upcoming = Appointment.objects.get(person=rosa, status="booked")
    assert upcoming.modality == "phone" and upcoming.starts_at > timezone.now()
    missed = Appointment.objects.get(status="no_show")
    follow_up = Task.objects.get(rule__trigger="scheduling.no_show", person=missed.person)
    assert follow_up.assignee == user("coordinator")
    assert GroupSeat.objects.count() == 2
    assert WaitlistEntry.objects.filter(status="waiting").count() == 1
    assert TimelineEntry.objects.filter(kind="scheduling.attendance").count() == 2
    assert AuditEvent.objects.filter(object_type="scheduling.appointment").exists()
