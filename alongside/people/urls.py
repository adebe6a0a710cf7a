from alongside.lib.urls import path
from alongside.people import views

app_name = "people"

# (URL segment, name prefix) of the things that hang off a person and can be removed.
REMOVABLE = [
    ("contacts", "contact"),
    ("support", "support"),
    ("identifiers", "identifier"),
    ("languages", "language"),
]

urlpatterns = [
    path("", views.people_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("export.csv", views.people_export, name="export"),
    path("<id:pk>/", views.person_detail, name="detail"),
    path("<id:pk>/edit/", views.person_edit, name="edit"),
    path("<id:pk>/profile/", views.profile_edit, name="profile"),
    path("<id:pk>/history/", views.person_history, name="history"),
    path("<id:pk>/timeline/", views.person_timeline, name="timeline"),
    path("<id:pk>/access/", views.person_access, name="access"),
    path("<id:pk>/contacts/new/", views.contact_edit, name="contact-add"),
    path("<id:pk>/contacts/<id:contact_pk>/", views.contact_edit, name="contact-edit"),
    path("<id:pk>/support/new/", views.support_edit, name="support-add"),
    path("<id:pk>/support/<id:support_pk>/", views.support_edit, name="support-edit"),
    path("<id:pk>/identifiers/new/", views.identifier_add, name="identifier-add"),
    path("<id:pk>/languages/new/", views.language_add, name="language-add"),
    path("<id:pk>/enrollments/new/", views.enrollment_edit, name="enrollment-add"),
    path("<id:pk>/enrollments/<id:enrollment_pk>/", views.enrollment_edit, name="enrollment-edit"),
    *[
        path(
            f"<id:pk>/{segment}/<id:child_pk>/delete/",
            views.child_delete,
            {"kind": segment},
            name=f"{prefix}-delete",
        )
        for segment, prefix in REMOVABLE
    ],
]
