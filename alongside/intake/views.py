"""Filling in a screening: staff asking, or the person answering on a tablet or a link."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import path


def _todo(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponseNotFound()


urlpatterns = [
    path("people/<int:pk>/start/", _todo, name="start"),
    path("screenings/<int:pk>/", _todo, name="response"),
]
