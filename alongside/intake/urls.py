from alongside.intake import record_urls, views

app_name = "intake"

urlpatterns = [
    *views.urlpatterns,
    *record_urls.urlpatterns,
]
