"""The guide's History page and its restore action, mounted by GuideAdmin."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from rounds.content_io.admin_views import IMPORT_PERMISSIONS
from rounds.models import Guide

from .services import NothingToRestore, RestoreNeedsConfirmation, guide_changes, restore_guide

CHANGES_PER_PAGE = 50
# Restoring creates, changes and deletes every kind of content row, like an import.
RESTORE_PERMISSIONS = IMPORT_PERMISSIONS


class RestoreForm(forms.Form):
    at = forms.DateTimeField(widget=forms.HiddenInput)
    # Empty on the History page's button; the confirmation page fills it in.
    confirm = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


def _guide(request: HttpRequest, model_admin: ModelAdmin, object_id: str) -> Guide:
    if not (object_id.isascii() and object_id.isdigit()):
        raise Http404("No guide has this id.")
    guide = get_object_or_404(Guide, pk=object_id)
    if not model_admin.has_view_permission(request, guide):
        raise PermissionDenied
    return guide


def history_view(request: HttpRequest, model_admin: ModelAdmin, object_id: str) -> HttpResponse:
    """Every change to the guide and everything in it, newest first, field by field."""
    guide = _guide(request, model_admin, object_id)
    changes = guide_changes(guide_id=guide.pk)
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Guide._meta,
        "original": guide,
        "title": f"History of {guide}",
        "page": page,
        "can_restore": request.user.has_perms(RESTORE_PERMISSIONS),
    }
    return TemplateResponse(request, "admin/rounds/guide/history.html", context)


@require_POST
def restore_view(request: HttpRequest, model_admin: ModelAdmin, object_id: str) -> HttpResponse:
    guide = _guide(request, model_admin, object_id)
    if not request.user.has_perms(RESTORE_PERMISSIONS):
        raise PermissionDenied
    form = RestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a version to restore from the list.")
        return redirect("admin:rounds_guide_history", guide.pk)
    at: datetime.datetime = form.cleaned_data["at"]
    confirm = form.cleaned_data["confirm"]
    try:
        result = restore_guide(guide_id=guide.pk, at=at, user=request.user, confirm=confirm)
    except NothingToRestore:
        messages.error(request, "The guide did not exist yet at that time; nothing was changed.")
        return redirect("admin:rounds_guide_history", guide.pk)
    except RestoreNeedsConfirmation as exc:
        # Worked out and rolled back: the recruiter sees what it changes, and what candidates
        # lose, before it happens (it used to change the published guide at the first click).
        confirmed = RestoreForm(
            initial={"at": at, "confirm": exc.result.fingerprint(at)}, auto_id=False
        )
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": Guide._meta,
            "original": guide,
            "title": f"Restore {guide} to {at:%d %b %Y %H:%M:%S}?",
            "at": at,
            "result": exc.result,
            "form": confirmed,
            "again": bool(confirm),
        }
        return TemplateResponse(request, "admin/rounds/guide/restore_confirm.html", context)
    text = f"Restored the guide as it was on {at:%d %b %Y at %H:%M:%S}: {result.written} written"
    text += f", {result.deleted} removed"
    if result.notes_reattached:
        text += f", {result.notes_reattached} candidates’ notes re-attached"
    messages.success(request, text + ".")
    return redirect("admin:rounds_guide_history", guide.pk)
