from django.urls import path

from . import views_plan

urlpatterns = [
    path("guides/<slug:guide_slug>/plan/", views_plan.plan, name="plan"),
]
