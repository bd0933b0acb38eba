"""/healthz, /readyz and /metrics: for load balancers and monitoring, not for people.

ProbeMiddleware answers these paths before the rest of the middleware runs (see there); the URL
patterns in ops/urls.py name them for reverse() and serve them if that middleware is removed.
"""

import asyncio
import hmac
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from health_check.views import HealthCheckView
from prometheus_client import CONTENT_TYPE_LATEST

from .health import PUBLIC_DETAIL, readiness_checks
from .metrics import metrics_text


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: this process answers requests. Deliberately checks no dependency, so a
    database outage never makes an orchestrator restart every web process at once."""
    return JsonResponse({"status": "ok"})


class ReadinessView(HealthCheckView):
    """Readiness: database, cache, broker and beat's last dispatch, checked concurrently.

    django-health-check's view answers 500 and names checks by their repr; a load balancer and
    an operator want 503 and a stable name per check, so only the answer is our own.
    """

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        checks = readiness_checks()
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in checks.values())
            )
        report = {}
        for name, result in zip(checks, results, strict=True):
            if result.error is None:
                report[name] = {"status": "ok"}
            else:
                detail = (
                    result.error.message
                    if isinstance(result.check, PUBLIC_DETAIL)
                    else result.error.message_type
                )
                report[name] = {"status": "unavailable", "detail": str(detail)}
        failed = sorted(name for name, entry in report.items() if entry["status"] != "ok")
        body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": report}
        return JsonResponse(body, status=503 if failed else 200)


readyz = ReadinessView.as_view()


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for a scraper that sends `Authorization: Bearer <METRICS_TOKEN>`.

    404 while no token is configured, so the endpoint does not exist for the public at all.
    """
    token = settings.METRICS_TOKEN
    if not token:
        return HttpResponse("Not found\n", status=404, content_type="text/plain")
    scheme, _, supplied = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        supplied.strip().encode(), token.encode()
    ):
        return HttpResponseForbidden("Forbidden\n", content_type="text/plain")
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)
