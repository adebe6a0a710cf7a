from alongside.lib.urls import path
from alongside.plans import manage_views, views

app_name = "plans"

urlpatterns = [
    path("start/<id:enrollment_pk>/", views.start, name="start"),
    path("<id:pk>/", views.plan, name="plan"),
    path("<id:pk>/print/", views.print_plan, name="print"),
    path("<id:pk>/goals/add/", views.goal_add, name="goal-add"),
    path("<id:pk>/goals/<id:goal_pk>/", views.goal_edit, name="goal-edit"),
    path("<id:pk>/goals/<id:goal_pk>/steps/add/", views.step_add, name="step-add"),
    path("<id:pk>/goals/<id:goal_pk>/readiness/", views.readiness, name="readiness"),
    path("<id:pk>/steps/<id:step_pk>/done/", views.step_done, name="step-done"),
    path("<id:pk>/review/", views.review, name="review"),
    path("<id:pk>/agreement/", views.agreement, name="agreement"),
    path("<id:pk>/status/", views.status, name="status"),
    path("<id:pk>/approve/", views.approve, name="approve"),
    path("<id:pk>/versions/", views.versions, name="versions"),
    path("<id:pk>/versions/<id:number>/", views.version, name="version"),
]

# How each program runs its plans, mounted under /manage/<org>/plans/ (apps.py).
manage_urlpatterns = [
    path("", manage_views.settings_list, name="plan-settings"),
    path("<id:pk>/", manage_views.settings_edit, name="plan-settings-edit"),
    path("<id:pk>/templates/", manage_views.templates, name="goal-templates"),
    path(
        "<id:pk>/templates/<id:template_pk>/",
        manage_views.template_edit,
        name="goal-template-edit",
    ),
]
