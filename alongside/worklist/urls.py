from alongside.lib.urls import path
from alongside.worklist import views

app_name = "worklist"

urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/<id:user_pk>/", views.member, name="member"),
    path("caseload/", views.caseload, name="caseload"),
    path("decide/", views.decide, name="decide"),
    path("undo/", views.undo, name="undo"),
]
