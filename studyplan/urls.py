from . import urls_candidate, urls_plan

app_name = "studyplan"

# Each area keeps its own routes: the public plan page and the candidate's own progress pages.
urlpatterns = [
    *urls_plan.urlpatterns,
    *urls_candidate.urlpatterns,
]
