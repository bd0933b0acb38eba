"""The bare view every page is compared with: it returns a page's exact bytes from memory.

The runner saves each page's body under bench/var/bodies/ before the servers start; each worker
loads them once, so a request costs only gunicorn, Django's middleware and URL resolution.
"""

from functools import cache
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse

BODIES_DIR = Path(__file__).resolve().parent / "var" / "bodies"


@cache
def _bodies() -> dict[str, tuple[bytes, str]]:
    bodies = {}
    for body in BODIES_DIR.glob("*.body"):
        content_type = body.with_suffix(".type").read_text().strip()
        bodies[body.stem] = (body.read_bytes(), content_type)
    return bodies


def baseline(request: HttpRequest, name: str) -> HttpResponse:
    if name not in _bodies():
        # Saved after this worker first loaded the bodies (the runner saves each page's in turn).
        _bodies.cache_clear()
    try:
        body, content_type = _bodies()[name]
    except KeyError:
        raise Http404("No saved body by that name.") from None
    return HttpResponse(body, content_type=content_type)
