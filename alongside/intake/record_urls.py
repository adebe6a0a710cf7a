"""Routes for a person's screening record: history, needs and urgent flags."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
