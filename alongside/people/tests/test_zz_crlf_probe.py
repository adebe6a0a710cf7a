from django.urls import reverse
from alongside.people import services
from alongside.people.models import RecordChange

def test_probe(client, world):
    p = world.person
    services.profile_update(actor=world.coordinator, person=p, data={"important_to": "a\nb"}, version=None)
    p.profile.refresh_from_db()
    before = RecordChange.objects.count()
    client.force_login(world.coordinator)
    page = client.get(reverse("people:profile", args=[p.pk])).content.decode()
    from django.forms.models import model_to_dict
    data = {k: (v or "") for k, v in model_to_dict(p.profile).items() if k in services.PROFILE_EDITABLE}
    data = {k: v.replace("\n", "\r\n") for k, v in data.items()}  # what a browser submits
    data["version"] = p.profile.version
    r = client.post(reverse("people:profile", args=[p.pk]), data)
    print(r.status_code, RecordChange.objects.count() - before, RecordChange.objects.order_by("-id").first().changes)
