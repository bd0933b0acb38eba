"""The settings page section where a candidate creates and revokes their API tokens."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from .api_tokens import MAX_TOKENS_PER_USER, api_token_create, api_token_revoke
from .forms_tokens import ApiTokenForm
from .login_required import login_required
from .models import ApiToken
from .views import add_service_errors


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Token “{token.name}” is ready. Copy it now: it is shown only once."
            )
            form = ApiTokenForm()
    response = render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user_id=request.user.pk),
            "new_key": new_key,
            "max_tokens": MAX_TOKENS_PER_USER,
            "api_docs_url": reverse("api:docs"),
            "enrolments_url": request.build_absolute_uri(reverse("api:enrolment-list")),
            "breadcrumbs": [("Settings", reverse("accounts:settings")), ("API tokens", None)],
        },
        status=400 if form.errors else 200,
    )
    # A new key is shown once, in this response only: keep it out of every cache.
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def api_token_delete(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = api_token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404("No such token") from None
    messages.success(request, f"Token “{token.name}” is revoked; apps using it are signed out.")
    return redirect("accounts:api_tokens")


urlpatterns = [
    path("settings/api-tokens/", api_tokens, name="api_tokens"),
    path("settings/api-tokens/<int:token_id>/revoke/", api_token_delete, name="api_token_revoke"),
]
