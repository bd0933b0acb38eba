from django.urls import path

from . import review_views, views

app_name = "practice"

urlpatterns = [
    path(
        "guides/<slug:guide_slug>/questions/<slug:question_slug>/practice/",
        views.practise_question,
        name="question",
    ),
    path("guides/<slug:guide_slug>/practise-next/", views.practise_next, name="next"),
    path("notes/", views.notes, name="notes"),
    path("notes/<int:note_id>/delete/", views.note_delete, name="note_delete"),
    path(
        "guides/<slug:guide_slug>/questions/<slug:question_slug>/rate/",
        review_views.rate,
        name="rate",
    ),
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/settings/", review_views.retention_update, name="retention"),
]
