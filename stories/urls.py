from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("stories/", views.story_list, name="list"),
    path("stories/new/", views.story_new, name="new"),
    path("stories/<int:story_id>/", views.story_edit, name="edit"),
    path("stories/<int:story_id>/delete/", views.story_remove, name="delete"),
    path("stories/link/", views.story_link, name="link"),
    path("stories/unlink/", views.story_unlink, name="unlink"),
    path("stories/coverage/", views.coverage_index, name="coverage_index"),
    path("stories/coverage/<slug:guide_slug>/", views.coverage, name="coverage"),
]
