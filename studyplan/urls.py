from . import urls_candidate, urls_plan, urls_reminders

app_name = "studyplan"

# Each area keeps its own routes: the public plan page, the candidate's own progress pages and the
# reminder links that arrive by e-mail.
urlpatterns = [
    *urls_plan.urlpatterns,
    *urls_candidate.urlpatterns,
    *urls_reminders.urlpatterns,
]
