"""Every route of intake. `urlpatterns` is the `intake` namespace (filling in a screening,
the person's screening record, urgent flags); `builder_urlpatterns` is the instrument
builder, which the organization admin screens mount under /manage/<org>/instruments/ (the
`manage` namespace) through the section `apps.py` contributes."""

from django.urls import URLPattern

from alongside.intake.views import builder, drafts, fill, preview, record
from alongside.lib.urls import path

app_name = "intake"

urlpatterns: list[URLPattern] = [
    # Filling in a screening: staff on one page, the person on a device or through a link.
    path("people/<id:pk>/start/", fill.start, name="start"),
    path("screenings/<id:pk>/", fill.response_page, name="response"),
    path("screenings/<id:pk>/answer/", fill.answer, name="answer"),
    path("screenings/<id:pk>/fhir.json", fill.response_fhir, name="response-fhir"),
    path("screenings/<id:pk>/links/", fill.link_create, name="link-create"),
    path("screenings/<id:pk>/links/<id:link_pk>/revoke/", fill.link_revoke, name="link-revoke"),
    path("screenings/<id:pk>/hand-over/", fill.hand_over, name="hand-over"),
    path("device/<id:pk>/", fill.kiosk_page, name="kiosk"),
    path("device/<id:pk>/hand-back/", fill.hand_back, name="hand-back"),
    path("s/<str:token>/", fill.by_link, name="link"),
    # The person's screening record.
    path("people/<id:pk>/screenings/", record.history, name="history"),
    path("urgent/", record.urgent, name="urgent"),
    path("urgent/<id:pk>/", record.flag_detail, name="flag"),
    path("urgent/<id:pk>/acknowledge/", record.flag_acknowledge, name="flag-acknowledge"),
    path("needs/<id:pk>/status/", record.need_status, name="need-status"),
]

V = "<id:pk>/versions/<id:vpk>/"

builder_urlpatterns: list[URLPattern] = [
    path("", builder.instrument_list, name="instruments"),
    path("new/", builder.instrument_create, name="instrument-add"),
    path("import/", builder.instrument_import, name="instrument-import"),
    path("<id:pk>/", builder.instrument_detail, name="instrument"),
    path(V, builder.version_detail, name="instrument-version"),
    path(V + "details/", drafts.details_edit, name="instrument-details"),
    path(V + "questions/new/", drafts.item_edit, name="instrument-item-add"),
    path(V + "questions/<path:link_id>/edit/", drafts.item_edit, name="instrument-item"),
    path(V + "questions/<path:link_id>/remove/", drafts.item_remove, name="instrument-item-remove"),
    path(V + "questions/<path:link_id>/move/", drafts.item_move, name="instrument-item-move"),
    path(V + "scores/new/", drafts.score_edit, name="instrument-score-add"),
    path(V + "scores/<index:index>/", drafts.score_edit, name="instrument-score"),
    path(V + "rules/<str:kind>/new/", drafts.rule_edit, name="instrument-rule-add"),
    path(V + "rules/<str:kind>/<index:index>/", drafts.rule_edit, name="instrument-rule"),
    path(
        V + "rules/<str:kind>/<index:index>/remove/",
        drafts.rule_remove,
        name="instrument-rule-remove",
    ),
    path(V + "preview/", preview.version_preview, name="instrument-preview"),
    path(V + "questionnaire.json", builder.version_fhir, name="instrument-fhir"),
    path(V + "publish/", builder.version_publish, name="instrument-publish"),
    path(V + "retire/", builder.version_retire, name="instrument-retire"),
    path(V + "new-version/", builder.version_new, name="instrument-new-version"),
    path(V + "copy/", builder.version_copy, name="instrument-copy"),
]
