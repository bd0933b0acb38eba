from django.urls import path

from . import views

app_name = "rounds"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("guides/<slug:guide_slug>/", views.guide_detail, name="guide"),
    path("guides/<slug:guide_slug>/rounds/<slug:round_slug>/", views.round_detail, name="detail"),
    path(
        "guides/<slug:guide_slug>/regions/<slug:region_slug>/",
        views.region_detail,
        name="region",
    ),
]
