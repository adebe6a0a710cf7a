"""A URLconf that puts the people app under another prefix (test_links)."""

from django.urls import include, path

urlpatterns = [path("elsewhere/people/", include("alongside.people.urls"))]
