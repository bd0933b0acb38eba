"""The settings page section where a candidate creates and revokes their API token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from .api_tokens import api_token_create, api_token_revoke

# Enough of the key to recognise it in a script, too little to use it.
VISIBLE_KEY_CHARS = 6


def _page(request: HttpRequest, *, new_key: str | None = None) -> HttpResponse:
    token = Token.objects.filter(user_id=request.user.pk).first()
    response = render(
        request,
        "accounts/api_tokens.html",
        {
            "token": token,
            "key_hint": token.key[:VISIBLE_KEY_CHARS] if token else "",
            "new_key": new_key,
            "api_docs_url": reverse("api:docs"),
            "enrolments_url": request.build_absolute_uri(reverse("api:enrolment-list")),
            "breadcrumbs": [("Settings", reverse("accounts:settings")), ("API token", None)],
        },
    )
    # The key is shown once, right after it is made: keep it out of every cache.
    add_never_cache_headers(response)
    return response


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def api_token_new(request: HttpRequest) -> HttpResponse:
    token = api_token_create(user=request.user)
    messages.success(request, "Your new API token is ready. Copy it now: it is shown only once.")
    return _page(request, new_key=token.key)


@login_required
@require_POST
def api_token_delete(request: HttpRequest) -> HttpResponse:
    if api_token_revoke(user=request.user):
        messages.success(request, "Your API token is revoked; apps using it are signed out.")
    else:
        messages.info(request, "You had no API token, so there was nothing to revoke.")
    return redirect("accounts:api_tokens")


urlpatterns = [
    path("settings/api-token/", api_tokens, name="api_tokens"),
    path("settings/api-token/new/", api_token_new, name="api_token_new"),
    path("settings/api-token/revoke/", api_token_delete, name="api_token_revoke"),
]
