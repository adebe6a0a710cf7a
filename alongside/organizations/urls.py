from django.urls import include
from django.utils.module_loading import import_string

from alongside.lib.urls import path
from alongside.organizations import views
from alongside.organizations.contributions import manage_sections

app_name = "manage"

urlpatterns = [
    path("", views.home, name="home"),
    path("<id:org>/", views.home, name="organization"),
    path("<id:org>/settings/", views.organization_settings, name="settings"),
    path("<id:org>/programs/", views.program_list, name="programs"),
    path("<id:org>/programs/new/", views.program_edit, name="program-add"),
    path("<id:org>/programs/<id:pk>/", views.program_edit, name="program-edit"),
    path("<id:org>/programs/<id:pk>/active/", views.program_active, name="program-active"),
    path("<id:org>/locations/", views.location_list, name="locations"),
    path("<id:org>/locations/new/", views.location_edit, name="location-add"),
    path("<id:org>/locations/<id:pk>/", views.location_edit, name="location-edit"),
    path("<id:org>/locations/<id:pk>/active/", views.location_active, name="location-active"),
    path("<id:org>/staff/", views.staff_list, name="staff"),
    path("<id:org>/staff/new/", views.staff_create, name="staff-add"),
    path("<id:org>/staff/<id:pk>/", views.staff_detail, name="staff-detail"),
    path("<id:org>/staff/<id:pk>/roles/", views.role_grant, name="role-grant"),
    path(
        "<id:org>/staff/<id:pk>/roles/<id:membership_pk>/revoke/",
        views.role_revoke,
        name="role-revoke",
    ),
    path("<id:org>/staff/<id:pk>/active/", views.staff_active, name="staff-active"),
    path("<id:org>/staff/<id:pk>/sign-in-link/", views.staff_send_link, name="staff-link"),
] + [
    # Sections other apps contribute (the instrument builder, ...).
    path(f"<id:org>/{section.prefix}", include(import_string(section.urlpatterns)))
    for section in manage_sections
]
