"""The site's URLs plus /__bench__/baseline/<name>/: the same bytes as a page, from memory."""

from django.urls import include, path

from .baseline import baseline

urlpatterns = [
    path("__bench__/baseline/<slug:name>/", baseline, name="bench-baseline"),
    path("", include("prep.urls")),
]
