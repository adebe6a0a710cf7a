from django.urls import include, path

from alongside.organizations import views
from alongside.organizations.contributions import manage_sections

app_name = "manage"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:org>/", views.home, name="organization"),
    path("<int:org>/settings/", views.organization_settings, name="settings"),
    path("<int:org>/programs/", views.program_list, name="programs"),
    path("<int:org>/programs/new/", views.program_edit, name="program-add"),
    path("<int:org>/programs/<int:pk>/", views.program_edit, name="program-edit"),
    path("<int:org>/programs/<int:pk>/active/", views.program_active, name="program-active"),
    path("<int:org>/locations/", views.location_list, name="locations"),
    path("<int:org>/locations/new/", views.location_edit, name="location-add"),
    path("<int:org>/locations/<int:pk>/", views.location_edit, name="location-edit"),
    path("<int:org>/locations/<int:pk>/active/", views.location_active, name="location-active"),
    path("<int:org>/staff/", views.staff_list, name="staff"),
    path("<int:org>/staff/new/", views.staff_create, name="staff-add"),
    path("<int:org>/staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("<int:org>/staff/<int:pk>/roles/", views.role_grant, name="role-grant"),
    path(
        "<int:org>/staff/<int:pk>/roles/<int:membership_pk>/revoke/",
        views.role_revoke,
        name="role-revoke",
    ),
    path("<int:org>/staff/<int:pk>/active/", views.staff_active, name="staff-active"),
    path("<int:org>/staff/<int:pk>/sign-in-link/", views.staff_send_link, name="staff-link"),
] + [
    # Sections other apps contribute (the instrument builder, ...).
    path(f"<int:org>/{section.prefix}", include(section.urlconf))
    for section in manage_sections
]
