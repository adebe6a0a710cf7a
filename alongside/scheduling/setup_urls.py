"""The scheduling set-up screens, mounted at /manage/<org>/scheduling/ as an
organization admin section (registered in apps.py)."""

from django.urls import URLPattern

from alongside.lib.urls import path
from alongside.scheduling import setup_views as views

manage_urlpatterns: list[URLPattern] = [
    path("", views.overview, name="scheduling"),
    path("types/new/", views.type_edit, name="scheduling-type-add"),
    path("types/<id:pk>/", views.type_edit, name="scheduling-type-edit"),
    path("locations/<id:pk>/", views.location_page, name="scheduling-location"),
    path("locations/<id:pk>/rooms/new/", views.room_add, name="scheduling-room-add"),
    path("rooms/<id:pk>/", views.room_edit, name="scheduling-room-edit"),
    path("hours/<id:pk>/remove/", views.hours_remove, name="scheduling-hours-remove"),
    path("staff/<id:pk>/", views.staff_page, name="scheduling-staff"),
    path("staff/<id:pk>/weekly/new/", views.pattern_add, name="scheduling-pattern-add"),
    path("weekly/<id:pk>/", views.pattern_edit, name="scheduling-pattern-edit"),
    path("weekly/<id:pk>/remove/", views.pattern_remove, name="scheduling-pattern-remove"),
    path("staff/<id:pk>/changes/new/", views.change_add, name="scheduling-change-add"),
    path("changes/<id:pk>/remove/", views.change_remove, name="scheduling-change-remove"),
]
