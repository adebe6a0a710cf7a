"""The short links in reminders (/r/<token>/) and waitlist offers (/r/o/<token>/),
outside the staff pages."""

from django.urls import URLPattern, URLResolver, path

from alongside.scheduling import reply_views

app_name = "scheduling-reply"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:token>/", reply_views.page, name="page"),
    path("o/<str:token>/", reply_views.offer, name="offer"),
]
