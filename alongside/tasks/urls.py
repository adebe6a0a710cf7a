"""Task pages under /tasks/, and the follow-up rules section that the organization admin
screens mount under /manage/<org>/follow-up/ (the `manage` namespace)."""

from django.urls import URLPattern

from alongside.lib.urls import path
from alongside.tasks import manage_views, views

app_name = "tasks"

urlpatterns: list[URLPattern] = [
    path("", views.task_list, name="list"),
    path("<id:pk>/", views.task_detail, name="detail"),
    path("<id:pk>/edit/", views.task_edit, name="edit"),
    path("<id:pk>/take/", views.task_action, {"action": "take"}, name="take"),
    path("<id:pk>/start/", views.task_action, {"action": "start"}, name="start"),
    path("<id:pk>/complete/", views.task_action, {"action": "complete"}, name="complete"),
    path("<id:pk>/reopen/", views.task_action, {"action": "reopen"}, name="reopen"),
    path("<id:pk>/cancel/", views.task_cancel, name="cancel"),
    path("<id:pk>/assign/", views.task_assign, name="assign"),
    path("<id:pk>/comments/", views.task_comment, name="comment"),
    path("people/<id:pk>/new/", views.task_create, name="create"),
]

manage_urlpatterns: list[URLPattern] = [
    path("", manage_views.rule_list, name="follow-up"),
    path("new/", manage_views.rule_edit, name="follow-up-add"),
    path("<id:pk>/", manage_views.rule_edit, name="follow-up-edit"),
    path("run/", manage_views.rules_run, name="follow-up-run"),
]
