from django.urls import path

from alongside.web import views

urlpatterns = [path("", views.home, name="home")]
