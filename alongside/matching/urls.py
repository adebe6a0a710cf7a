from django.urls import path

from alongside.matching import views

app_name = "matching"

urlpatterns = [
    path("registration/", views.registration_matches, name="registration"),
]
