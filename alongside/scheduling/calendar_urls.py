"""The calendar pages and iCalendar feeds, included from scheduling/urls.py."""

from alongside.lib.urls import path
from alongside.scheduling import calendar_views, feed_views

urlpatterns = [
    path("calendar/", calendar_views.mine, name="calendar"),
    path("calendar/staff/<id:user_pk>/", calendar_views.staff, name="calendar-staff"),
    path("calendar/rooms/<id:room_pk>/", calendar_views.room, name="calendar-room"),
    path("calendar/teams/<id:program_pk>/", calendar_views.team, name="calendar-team"),
    path(
        "calendar/teams/<id:program_pk>/attendance/",
        calendar_views.team_attendance,
        name="team-attendance",
    ),
    path(
        "calendar/appointments/<id:appointment_id>/",
        calendar_views.appointment,
        name="calendar-appointment",
    ),
]
urlpatterns += [
    path("calendar/feed/", feed_views.settings_page, name="feed-settings"),
    path("calendar/feed/<str:secret>.ics", feed_views.feed, name="feed"),
    path("calendar/people/<str:secret>.ics", feed_views.person_feed, name="person-feed"),
    path("people/<id:pk>/feed/", feed_views.person_feed_page, name="person-feed-settings"),
    path(
        "calendar/appointments/<id:appointment_id>.ics",
        feed_views.appointment_ics,
        name="appointment-ics",
    ),
]
