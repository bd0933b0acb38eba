"""The API's documentation pages, served entirely from this site (no CDN, no font service)."""

from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from drf_spectacular.views import SpectacularRedocView

SIDECAR_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
# ReDoc's sidebar always shows Redocly's logo from their CDN; an empty address makes the image
# fail to load without a request, and ReDoc then leaves it out. The source map is not shipped.
OUTSIDE_REFERENCES = (
    (b"https://cdn.redoc.ly/redoc/logo-mini.svg", b""),
    (b"//# sourceMappingURL=redoc.standalone.js.map", b""),
)


@cache
def _redoc_bundle() -> bytes:
    path = finders.find(SIDECAR_BUNDLE)
    if not path:
        raise FileNotFoundError(f"{SIDECAR_BUNDLE} (is drf-spectacular-sidecar installed?)")
    bundle = Path(path).read_bytes()
    for reference, replacement in OUTSIDE_REFERENCES:
        bundle = bundle.replace(reference, replacement)
    return bundle


def redoc_bundle(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_redoc_bundle(), content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

    @staticmethod
    def _redoc_standalone() -> str:
        return reverse("api:redoc-bundle")
