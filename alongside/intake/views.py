"""Filling in a screening: staff asking, or the person answering on a tablet or a link."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
