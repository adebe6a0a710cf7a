from django.urls import path

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
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/profile/", views.profile_edit, name="profile"),
    path("<int:pk>/history/", views.person_history, name="history"),
    path("<int:pk>/access/", views.person_access, name="access"),
    path("<int:pk>/contacts/new/", views.contact_edit, name="contact-add"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact-edit"),
    path("<int:pk>/support/new/", views.support_edit, name="support-add"),
    path("<int:pk>/support/<int:support_pk>/", views.support_edit, name="support-edit"),
    path("<int:pk>/identifiers/new/", views.identifier_add, name="identifier-add"),
    path("<int:pk>/languages/new/", views.language_add, name="language-add"),
    path("<int:pk>/enrollments/new/", views.enrollment_edit, name="enrollment-add"),
    path(
        "<int:pk>/enrollments/<int:enrollment_pk>/", views.enrollment_edit, name="enrollment-edit"
    ),
    *[
        path(
            f"<int:pk>/{segment}/<int:child_pk>/delete/",
            views.child_delete,
            {"kind": segment},
            name=f"{prefix}-delete",
        )
        for segment, prefix in REMOVABLE
    ],
]
