"""Version 1 of the JSON API, its OpenAPI schema and its interactive docs."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import api as accounts_api
from mocks import api as mocks_api
from practice import api as practice_api
from practice import review_api
from questions import api as questions_api
from rounds import api as rounds_api
from stories import api as stories_api
from studyplan import api as studyplan_api

from .api_docs import RedocView, redoc_bundle
from .api_errors import api_not_found
from .api_root import ApiRoot, ProblemType

app_name = "api"

guide = "guides/<slug:guide_slug>/"

urlpatterns = [
    path("", ApiRoot.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
    path("problems/<str:code>/", ProblemType.as_view(), name="problem"),
    # Public content.
    path("guides/", rounds_api.GuideList.as_view(), name="guide-list"),
    path(guide, rounds_api.GuideDetail.as_view(), name="guide-detail"),
    path(f"{guide}rounds/", rounds_api.RoundList.as_view(), name="round-list"),
    path(
        f"{guide}rounds/<slug:round_slug>/", rounds_api.RoundDetail.as_view(), name="round-detail"
    ),
    path(f"{guide}regions/", rounds_api.GuideVariantList.as_view(), name="variant-list"),
    path(
        f"{guide}regions/<slug:region_slug>/",
        rounds_api.GuideVariantDetail.as_view(),
        name="variant-detail",
    ),
    path(f"{guide}study-blocks/", studyplan_api.StudyBlockList.as_view(), name="block-list"),
    path("regions/", rounds_api.RegionList.as_view(), name="region-list"),
    path("regions/<slug:region_slug>/", rounds_api.RegionDetail.as_view(), name="region-detail"),
    path("questions/", questions_api.QuestionList.as_view(), name="question-list"),
    path("questions/<int:pk>/", questions_api.QuestionDetail.as_view(), name="question-detail"),
    path("tags/", questions_api.TagList.as_view(), name="tag-list"),
    # The signed-in candidate's own data.
    path("me/", accounts_api.Profile.as_view(), name="profile"),
    path("me/export/", accounts_api.Export.as_view(), name="export"),
    path("enrolments/", studyplan_api.EnrolmentList.as_view(), name="enrolment-list"),
    path("enrolments/<int:pk>/", studyplan_api.EnrolmentDetail.as_view(), name="enrolment-detail"),
    path(
        "enrolments/<int:pk>/pause/", studyplan_api.EnrolmentPause.as_view(), name="enrolment-pause"
    ),
    path(
        "enrolments/<int:pk>/resume/",
        studyplan_api.EnrolmentResume.as_view(),
        name="enrolment-resume",
    ),
    path(
        "enrolments/<int:pk>/leave/", studyplan_api.EnrolmentLeave.as_view(), name="enrolment-leave"
    ),
    path(
        "enrolments/<int:pk>/replan/",
        studyplan_api.EnrolmentReplan.as_view(),
        name="enrolment-replan",
    ),
    path(
        "enrolments/<int:pk>/replan/undo/",
        studyplan_api.EnrolmentReplanUndo.as_view(),
        name="enrolment-replan-undo",
    ),
    path(
        "enrolments/<int:pk>/rounds/<slug:round_slug>/",
        studyplan_api.EnrolmentRoundDate.as_view(),
        name="enrolment-round-date",
    ),
    path(
        "enrolments/<int:pk>/tasks/",
        studyplan_api.EnrolmentTaskList.as_view(),
        name="enrolment-task-list",
    ),
    path(
        "enrolments/<int:pk>/tasks/<int:task_id>/",
        studyplan_api.EnrolmentTaskDetail.as_view(),
        name="enrolment-task-detail",
    ),
    path("practice/", practice_api.PracticeList.as_view(), name="practice-list"),
    path("practice/<int:pk>/", practice_api.PracticeDetail.as_view(), name="practice-detail"),
    path("reviews/due/", review_api.ReviewQueue.as_view(), name="review-queue"),
    path("review-cards/", review_api.ReviewCardList.as_view(), name="review-card-list"),
    path(
        "review-cards/<int:pk>/", review_api.ReviewCardDetail.as_view(), name="review-card-detail"
    ),
    path("activity/", review_api.ActivityView.as_view(), name="activity"),
    path("stories/", stories_api.StoryList.as_view(), name="story-list"),
    path("stories/<int:pk>/", stories_api.StoryDetail.as_view(), name="story-detail"),
    path("mocks/", mocks_api.MockList.as_view(), name="mock-list"),
    path("mocks/<int:pk>/", mocks_api.MockDetail.as_view(), name="mock-detail"),
    path(
        "mocks/<int:pk>/start-question/",
        mocks_api.MockQuestionStartView.as_view(),
        name="mock-start-question",
    ),
    path("mocks/<int:pk>/answer/", mocks_api.MockAnswerView.as_view(), name="mock-answer"),
    path("mocks/<int:pk>/grade/", mocks_api.MockGradeView.as_view(), name="mock-grade"),
    path("mocks/<int:pk>/abandon/", mocks_api.MockAbandonView.as_view(), name="mock-abandon"),
    # Anything else under /api/v1/ answers in JSON too, not with the site's HTML 404 page.
    re_path(r"", api_not_found),
]
