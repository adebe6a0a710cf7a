"""Routes of the instrument builder, contributed to the organization admin screens under
/manage/<org>/instruments/ (names in the `manage` namespace)."""

from alongside.intake import builder
from alongside.lib.urls import path

V = "<id:pk>/versions/<id:vpk>/"

urlpatterns = [
    path("", builder.instrument_list, name="instruments"),
    path("new/", builder.instrument_create, name="instrument-add"),
    path("import/", builder.instrument_import, name="instrument-import"),
    path("<id:pk>/", builder.instrument_detail, name="instrument"),
    path(V, builder.version_detail, name="instrument-version"),
    path(V + "details/", builder.details_edit, name="instrument-details"),
    path(V + "questions/new/", builder.item_edit, name="instrument-item-add"),
    path(V + "questions/<path:link_id>/edit/", builder.item_edit, name="instrument-item"),
    path(
        V + "questions/<path:link_id>/remove/", builder.item_remove, name="instrument-item-remove"
    ),
    path(V + "questions/<path:link_id>/move/", builder.item_move, name="instrument-item-move"),
    path(V + "scores/new/", builder.score_edit, name="instrument-score-add"),
    path(V + "scores/<index:index>/", builder.score_edit, name="instrument-score"),
    path(V + "rules/<str:kind>/new/", builder.rule_edit, name="instrument-rule-add"),
    path(V + "rules/<str:kind>/<index:index>/", builder.rule_edit, name="instrument-rule"),
    path(
        V + "rules/<str:kind>/<index:index>/remove/",
        builder.rule_remove,
        name="instrument-rule-remove",
    ),
    path(V + "preview/", builder.version_preview, name="instrument-preview"),
    path(V + "questionnaire.json", builder.version_fhir, name="instrument-fhir"),
    path(V + "publish/", builder.version_publish, name="instrument-publish"),
    path(V + "retire/", builder.version_retire, name="instrument-retire"),
    path(V + "new-version/", builder.version_new, name="instrument-new-version"),
    path(V + "copy/", builder.version_copy, name="instrument-copy"),
]
