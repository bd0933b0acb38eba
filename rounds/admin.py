"""Admin for guides, their rounds and regions: where recruiters write interview content."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from prep.admin_actions import confirm_page, confirmed, counted, save_each
from questions.models import Question
from studyplan.models import Enrolment, EnrolmentStatus, StudyBlock

from . import publishing, staging
from .admin_nested import (
    NestedRowsMixin,
    RoundParentFormSet,
    StudyBlockParentFormSet,
    prefetch_questions,
    prefetch_tasks,
)
from .admin_order import (
    NextOrderMixin,
    SortableInlineMixin,
    assign_next_order,
    save_formset_in_order,
)
from .admin_regions import RegionalVariantForm, RegionalVariantFormSet
from .content_io import admin_views
from .history import admin_views as history_views
from .insight import admin_views as insight_views
from .models import (
    EvaluationCriterion,
    Guide,
    GuideReview,
    GuideStatus,
    Region,
    RegionalVariant,
    Round,
)
from .staging_admin import GuideStagingMixin, StagedEditAdminMixin

LIST_FIELDS = ("what_interviewers_look_for", "evaluation_criteria", "preparation_tips")


class EvaluationCriterionInline(SortableInlineMixin, NextOrderMixin, admin.TabularInline):
    model = EvaluationCriterion
    extra = 0
    fields = ["order", "title", "description"]


class RoundInline(NestedRowsMixin, SortableInlineMixin, NextOrderMixin, admin.StackedInline):
    model = Round
    # Each round lists its questions, which can be added and edited right here.
    formset = RoundParentFormSet
    nested_prefetch = staticmethod(prefetch_questions)
    extra = 0
    show_change_link = True
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": [("order", "title", "slug"), "summary", "description"]}),
        (
            "Lists (one item per line)",
            {"classes": ["collapse"], "fields": [*LIST_FIELDS, "rejection_reasons"]},
        ),
    ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A staged edit does not publish or hide existing questions (review does, from the
        # question list): their Published box unticked here showed in the diff, then did nothing.
        formset.publish_locked = staging.stages_edits(guide=obj, user=request.user)
        return formset


class RegionalVariantInline(admin.StackedInline):
    model = RegionalVariant
    form = RegionalVariantForm
    formset = RegionalVariantFormSet
    extra = 0
    fields = [("region", "new_region"), "interview_focus", "tips"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RegionalVariant]:
        # Each row is titled "guide — region".
        return super().get_queryset(request).select_related("guide", "region")

    verbose_name = "regional difference"
    verbose_name_plural = "regional differences"


class StudyBlockFormSet(StudyBlockParentFormSet):
    """Blocks saved together must fit the plan and not overlap one another."""

    def clean(self) -> None:
        super().clean()
        plan_weeks = self.instance.plan_weeks
        spans: list[tuple[int, int, str]] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or self._should_delete_form(form):
                continue
            start, end = data.get("start_week"), data.get("end_week")
            if start is None or end is None:
                continue
            if plan_weeks and end > plan_weeks:
                raise ValidationError(
                    f"“{data.get('title', '')}” ends in week {end}, after the "
                    f"{plan_weeks}-week plan."
                )
            for other_start, other_end, other_title in spans:
                if start <= other_end and end >= other_start:
                    raise ValidationError(
                        f"Weeks {start}-{end} of “{data.get('title', '')}” overlap weeks "
                        f"{other_start}-{other_end} of “{other_title}”."
                    )
            spans.append((start, end, data.get("title", "")))


class StudyBlockInline(NestedRowsMixin, admin.StackedInline):
    model = StudyBlock
    formset = StudyBlockFormSet
    extra = 0
    # Each block's checklist is edited right here (rounds/admin_nested.py); the block's own
    # page still has its links to rounds, question kinds and tags.
    show_change_link = True
    fields = [("start_week", "end_week"), "title", "headline", "description"]
    nested_prefetch = staticmethod(prefetch_tasks)


class GuideForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields = [
            "company",
            "role",
            "slug",
            "category",
            "status",
            "summary",
            "typical_duration_days",
            "experience_min_years",
            "experience_max_years",
            "salary_currency",
            "salary_min",
            "salary_max",
            "total_interview_minutes",
            "plan_weeks",
            "preparation_tips",
            "last_reviewed",
        ]

    def clean_salary_currency(self) -> str:
        # As the guide file requires (an ISO 4217 code): "usd" showed as "usd 200,000".
        code = self.cleaned_data.get("salary_currency", "").strip().upper()
        if code and not (len(code) == 3 and code.isascii() and code.isalpha()):
            raise forms.ValidationError("Enter a three-letter ISO 4217 code, such as USD or EUR.")
        return code

    def clean(self) -> dict:
        cleaned = super().clean()
        for label, low_field, high_field in (
            ("experience", "experience_min_years", "experience_max_years"),
            ("salary", "salary_min", "salary_max"),
        ):
            low, high = cleaned.get(low_field), cleaned.get(high_field)
            if low is not None and high is not None and low > high:
                self.add_error(high_field, f"The highest {label} must not be below the lowest.")
        return cleaned


class CategoryFilter(admin.AllValuesFieldListFilter):
    """Guides without a category get a named link, not an empty one."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice["display"] = "(no category)"
            yield choice


@admin.register(Guide)
class GuideAdmin(GuideStagingMixin, admin.ModelAdmin):
    form = GuideForm
    list_display = [
        "__str__",
        "category",
        "status",
        "round_count",
        "last_reviewed",
        "updated_at",
    ]
    list_filter = ["status", ("category", CategoryFilter)]
    search_fields = ["company", "role", "category", "slug", "summary"]
    prepopulated_fields = {"slug": ["company", "role"]}
    ordering = ["company", "role"]
    save_on_top = True
    actions = [
        "send_for_review",
        "approve_and_publish",
        "return_to_draft",
        "publish",
        "unpublish",
        "mark_reviewed_today",
        "export_yaml",
    ]
    inlines = [
        EvaluationCriterionInline,
        RoundInline,
        RegionalVariantInline,
        StudyBlockInline,
    ]
    readonly_fields = ["created_at", "updated_at", "review_record"]
    fieldsets = [
        (None, {"fields": [("company", "role"), "slug", "category", "status", "summary"]}),
        (
            "At a glance",
            {
                "fields": [
                    "typical_duration_days",
                    ("experience_min_years", "experience_max_years"),
                    ("salary_currency", "salary_min", "salary_max"),
                    "total_interview_minutes",
                    "plan_weeks",
                ]
            },
        ),
        ("Preparation tips", {"fields": ["preparation_tips"]}),
        ("Review", {"fields": ["last_reviewed", "review_record", ("created_at", "updated_at")]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Guide]:
        return super().get_queryset(request).with_round_count()

    def get_readonly_fields(self, request: HttpRequest, obj: Guide | None = None):
        fields = list(super().get_readonly_fields(request, obj))
        # Status and "last reviewed" move through review (rounds/publishing.py): a recruiter
        # cannot publish by editing the field. Superusers may, for a team of one.
        if not request.user.is_superuser:
            fields += ["status", "last_reviewed"]
        return fields

    @admin.display(description="Reviews")
    def review_record(self, guide: Guide) -> str:
        """Who sent the guide for review, who decided and why; newest first."""
        if guide.pk is None:
            return "—"
        reviews = GuideReview.objects.filter(guide=guide).select_related(
            "requested_by", "decided_by"
        )[:10]
        if not reviews:
            return "Not sent for review yet."
        items = format_html_join(
            "",
            "<li>{}</li>",
            ((publishing.review_summary(review),) for review in reviews),
        )
        return format_html('<ul class="review-record">{}</ul>', items)

    def _review_step(self, request: HttpRequest, queryset: QuerySet[Guide], step, done: str):
        count = 0
        for guide in queryset:
            try:
                step(guide=guide, user=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{done} {counted(count, 'guide')}.", messages.SUCCESS)

    @admin.action(description="Send selected guides for review", permissions=["change"])
    def send_for_review(self, request: HttpRequest, queryset: QuerySet[Guide]) -> None:
        self._review_step(request, queryset, publishing.review_request, "Sent for review:")

    @admin.action(
        description="Approve and publish selected guides (reviewer)", permissions=["change"]
    )
    def approve_and_publish(self, request: HttpRequest, queryset: QuerySet[Guide]) -> None:
        self._review_step(request, queryset, publishing.review_approve, "Approved and published:")

    @admin.action(description="Return selected guides to draft (reviewer)", permissions=["change"])
    def return_to_draft(self, request: HttpRequest, queryset: QuerySet[Guide]) -> None:
        self._review_step(request, queryset, publishing.review_return, "Returned to draft:")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        # Publishing without a second person's review, and setting "last reviewed" by hand.
        return request.user.is_superuser

    def get_list_display(self, request: HttpRequest) -> list:
        if insight_views.may_view_insight(request.user):
            return [*self.list_display, "insight_link"]
        return self.list_display

    @admin.display(description="insight")
    def insight_link(self, guide: Guide) -> str:
        url = reverse("admin:rounds_guide_insight", args=[guide.pk])
        return format_html(
            '<a href="{}">Insight<span class="visually-hidden"> for {}</span></a>', url, guide
        )

    @admin.display(description="rounds", ordering="round_count")
    def round_count(self, guide: Guide) -> int:
        return guide.round_count

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "import/",
                view(lambda request: admin_views.import_view(request, self)),
                name="rounds_guide_import",
            ),
            path(
                "completeness/",
                view(lambda request: admin_views.completeness_view(request, self)),
                name="rounds_guide_completeness",
            ),
            path(
                "<path:object_id>/history/restore/",
                view(
                    lambda request, object_id: history_views.restore_view(request, self, object_id)
                ),
                name="rounds_guide_restore",
            ),
            path(
                "<path:object_id>/insight/",
                view(
                    lambda request, object_id: insight_views.insight_view(request, self, object_id)
                ),
                name="rounds_guide_insight",
            ),
            path(
                "<path:object_id>/export/",
                view(lambda request, object_id: admin_views.export_view(request, self, object_id)),
                name="rounds_guide_export",
            ),
            *super().get_urls(),
        ]

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        # Criteria and rounds left without a position go after the last one.
        save_formset_in_order(formset)
        # Then the tasks of each block and the questions of each round, once their parent is saved.
        if hasattr(formset, "save_nested"):
            formset.save_nested()

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_view_insight": insight_views.may_view_insight(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        # The admin's own History button leads here: the guide's content history, not LogEntry.
        return history_views.history_view(request, self, object_id)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perms(admin_views.IMPORT_PERMISSIONS),
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description="Publish selected guides without review", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Guide]) -> None:
        count = save_each(
            queryset.exclude(status=GuideStatus.PUBLISHED), status=GuideStatus.PUBLISHED
        )
        self.message_user(request, f"Published {counted(count, 'guide')}.", messages.SUCCESS)

    @admin.action(description="Unpublish selected guides (back to draft)", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Guide]) -> HttpResponse | None:
        live = queryset.exclude(status=GuideStatus.DRAFT)
        if not confirmed(request):
            following = dict(
                Enrolment.objects.filter(guide__in=live)
                .exclude(status=EnrolmentStatus.LEFT)
                .values_list("guide")
                .annotate(count=Count("pk"))
                .order_by()
            )
            return confirm_page(
                request,
                self,
                queryset,
                action="unpublish",
                title="Unpublish these guides?",
                consequence="They go back to draft at once, without review: candidates can no "
                "longer open them or their questions. Their plans, ticks and notes are kept and "
                "come back when a guide is published again, through review.",
                rows=[
                    (str(guide), f"{counted(following.get(guide.pk, 0), 'candidate')} following it")
                    for guide in live
                ],
                button="Yes, unpublish",
            )
        count = save_each(live, status=GuideStatus.DRAFT)
        self.message_user(request, f"Unpublished {counted(count, 'guide')}.", messages.SUCCESS)
        return None

    @admin.action(description="Mark selected guides reviewed today", permissions=["publish"])
    def mark_reviewed_today(self, request: HttpRequest, queryset: QuerySet[Guide]) -> None:
        today = timezone.localdate()
        count = save_each(queryset, last_reviewed=today)
        self.message_user(
            request,
            f"Marked {counted(count, 'guide')} reviewed on {today:%d %B %Y}.",
            messages.SUCCESS,
        )

    def delete_view(self, request: HttpRequest, object_id, extra_context=None):
        # Django said "your account doesn't have permission to delete … enrolment": the reason
        # is that candidates follow the guide, and what to do instead is unpublish it.
        guide = self.get_object(request, object_id) if object_id.isdigit() else None
        following = guide.enrolments.count() if guide is not None else 0
        if following:
            messages.error(
                request,
                f"{counted(following, 'candidate')} {'has' if following == 1 else 'have'} "
                f"enrolled in “{guide}”: deleting it would delete their plans, ticks and notes. "
                "Unpublish it instead (Guides → select it → “Unpublish selected guides”): "
                "candidates then cannot open it, and everything comes back if it is published "
                "again.",
            )
            return redirect("admin:rounds_guide_change", guide.pk)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description="Export selected guides as YAML", permissions=["view"])
    def export_yaml(self, request: HttpRequest, queryset: QuerySet[Guide]) -> HttpResponse:
        return admin_views.export_response(queryset)


class RoundQuestionInline(SortableInlineMixin, NextOrderMixin, admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "kind", "region", "status", "last_reviewed"]
    show_change_link = True
    verbose_name = "question asked"

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # As on the question's page: publishing a question goes through review.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["status", "last_reviewed"]
        return fields

    verbose_name_plural = "questions asked"


def _lists_through_rows(item, through) -> bool:
    """Whether an entry of Django's nested delete list is a row, or the rows, of `through`."""
    if isinstance(item, list):
        return bool(item) and all(_lists_through_rows(each, through) for each in item)
    return str(item).startswith(f"{capfirst(through.verbose_name)}:")


@admin.register(Round)
class RoundAdmin(StagedEditAdminMixin, NextOrderMixin, admin.ModelAdmin):
    """A round on its own page, with its questions inline."""

    list_display = ["__str__", "guide", "question_count", "updated_at"]
    list_filter = ["guide"]
    list_select_related = ["guide"]
    search_fields = ["title", "summary", "guide__company", "guide__role"]
    ordering = ["guide__company", "guide__role", "order"]
    prepopulated_fields = {"slug": ["title"]}
    # A plain select rather than the autocomplete box: see QuestionAdmin (axe, Nu checker).
    fieldsets = [
        (None, {"fields": ["guide", ("order", "title", "slug"), "summary", "description"]}),
        ("Lists (one item per line)", {"fields": [*LIST_FIELDS, "rejection_reasons"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Round]:
        return super().get_queryset(request).annotate(questions_total=Count("questions"))

    def get_inlines(self, request: HttpRequest, obj: Round | None) -> list:
        # A question needs the round's guide, which exists only once the round is saved.
        return [RoundQuestionInline] if obj is not None else []

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        for question in formset.save(commit=False):
            question.guide_id = form.instance.guide_id
            assign_next_order(question)
            question.save()
        for question in formset.deleted_objects:
            question.delete()
        formset.save_m2m()

    @admin.display(description="questions", ordering="questions_total")
    def question_count(self, rnd: Round) -> int:
        return rnd.questions_total

    def get_deleted_objects(self, objs, request: HttpRequest):
        """Django's list, without the study blocks' links to the round (listed as
        "StudyBlock_rounds object (1)"), and with what happens to its questions: they stay in
        the guide as guide-wide questions, which the page did not say."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        through = StudyBlock.rounds.through._meta
        counts.pop(through.verbose_name_plural, None)
        deleted = [item for item in deleted if not _lists_through_rows(item, through)]
        moved = Question.objects.filter(round__in=objs).count()
        if moved:
            counts["questions kept as guide-wide questions (no longer in a round)"] = moved
        return deleted, counts, perms_needed, protected


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "guide_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order", "name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        return super().get_queryset(request).annotate(guides_total=Count("variants"))

    @admin.display(description="guides", ordering="guides_total")
    def guide_count(self, region: Region) -> int:
        return region.guides_total
