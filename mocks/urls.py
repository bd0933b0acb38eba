from django.urls import path

from . import views

app_name = "mocks"

round_path = "guides/<slug:guide_slug>/rounds/<slug:round_slug>/"

urlpatterns = [
    path("mocks/", views.index, name="index"),
    path(f"{round_path}mock/", views.start, name="start"),
    path(f"{round_path}mocks/", views.history, name="history"),
    path("mocks/<int:mock_id>/", views.detail, name="detail"),
    path("mocks/<int:mock_id>/start/", views.start_question, name="start_question"),
    path("mocks/<int:mock_id>/answer/", views.answer, name="answer"),
    path("mocks/<int:mock_id>/grade/", views.grade, name="grade"),
    path("mocks/<int:mock_id>/abandon/", views.abandon, name="abandon"),
]
