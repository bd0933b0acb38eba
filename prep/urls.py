from django.contrib import admin
from django.urls import include, path

# The admin says whose it is: recruiters work in "Prep", not "Django administration".
admin.site.site_header = "Prep"
admin.site.site_title = "Prep admin"
admin.site.index_title = "Guides, questions and study plans"

urlpatterns = [
    path("", include("rounds.urls")),
    path("guides/<slug:guide_slug>/questions/", include("questions.urls")),
    path("", include("studyplan.urls")),
    path("", include("reminders.urls")),
    path("", include("practice.urls")),
    path("", include("stories.urls")),
    path("", include("mocks.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("prep.api_urls")),
    path("admin/", admin.site.urls),
    path("", include("ops.urls")),
]

# Under /api/ a crash or a request Django refuses answers in JSON (problem details); elsewhere
# the site's own error pages.
handler500 = "prep.api_errors.server_error"
handler400 = "prep.api_errors.bad_request"
