from django.core.management import call_command

from alongside.accounts.models import Membership, Role, User
from alongside.audit.models import AuditEvent
from alongside.audit.selectors import verify_chain
from alongside.demo.seed import DEMO, DEMO_PASSWORD
from alongside.intake.models import Need, ScreeningResponse
from alongside.organizations.models import Location, Organization, Program
from alongside.people.models import Person


def test_it_creates_a_realistic_demo_through_the_services(db, capsys):
    call_command("demo", "--people", "24", "--no-server")
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
    # Screenings answered through the services: social needs found, mood trends over time.
    completed = ScreeningResponse.objects.filter(status="completed")
    assert completed.filter(instrument_version__instrument__slug="ahc-hrsn-core").exists()
    assert completed.filter(instrument_version__instrument__slug="phq-9").count() >= 2
    assert Need.objects.exists()
    assert completed.dates("completed_at", "month").count() > 1  # spread over months


def test_it_keeps_existing_data_when_run_again(db, capsys):
    call_command("demo", "--people", "3", "--no-server")
    call_command("demo", "--people", "3", "--no-server")
    assert "already present" in capsys.readouterr().out
    assert Person.objects.count() == 3
