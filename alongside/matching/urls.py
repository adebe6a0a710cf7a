from alongside.lib.urls import path
from alongside.matching import views

app_name = "matching"

urlpatterns = [
    path("registration/", views.registration_matches, name="registration"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<id:pk>/review/", views.pair_review, name="pair-review"),
    path("merge/<id:first>/<id:second>/", views.merge_compare, name="compare"),
    path("merges/", views.merge_list, name="merges"),
    path("merges/<id:pk>/", views.merge_detail, name="merge-detail"),
]
