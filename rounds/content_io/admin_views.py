"""Admin pages for content files and completeness, mounted by GuideAdmin.get_urls."""

import base64
import binascii
import io
import zipfile

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from rounds.models import Guide
from rounds.staging_admin import staged_import

from .completeness import guide_gaps
from .errors import ContentError, ContentFileInvalid
from .exporter import guide_export
from .importer import ImportResult, ProgressAtRisk, guide_import_bytes
from .loader import MAX_FILE_BYTES, too_big

MAX_UPLOAD_BYTES = MAX_FILE_BYTES

# Importing can create, change and delete every kind of content row, so it needs all of it.
IMPORT_PERMISSIONS = [
    f"{app}.{action}_{model}"
    for app, models in (
        ("rounds", ["guide", "evaluationcriterion", "round", "region", "regionalvariant"]),
        ("questions", ["question", "tag"]),
        ("studyplan", ["studyblock", "studytask"]),
    )
    for model in models
    for action in ("add", "change", "delete")
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Guide file (YAML)",
        help_text="A file in the format “Export YAML” downloads. It replaces the whole guide "
        "with the same slug, or creates it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,application/yaml,text/yaml"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; guide files are at most "
                f"{MAX_UPLOAD_BYTES:,} bytes."
            )
        return upload


class ConfirmForm(forms.Form):
    """The previewed file, sent back with the fingerprint of the removals the recruiter saw."""

    content = forms.CharField(widget=forms.HiddenInput, strip=False)
    confirmed = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_content(self) -> bytes:
        try:
            raw = base64.b64decode(self.cleaned_data["content"], validate=True)
        except (binascii.Error, ValueError):
            message = "The previewed file was damaged; upload it again."
            raise forms.ValidationError(message) from None
        if len(raw) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(str(too_big(len(raw))))
        return raw


def import_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Upload a guide file, see what it adds, changes and removes per section, then apply it."""
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    errors: ContentFileInvalid | None = None
    status = 200
    if request.method == "POST" and "confirmed" in request.POST:
        confirm = ConfirmForm(request.POST)
        form = ImportForm()
        if not confirm.is_valid():
            reason = "; ".join(message for field in confirm.errors.values() for message in field)
            errors = ContentFileInvalid([ContentError(None, "", reason)])
        else:
            raw, confirmed = confirm.cleaned_data["content"], confirm.cleaned_data["confirmed"]
            return _import(request, model_admin, raw, confirmed=confirmed, form=form)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read()
            return _preview(request, model_admin, raw, form=form)
        upload = form.files.get("file")
        status = 413 if upload is not None and upload.size > MAX_UPLOAD_BYTES else 400
    else:
        form = ImportForm()
    if errors is not None:
        status = 400
    return _import_page(request, model_admin, form=form, errors=errors, status=status)


def _keeps_status(request: HttpRequest) -> bool:
    # A recruiter's file cannot publish a guide: that takes a second recruiter's approval.
    return not request.user.is_superuser


def _preview(
    request: HttpRequest, model_admin: ModelAdmin, raw: bytes, *, form: ImportForm
) -> HttpResponse:
    """Nothing is written on upload: the import is tried and rolled back, and what it would add,
    change and remove is shown for confirmation (an unchanged file just says so)."""
    try:
        result = guide_import_bytes(
            raw=raw, user=request.user, dry_run=True, keep_status=_keeps_status(request)
        )
    except ContentFileInvalid as exc:
        return _import_page(request, model_admin, form=form, errors=exc, status=400)
    if not result.changed:
        messages.info(request, f"Nothing to import: {result.summary()}")
        return redirect("admin:rounds_guide_change", result.guide.pk)
    return _preview_page(request, model_admin, raw, result, again=False)


def _import(
    request: HttpRequest, model_admin: ModelAdmin, raw: bytes, *, confirmed: str, form: ImportForm
) -> HttpResponse:
    def run() -> ImportResult:
        return guide_import_bytes(
            raw=raw, confirmed=confirmed, user=request.user, keep_status=_keeps_status(request)
        )

    try:
        # Into a published guide, a recruiter's import is staged for review (rounds/staging.py).
        staged = staged_import(request, raw, run)
        if staged is not None:
            return staged
        result = run()
    except ContentFileInvalid as exc:
        return _import_page(request, model_admin, form=form, errors=exc, status=400)
    except ProgressAtRisk as exc:
        return _preview_page(request, model_admin, raw, exc.result, again=bool(confirmed))
    if result.changed:
        # Leaves a line in the guide's admin history, like an edit made by hand.
        model_admin.log_change(request, result.guide, f"Imported from YAML: {result.summary()}")
    level = messages.SUCCESS if result.changed else messages.INFO
    messages.add_message(request, level, f"Imported {result.summary()}")
    return redirect("admin:rounds_guide_change", result.guide.pk)


def _import_page(
    request: HttpRequest,
    model_admin: ModelAdmin,
    *,
    form: ImportForm,
    errors: ContentFileInvalid | None,
    status: int,
) -> HttpResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import guide from YAML",
        "form": form,
        "import_errors": errors.lines() if errors else [],
        "error_count": errors.count if errors else 0,
    }
    return TemplateResponse(request, "admin/rounds/guide/import.html", context, status=status)


def _preview_page(
    request: HttpRequest, model_admin: ModelAdmin, raw: bytes, result: ImportResult, *, again: bool
) -> HttpResponse:
    """What the import would do, and a button to apply it although it removes progress."""
    confirm = ConfirmForm(
        initial={"content": base64.b64encode(raw).decode(), "confirmed": result.fingerprint}
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": (
            "Confirm import: candidates’ progress would be removed"
            if result.losses
            else "Confirm import: check what changes"
        ),
        "result": result,
        "confirm": confirm,
        "again": again,
    }
    return TemplateResponse(request, "admin/rounds/guide/import_preview.html", context)


def export_view(request: HttpRequest, model_admin: ModelAdmin, object_id: str) -> HttpResponse:
    if not (object_id.isascii() and object_id.isdigit()):
        raise Http404("No guide has this id.")
    guide = get_object_or_404(Guide, pk=object_id)
    if not model_admin.has_view_permission(request, guide):
        raise PermissionDenied
    return export_response(Guide.objects.filter(pk=guide.pk))


def export_response(guides: QuerySet[Guide]) -> HttpResponse:
    """One YAML file for one guide, a zip of them for several."""
    guides = list(guides.order_by("slug"))
    if len(guides) == 1:
        response = HttpResponse(
            guide_export(guide=guides[0]), content_type="application/yaml; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{guides[0].slug}.yaml"'
        return response
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for guide in guides:
            archive.writestr(f"{guide.slug}.yaml", guide_export(guide=guide))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="prep-guides.zip"'
    return response


def completeness_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    guides = Guide.objects.all()
    selected = None
    guide_id = request.GET.get("guide", "")
    if guide_id:
        # isdigit() alone accepts "²", which the id lookup then rejects with a 500.
        if not (guide_id.isascii() and guide_id.isdigit()):
            guides = guides.none()
        else:
            guides = guides.filter(pk=guide_id)
            selected = guide_id
    reports = guide_gaps(guides=guides)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Content completeness",
        "reports": reports,
        "selected": selected,
        "complete_count": sum(1 for report in reports if report.complete),
    }
    return TemplateResponse(request, "admin/rounds/guide/completeness.html", context)
