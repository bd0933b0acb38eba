"""Middleware for operators: probe endpoints answered early, and one access log line a request."""

import logging
import time
from collections.abc import Callable

from asgiref.sync import async_to_sync, iscoroutinefunction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from . import views

access_log = logging.getLogger("prep.access")

Handler = Callable[[HttpRequest], HttpResponse]

PROBES: dict[str, Callable[..., HttpResponse]] = {
    "/healthz": views.healthz,
    "/readyz": views.readyz,
    "/metrics": views.metrics,
}


class ProbeMiddleware:
    """Answer /healthz, /readyz and /metrics before the rest of the stack runs.

    Probes come from load balancers and Prometheus, which address a process by its IP: Host is
    then not in ALLOWED_HOSTS and they speak plain HTTP inside the network. So these answers skip
    host validation and the HTTPS redirect, and also the page cache, CSP, sessions, CSRF and
    authentication: none of which they use, and each of which would make a probe slower or
    depend on more than it checks. None of the three views reads the Host header.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.probes = {
            path: async_to_sync(view) if iscoroutinefunction(view) else view
            for path, view in PROBES.items()
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.probes.get(request.path_info)
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        response = view(request)
        # Django would log every 503 from /readyz as an error (and Sentry would report each
        # one, every few seconds while a dependency is down); the failed checks are logged by
        # django-health-check already, with their cause.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response


class AccessLogMiddleware:
    """One structured log line per request, carrying the request id like every other line.

    The view's name is logged, never the path: paths hold secrets (password-reset and
    e-mail-confirmation tokens, the private calendar feed's address).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else None) or "-"
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        access_log.info(
            "%s %s %s %.1fms",
            request.method,
            view,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "view": view,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
