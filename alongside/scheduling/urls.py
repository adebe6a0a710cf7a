from django.urls import URLPattern, URLResolver, include, path

app_name = "scheduling"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("alongside.scheduling.calendar_urls")),
]
