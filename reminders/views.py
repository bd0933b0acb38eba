"""The unsubscribe link in reminder e-mails: works without logging in, from any mail client."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from studyplan.models import Enrolment

from .delivery import enrolment_resubscribe, enrolment_unsubscribe, unsubscribe_token_verify


def invalid_link(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reminders/unsubscribe_invalid.html",
        {"breadcrumbs": [("Unsubscribe", None)]},
        status=400,
    )


# CSRF protection is off here on purpose: mail providers send the RFC 8058 one-click POST
# ("List-Unsubscribe=One-Click") without any cookie or form token. The signed token in the URL is
# the proof of intent instead: only the mailbox owner has it, it cannot be forged or altered, and
# it can do nothing but switch one plan's reminders off or back on.
# HEAD too: mail providers' link scanners check a link with HEAD before a person clicks it.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
# The page names the candidate's plan and works without a session: keep it out of every cache.
@cache_control(private=True, no_store=True)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    enrolment_id = unsubscribe_token_verify(token=token)
    if enrolment_id is None:
        return invalid_link(request)
    if request.method in ("GET", "HEAD"):
        enrolment = Enrolment.objects.select_related("guide").filter(pk=enrolment_id).first()
        if enrolment is None:
            return invalid_link(request)
        return render(
            request,
            "reminders/unsubscribe.html",
            {"enrolment": enrolment, "token": token, "breadcrumbs": [("Unsubscribe", None)]},
        )
    if request.POST.get("action") == "resubscribe":
        enrolment = enrolment_resubscribe(token=token)
    else:
        enrolment = enrolment_unsubscribe(token=token)
    if enrolment is None:
        return invalid_link(request)
    return render(
        request,
        "reminders/unsubscribe_done.html",
        {"enrolment": enrolment, "token": token, "breadcrumbs": [("Unsubscribe", None)]},
    )
