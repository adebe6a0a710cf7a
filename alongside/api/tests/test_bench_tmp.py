import time
from django.http import JsonResponse
from django.test import Client
from django.urls import path
from alongside.people import selectors
from alongside.urls import urlpatterns as base

def bare(request, pk):
    from django.contrib.auth.decorators import login_required
    if not request.user.is_authenticated:
        return JsonResponse({}, status=401)
    p = selectors.person_detail(request.user, pk)
    return JsonResponse({"id": p.pk, "display_name": p.display_name, "pronouns": p.pronouns, "version": p.version,
        "preferred_name": p.preferred_name, "legal_given_name": p.legal_given_name, "date_of_birth": p.date_of_birth})

urlpatterns = [path("bare/<int:pk>", bare), *base]

def test_bench(world, api_as, settings, django_assert_max_num_queries):
    settings.ROOT_URLCONF = __name__
    api = api_as(world.coordinator)
    c = Client(); c.force_login(world.coordinator)
    pk = world.person.pk
    for _ in range(20):
        assert c.get(f"/bare/{pk}").status_code == 200
        assert api.get(f"/people/{pk}").status_code == 200
    N = 400
    for round in range(2):
        t = time.perf_counter()
        for _ in range(N): c.get(f"/bare/{pk}")
        bare_t = time.perf_counter() - t
        t = time.perf_counter()
        for _ in range(N): api.get(f"/people/{pk}")
        api_t = time.perf_counter() - t
        print(f"bare {N/bare_t:.0f}/s api {N/api_t:.0f}/s ratio {bare_t/api_t:.2f}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as q:
        api.get(f"/people/{pk}")
    for x in q.captured_queries: print(x["sql"][:150])
    with CaptureQueriesContext(connection) as q:
        c.get(f"/bare/{pk}")
    print(len(q.captured_queries))
