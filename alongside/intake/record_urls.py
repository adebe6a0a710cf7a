"""Routes for a person's screening record: history, needs and urgent flags."""

from django.urls import URLPattern

from alongside.intake import record_views
from alongside.lib.urls import path

urlpatterns: list[URLPattern] = [
    path("people/<id:pk>/screenings/", record_views.history, name="history"),
    path("urgent/", record_views.urgent, name="urgent"),
    path("urgent/<id:pk>/acknowledge/", record_views.flag_acknowledge, name="flag-acknowledge"),
    path("needs/<id:pk>/status/", record_views.need_status, name="need-status"),
]
