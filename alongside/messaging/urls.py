from django.urls import URLPattern, URLResolver

from alongside.lib.urls import path
from alongside.messaging import views

app_name = "messaging"
urlpatterns: list[URLPattern | URLResolver] = [
    path("twilio/status", views.twilio_status, name="twilio-status"),
    path("twilio/inbound", views.twilio_inbound, name="twilio-inbound"),
    path("people/<id:pk>/texts-on/<id:contact_pk>/", views.texts_on, name="texts-on"),
]
