from django.urls import URLPattern

from alongside.encounters import manage_views, views
from alongside.lib.urls import path

app_name = "encounters"

urlpatterns: list[URLPattern] = [
    path("people/<id:pk>/", views.person_encounters, name="person-list"),
    path("people/<id:pk>/new/", views.encounter_create, name="create"),
    path("<id:pk>/", views.encounter_detail, name="detail"),
    path("<id:pk>/notes/new/", views.note_start, name="note-start"),
    path("notes/<id:pk>/", views.note_page, name="note"),
    path("notes/<id:pk>/autosave/", views.note_autosave, name="note-autosave"),
    path("notes/<id:pk>/addenda/", views.addendum_add, name="addendum-add"),
    path("notes/<id:pk>/cosign/", views.note_cosign, name="note-cosign"),
    path("notes/<id:pk>/tasks/", views.note_tasks, name="note-tasks"),
]

# The organization's word list, mounted under /manage/<org>/language/ (apps.py).
manage_urlpatterns: list[URLPattern] = [
    path("", manage_views.term_list, name="language-terms"),
    path("<id:pk>/active/", manage_views.term_active, name="language-term-active"),
]

# How each program's notes are signed, mounted under /manage/<org>/notes/ (apps.py).
manage_settings_urlpatterns: list[URLPattern] = [
    path("", manage_views.settings_list, name="note-settings"),
    path("<id:pk>/", manage_views.settings_edit, name="note-settings-edit"),
]
