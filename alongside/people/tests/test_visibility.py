from alongside.people.models import Person


def test_it_shows_the_person_to_their_program_staff(world):
    assert world.person in Person.objects.visible_to(world.coordinator)
    assert world.person in Person.objects.visible_to(world.supervisor)
    assert world.person in Person.objects.visible_to(world.scheduler)


def test_it_shows_the_organizations_people_to_its_admin(world):
    assert world.person in Person.objects.visible_to(world.admin)


def test_it_hides_the_person_from_other_programs_and_organizations(world):
    assert world.person not in Person.objects.visible_to(world.colleague)
    assert world.person not in Person.objects.visible_to(world.outsider)


def test_it_hides_everyone_from_a_user_without_memberships(world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x" * 12)
    assert not Person.objects.visible_to(nobody).exists()
