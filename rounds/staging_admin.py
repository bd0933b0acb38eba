"""Admin glue for staged edits (rounds/staging.py): saves to a published guide are staged.

StagedEditAdminMixin goes first in the bases of every admin that edits a guide's content (the
guide page with its inlines, rounds, questions, study blocks). It wraps the admin's own save and
delete views, so forms, inlines and their validation work exactly as before; only the result is
kept as a staged edit instead of being committed.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from . import staging
from .content_io.loader import decode_content, load_located
from .content_io.schema import validate_guide
from .models import Guide, StagedEdit

STAGED_MESSAGE = (
    "Your change is staged: candidates still see the published version until another recruiter "
    "approves it. Check it below, then send it for review."
)


def _guide_change_url(guide_id: int) -> str:
    return reverse("admin:rounds_guide_change", args=[guide_id]) + "#staged-edit"


def staged_import(request: HttpRequest, raw: bytes, run) -> HttpResponse | None:
    """Stage an import into a published guide (None when it is not staged: run it as usual).

    The file's problems and removals of candidates' progress are raised by `run` as before."""
    spec = validate_guide(load_located(decode_content(raw)))
    guide = Guide.objects.filter(slug=spec.slug).first()
    if not staging.stages_edits(guide=guide, user=request.user):
        return None
    try:
        _, edit = staging.staged_edit_capture(
            guide=guide,
            user=request.user,
            change=run,
            succeeded=lambda _: True,
            origin="Import of a guide file",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if edit is None:
            messages.info(request, "Nothing to import: the published guide already says this.")
        else:
            messages.success(request, STAGED_MESSAGE)
    return HttpResponseRedirect(_guide_change_url(guide.pk))


class StagedEditAdminMixin:
    """Stages a recruiter's saves and deletes on anything in a published guide."""

    def _guide_id_of(self, obj: models.Model) -> int | None:
        return obj.pk if isinstance(obj, Guide) else getattr(obj, "guide_id", None)

    def _staging_guide(self, request: HttpRequest, object_id: str | None) -> Guide | None:
        """The guide a save on this page changes: the object's, or for a new object the guide
        picked in the form (or in the address, as "Save and add another" keeps it)."""
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            guide_id = self._guide_id_of(obj) if obj is not None else None
        else:
            value = request.POST.get("guide") or request.GET.get("guide") or ""
            guide_id = int(value) if value.isascii() and value.isdigit() else None
        return self._guide(request, guide_id)

    def _guide(self, request: HttpRequest, guide_id: int | None) -> Guide | None:
        if guide_id is None:
            return None
        cache = request.__dict__.setdefault("_staging_guides", {})
        if guide_id not in cache:
            cache[guide_id] = Guide.objects.filter(pk=guide_id).first()
        return cache[guide_id]

    def _open_edit(self, request: HttpRequest, guide_id: int) -> StagedEdit | None:
        cache = request.__dict__.setdefault("_staging_open_edits", {})
        if guide_id not in cache:
            cache[guide_id] = staging.open_edit(guide_id)
        return cache[guide_id]

    def _locked(self, request: HttpRequest, obj: models.Model | None) -> bool:
        """Read-only while the guide's staged edit waits: a second change would be lost."""
        if obj is None:
            return False
        guide = self._guide(request, self._guide_id_of(obj))
        return staging.stages_edits(guide=guide, user=request.user) and (
            self._open_edit(request, guide.pk) is not None
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._locked(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._locked(request, obj)

    def message_user(self, request: HttpRequest, message, level=messages.INFO, *args, **kwargs):
        # The admin's "was changed successfully" is not true of a staged change.
        if getattr(request, "_staging_active", False) and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        request._staging_saved = True

    def delete_model(self, request: HttpRequest, obj) -> None:
        super().delete_model(request, obj)
        request._staging_saved = True

    def _staged(
        self, request: HttpRequest, guide: Guide, origin: str, run, *, form: bool = False
    ) -> HttpResponse:
        """Run the admin's own view inside a staged edit of `guide`.

        With `form`, a change that cannot be staged comes back as the same form, with what the
        recruiter typed and the reason above it, rather than as a message on another page."""
        request._staging_active, request._staging_saved = True, False
        try:
            response, edit = staging.staged_edit_capture(
                guide=guide,
                user=request.user,
                change=run,
                succeeded=lambda _: request._staging_saved,
                origin=origin,
            )
        except ValidationError as exc:
            if form and exc.code == "invalid":
                return self._refused_form(request, " ".join(exc.messages), run)
            messages.error(request, " ".join(exc.messages))
            return redirect(_guide_change_url(guide.pk))
        finally:
            request._staging_active = False
        if not request._staging_saved:
            return response
        if edit is None:
            messages.info(request, "Nothing changed: the published guide already says this.")
        else:
            messages.success(request, STAGED_MESSAGE)
        return HttpResponseRedirect(_guide_change_url(guide.pk))

    def _refused_form(self, request: HttpRequest, reason: str, run) -> HttpResponse:
        """The admin's form again, bound to what was posted, with `reason` as its error."""
        request._staging_refusal = reason
        try:
            with transaction.atomic():
                response = run()
                # The form fails on the refusal, so nothing was saved; roll back regardless.
                transaction.set_rollback(True)
        finally:
            request._staging_refusal = None
        return response

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_staging_refusal", None)
        if refusal is None:
            return form

        def clean(self_):
            form.clean(self_)
            raise ValidationError(refusal, code="invalid")

        return type(form.__name__, (form,), {"clean": clean})

    def _notice(self, request: HttpRequest, guide: Guide) -> None:
        """What saving on this page will do, said before the recruiter starts typing."""
        if isinstance(self, GuideStagingMixin):
            return  # The guide page shows its own banner.
        edit = self._open_edit(request, guide.pk)
        link = reverse("admin:rounds_guide_change", args=[guide.pk]) + "#staged-edit"
        if edit is not None:
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">See the staged change</a>.',
                    staging.waiting_message(edit),
                    link,
                ),
            )
        else:
            messages.warning(
                request,
                f"“{guide}” is published: saving here stages your change for review; candidates "
                "see the published version until another recruiter approves it.",
            )

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        guide = self._staging_guide(request, object_id)
        if not staging.stages_edits(guide=guide, user=request.user):
            return super().changeform_view(request, object_id, form_url, extra_context)
        if request.method != "POST":
            self._notice(request, guide)
            return super().changeform_view(request, object_id, form_url, extra_context)
        edit = self._open_edit(request, guide.pk)
        if edit is not None:
            messages.error(request, staging.waiting_message(edit))
            return redirect(_guide_change_url(guide.pk))
        origin = f"{self.opts.verbose_name.capitalize()} page"

        def run() -> HttpResponse:
            return super(StagedEditAdminMixin, self).changeform_view(
                request, object_id, form_url, extra_context
            )

        return self._staged(request, guide, origin, run, form=True)

    def delete_view(self, request: HttpRequest, object_id, extra_context=None):
        guide = self._staging_guide(request, object_id)
        if (
            request.method != "POST"
            or isinstance(self, GuideStagingMixin)  # Deleting a whole guide is not an edit.
            or not staging.stages_edits(guide=guide, user=request.user)
        ):
            return super().delete_view(request, object_id, extra_context)

        def run() -> HttpResponse:
            return super(StagedEditAdminMixin, self).delete_view(request, object_id, extra_context)

        return self._staged(request, guide, f"Deleted on the {self.opts.verbose_name} page", run)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        # "Delete selected" cannot be staged (it may span guides): items of published guides
        # are kept and the recruiter told to delete them one at a time.
        if isinstance(self, GuideStagingMixin) or request.user.is_superuser:
            return super().delete_queryset(request, queryset)
        held = queryset.filter(guide__status="published")
        count = held.count()
        if count:
            messages.warning(
                request,
                f"{count} of them belong to published guides and were not deleted: delete them "
                "one at a time, so the change is staged for review.",
            )
        return super().delete_queryset(request, queryset.exclude(pk__in=held.values("pk")))


class GuideStagingMixin(StagedEditAdminMixin):
    """The guide page: the staged edit's banner, its diff and its steps."""

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        if object_id is not None and request.method != "POST":
            guide = self._staging_guide(request, object_id)
            if guide is not None:
                extra_context = {**(extra_context or {}), **self._banner(request, guide)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _banner(self, request: HttpRequest, guide: Guide) -> dict:
        edit = self._open_edit(request, guide.pk)
        if edit is None:
            return {"staging_live_notice": staging.stages_edits(guide=guide, user=request.user)}
        live = staging.guide_export(guide=guide)
        user = request.user
        return {
            "staged_edit": edit,
            "staged_diff": staging.staged_edit_diff(edit=edit, live=live),
            "staged_stale": live != edit.base_document,
            "staged_may_approve": user.is_superuser
            or user.pk not in (edit.author_id, edit.requested_by_id),
            "staged_may_send": user.is_superuser or user.pk == edit.author_id,
            "staged_losses": staging.staged_edit_losses(edit=edit, guide=guide),
        }

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/staged/<int:edit_id>/",
                view(
                    lambda request, object_id, edit_id: self.staged_step(
                        request, object_id, edit_id
                    )
                ),
                name="rounds_guide_staged",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def _steps():
        return {
            "send": (staging.staged_edit_request_review, "Sent the staged change for review."),
            "approve": (
                staging.staged_edit_approve,
                "Approved: candidates now see the changed guide.",
            ),
            "discard": (
                staging.staged_edit_discard,
                "Discarded the staged change; the published guide is unchanged.",
            ),
        }

    def staged_step(self, request: HttpRequest, object_id: str, edit_id: int) -> HttpResponse:
        return require_POST(self._staged_step)(request, object_id, edit_id)

    def _staged_step(self, request: HttpRequest, object_id: str, edit_id: int) -> HttpResponse:
        if not (object_id.isascii() and object_id.isdigit()):
            raise Http404("No guide has this id.")
        edit = get_object_or_404(StagedEdit, pk=edit_id, guide_id=object_id)
        # Model-level permission: the guide's own page is read-only while the edit waits.
        if not admin.ModelAdmin.has_change_permission(self, request):
            raise PermissionDenied
        name = request.POST.get("step", "")
        step = self._steps().get(name)
        if step is None:
            messages.error(request, "Choose send for review, approve or discard.")
        elif name == "discard" and request.POST.get("confirm") != "yes":
            # Discarding throws away someone's typed work: the button is behind "Discard…".
            messages.error(request, "Confirm the discard: nothing was discarded.")
        else:
            function, done = step
            try:
                function(edit=edit, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, done)
        return redirect(_guide_change_url(edit.guide_id))
