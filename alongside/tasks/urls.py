from django.urls import URLPattern

from alongside.lib.urls import path

app_name = "tasks"

urlpatterns: list[URLPattern] = []
manage_urlpatterns: list[URLPattern] = []
