"""Routes for a person's screening record: history, needs and urgent flags."""

from django.urls import URLPattern, path

from alongside.intake import record_views

urlpatterns: list[URLPattern] = [
    path("people/<int:pk>/screenings/", record_views.history, name="history"),
    path("urgent/", record_views.urgent, name="urgent"),
    path("urgent/<int:pk>/acknowledge/", record_views.flag_acknowledge, name="flag-acknowledge"),
    path("needs/<int:pk>/status/", record_views.need_status, name="need-status"),
]
