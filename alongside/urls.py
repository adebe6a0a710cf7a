from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("alongside.web.urls")),
    path("", include("alongside.accounts.urls")),
    path("people/", include("alongside.people.urls")),
    path("manage/", include("alongside.organizations.urls")),
    path("matching/", include("alongside.matching.urls")),
    path("intake/", include("alongside.intake.urls")),
    path("worklist/", include("alongside.worklist.urls")),
    path("tasks/", include("alongside.tasks.urls")),
    path("encounters/", include("alongside.encounters.urls")),
    path("plans/", include("alongside.plans.urls")),
    path("scheduling/", include("alongside.scheduling.urls")),
    path("messages/", include("alongside.messaging.urls")),
    # Reminders' short links, answered by the person without an account.
    path("r/", include("alongside.scheduling.reply_urls")),
    path("audit/", include("alongside.oversight.urls")),
    path("api/", include("alongside.api.urls")),
    path("django-admin/", admin.site.urls),
]
