from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path(
        "reminders/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
]
