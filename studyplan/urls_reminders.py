from django.urls import path

from . import views_reminders

urlpatterns = [
    path(
        "reminders/unsubscribe/<str:token>/",
        views_reminders.unsubscribe,
        name="unsubscribe",
    ),
]
