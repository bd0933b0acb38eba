from django.urls import path

from . import views

app_name = "studyplan"

urlpatterns = [
    path("guides/<slug:guide_slug>/plan/", views.plan, name="plan"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("guides/<slug:guide_slug>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:enrolment_id>/settings/", views.enrolment_settings, name="settings"),
    path("enrolments/<int:enrolment_id>/pause/", views.enrolment_pause, name="pause"),
    path("enrolments/<int:enrolment_id>/resume/", views.enrolment_resume, name="resume"),
    path("enrolments/<int:enrolment_id>/leave/", views.enrolment_leave, name="leave"),
    path("enrolments/<int:enrolment_id>/replan/", views.enrolment_replan, name="replan"),
    path(
        "enrolments/<int:enrolment_id>/replan/undo/",
        views.enrolment_replan_undo,
        name="replan_undo",
    ),
    path("enrolments/<int:enrolment_id>/rounds/", views.round_dates, name="round_dates"),
    path(
        "enrolments/<int:enrolment_id>/rounds/<int:round_id>/",
        views.round_date_save,
        name="round_date_save",
    ),
    path(
        "enrolments/<int:enrolment_id>/rounds/<int:round_id>/delete/",
        views.round_date_delete,
        name="round_date_delete",
    ),
    path(
        "enrolments/<int:enrolment_id>/tasks/<int:task_id>/toggle/",
        views.task_toggle,
        name="task_toggle",
    ),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
]
