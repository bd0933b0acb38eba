"""Bulk admin actions: rows changed one by one, counts in words, and a confirmation page."""

from typing import Any

from django.contrib import admin
from django.contrib.admin import helpers
from django.db import models, transaction
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone


def save_each(queryset: models.QuerySet, **values: Any) -> int:
    """Set `values` on every row of `queryset`, saving each; returns how many were saved.

    Rather than one UPDATE: each change is then recorded in the guide's History with who made it
    ("Unpublish selected questions" left no trace there), and every save signal runs (caches,
    the review state). Admin selections are a page of rows at most.
    """
    values.setdefault("updated_at", timezone.now())
    count = 0
    # Plain rows: the changelist's queryset may carry annotations and joins.
    ids = list(queryset.values_list("pk", flat=True))
    with transaction.atomic():
        for obj in queryset.model._default_manager.filter(pk__in=ids):
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save(update_fields=list(values))
            count += 1
    return count


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """ "1 guide", "3 guides": the admin's messages said "1 guide(s)"."""
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def confirmed(request: HttpRequest) -> bool:
    """Whether the action's confirmation page was answered (see confirm_page)."""
    return request.POST.get("confirm") == "yes"


def confirm_page(
    request: HttpRequest,
    model_admin: admin.ModelAdmin,
    queryset: models.QuerySet,
    *,
    action: str,
    title: str,
    consequence: str,
    rows: list[tuple[str, str]],
    button: str,
) -> TemplateResponse:
    """An action's "are you sure" page: what it does to whom, each selected row with what
    it affects, and a button that sends the same action again, confirmed.

    For actions candidates feel at once (unpublishing takes a guide or question away from
    everyone following it), which the admin otherwise applied on a click with no way back
    but publishing through review again.
    """
    opts = model_admin.model._meta
    return TemplateResponse(
        request,
        "admin/confirm_action.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": opts,
            "title": title,
            "consequence": consequence,
            "rows": rows,
            "button": button,
            "action": action,
            "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )
