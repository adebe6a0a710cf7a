from django.urls import URLPattern, URLResolver, include

from alongside.lib.urls import path
from alongside.scheduling import session_views, views

app_name = "scheduling"
urlpatterns: list[URLPattern | URLResolver] = [
    path("people/<id:pk>/", views.person_appointments, name="person"),
    path("people/<id:pk>/find/", views.find, name="find"),
    path("people/<id:pk>/hold/", views.hold, name="hold"),
    path("people/<id:pk>/preferences/", views.save_preferences, name="preferences"),
    path("people/<id:pk>/series/", views.series_create, name="series-create"),
    path("people/<id:pk>/waitlist/", views.waitlist_join, name="waitlist-join"),
    path("appointments/<id:pk>/", views.appointment_page, name="appointment"),
    path("appointments/<id:pk>/confirm/", views.confirm, name="confirm"),
    path("appointments/<id:pk>/release/", views.release, name="release"),
    path("appointments/<id:pk>/attendance/", views.mark, name="attendance"),
    path("appointments/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("appointments/<id:pk>/move/", views.move, name="move"),
    path("sessions/<id:pk>/", session_views.session_page, name="session"),
    path("seats/<id:pk>/attendance/", session_views.seat_attendance, name="seat-attendance"),
    path("offers/<id:pk>/", views.offer_answer, name="offer"),
    path("waitlist/<id:pk>/withdraw/", views.waitlist_withdraw, name="waitlist-withdraw"),
    path("", include("alongside.scheduling.calendar_urls")),
]
