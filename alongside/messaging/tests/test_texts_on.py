"""After STOP, the person page says so, and only staff, recording the person's request,
turn texts back on."""

from django.urls import reverse
from django.utils import timezone

from alongside.messaging.models import TextOptOut
from alongside.messaging.tests.test_sending import phone


def stopped(world):
    contact = phone(world, may_text=True)
    TextOptOut.objects.create(number=contact.normalized, word="STOP", opted_out_at=timezone.now())
    return contact


def test_the_person_page_shows_a_stopped_number(client, world):
    contact = stopped(world)
    client.force_login(world.coordinator)
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Texts stopped by the person" in page
    assert reverse("messaging:texts-on", args=[world.person.pk, contact.pk]) in page


def test_staff_turn_texts_back_on_with_the_persons_request(client, world):
    contact = stopped(world)
    client.force_login(world.coordinator)
    url = reverse("messaging:texts-on", args=[world.person.pk, contact.pk])
    assert client.get(url).status_code == 200
    empty = client.post(url, {"note": ""})
    assert empty.status_code == 422 and 'href="#id_note"' in empty.content.decode()
    done = client.post(url, {"note": "Asked in person on 3 March"})
    assert done.status_code == 302
    stop = TextOptOut.objects.get()
    assert (stop.active, stop.ended_note, stop.ended_by) == (
        False,
        "Asked in person on 3 March",
        world.coordinator,
    )
    assert client.get(url).status_code == 404  # nothing stopped any more


def test_out_of_scope_is_404(client, world):
    contact = stopped(world)
    client.force_login(world.outsider)
    url = reverse("messaging:texts-on", args=[world.person.pk, contact.pk])
    assert client.post(url, {"note": "x"}).status_code == 404
    assert TextOptOut.objects.get().active
    # An id past the database's range never matches the route (alongside.lib.urls).
    big = f"/messages/people/{world.person.pk}/texts-on/{2**70}/"
    client.force_login(world.coordinator)
    assert client.get(big).status_code == 404
