"""Admin for the question bank and its tags."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import urlencode

from practice.models import QuestionProgress
from prep.admin_actions import confirm_page, confirmed, counted, save_each
from rounds.admin_order import NextOrderMixin
from rounds.models import Region, Round
from rounds.staging_admin import StagedEditAdminMixin

from .models import Question, QuestionStatus, Tag
from .publishing import question_review_approve, question_review_request, question_review_return


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        # Checkboxes: a multiple select needs Ctrl/Cmd-click, which Django's help then explains
        # in words that mean nothing on a phone. The box scrolls when there are many tags.
        widgets = {"tags": forms.CheckboxSelectMultiple(attrs={"class": "tag-choices"})}
        fields = [
            "guide",
            "round",
            "region",
            "kind",
            "text",
            "slug",
            "order",
            "guidance",
            "tags",
            "status",
            "last_reviewed",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Posted forms keep every choice, so clean() can say what is wrong with a round or
        # region of another guide instead of a bare "not one of the available choices".
        guide_id = None if self.is_bound else self._guide_id()
        if "round" in self.fields:
            field = self.fields["round"]
            if guide_id is not None:
                # Only this guide's rounds.
                field.queryset = Round.objects.filter(guide_id=guide_id).order_by("order")
            else:
                field.queryset = Round.objects.select_related("guide").order_by(
                    "guide__company", "guide__role", "order"
                )
                # Round titles repeat across guides ("HR Screening"); name the guide too.
                field.label_from_instance = lambda rnd: f"{rnd.guide} — {rnd}"
        if "region" in self.fields and guide_id is not None:
            # The guide's regions (its regional differences), and the one already set.
            regions = Region.objects.filter(
                Q(variants__guide_id=guide_id) | Q(pk=self.instance.region_id or 0)
            ).distinct()
            self.fields["region"].queryset = regions.order_by("order", "name")

    def _guide_id(self) -> int | None:
        """The guide being edited: the question's, else ?guide= in the address (which "Save
        and add another" keeps)."""
        value = None
        if self.instance.guide_id:
            value = self.instance.guide_id
        else:
            value = self.initial.get("guide")
        value = getattr(value, "pk", value)
        text = str(value or "")
        return int(text) if text.isascii() and text.isdigit() else None

    def clean(self) -> dict:
        cleaned = super().clean()
        guide, rnd = cleaned.get("guide"), cleaned.get("round")
        if guide and rnd and rnd.guide_id != guide.pk:
            self.add_error(
                "round",
                f"“{rnd.title}” is a round of {rnd.guide}, not of {guide}. "
                "Pick one of this guide's rounds, or none.",
            )
        region = cleaned.get("region")
        if (
            guide
            and region
            and region.pk != self.instance.region_id
            and not region.variants.filter(guide=guide).exists()
        ):
            self.add_error(
                "region",
                f"{guide} has no regional difference for {region}. Add one on the guide's page "
                "first, or leave the region empty.",
            )
        return cleaned


@admin.register(Question)
class QuestionAdmin(StagedEditAdminMixin, NextOrderMixin, admin.ModelAdmin):
    form = QuestionForm
    list_display = [
        "__str__",
        "guide",
        "round",
        "region",
        "kind",
        "status",
        "last_reviewed",
    ]
    list_filter = [
        ("guide", admin.RelatedOnlyFieldListFilter),
        ("round", admin.RelatedOnlyFieldListFilter),
        "region",
        "kind",
        ("tags", admin.RelatedOnlyFieldListFilter),
        "status",
    ]
    list_select_related = ["guide", "round", "region"]
    search_fields = ["text", "guidance", "tags__name"]
    ordering = ["guide__company", "guide__role", "round__order", "region__order", "order", "id"]
    # Plain selects, not Django's autocomplete (select2) or two-box filter widgets: axe found
    # the select2 box without an accessible name and the filter widget's icon with a prohibited
    # aria-label, and the Nu checker their markup invalid. A guide list is short enough for a
    # select; tags are checkboxes (QuestionForm).
    prepopulated_fields = {"slug": ["text"]}
    readonly_fields = ["created_at", "updated_at"]
    actions = [
        "send_for_review",
        "approve_and_publish",
        "return_to_draft",
        "publish",
        "unpublish",
        "mark_reviewed_today",
    ]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["guide", ("round", "region"), "kind", "text", "slug", "order"]}),
        ("Guidance and tags", {"fields": ["guidance", "tags"]}),
        ("Publishing", {"fields": ["status", "last_reviewed", ("created_at", "updated_at")]}),
    ]

    class Media:
        # Picking another guide refreshes the Round and Region menus to that guide's; without
        # JavaScript the form's validation says which round or region does not belong.
        js = ["js/admin-question-scope.js"]

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "guide-choices/",
                self.admin_site.admin_view(self.guide_choices_view),
                name="questions_question_guide_choices",
            ),
            *super().get_urls(),
        ]

    def guide_choices_view(self, request: HttpRequest) -> JsonResponse:
        """The rounds and regions a question of ?guide= may name, for the form's menus."""
        if not self.has_view_or_change_permission(request):
            return JsonResponse({"error": "forbidden"}, status=403)
        form = QuestionForm(initial={"guide": request.GET.get("guide")})
        choices = {}
        for name in ("round", "region"):
            field = form.fields[name]
            choices[name] = [[obj.pk, field.label_from_instance(obj)] for obj in field.queryset]
        return JsonResponse(choices)

    def get_readonly_fields(self, request: HttpRequest, obj: Question | None = None):
        fields = list(super().get_readonly_fields(request, obj))
        # A question is published through review (questions/publishing.py); superusers may
        # set it by hand, for a team of one.
        if not request.user.is_superuser:
            fields += ["status", "last_reviewed"]
        return fields

    def has_publish_permission(self, request: HttpRequest) -> bool:
        # Publishing without a second person's review, and setting "last reviewed" by hand.
        return request.user.is_superuser

    def _review_step(self, request: HttpRequest, queryset: QuerySet[Question], step, done: str):
        count = 0
        for question in queryset.select_related("guide"):
            try:
                step(question=question, user=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{done} {counted(count, 'question')}.", messages.SUCCESS)

    @admin.action(description="Send selected questions for review", permissions=["change"])
    def send_for_review(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self._review_step(request, queryset, question_review_request, "Sent for review:")

    @admin.action(
        description="Approve and publish selected questions (reviewer)", permissions=["change"]
    )
    def approve_and_publish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self._review_step(request, queryset, question_review_approve, "Approved and published:")

    @admin.action(
        description="Return selected questions to draft (reviewer)", permissions=["change"]
    )
    def return_to_draft(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self._review_step(request, queryset, question_review_return, "Returned to draft:")

    def response_add(self, request: HttpRequest, obj: Question, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST and IS_POPUP_VAR not in request.POST:
            # The next question starts in the same guide and round.
            keep = {"guide": obj.guide_id, **({"round": obj.round_id} if obj.round_id else {})}
            location = response["Location"]
            response["Location"] = location + ("&" if "?" in location else "?") + urlencode(keep)
        return response

    @admin.action(description="Publish selected questions without review", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = save_each(
            queryset.exclude(status=QuestionStatus.PUBLISHED), status=QuestionStatus.PUBLISHED
        )
        self.message_user(request, f"Published {counted(count, 'question')}.", messages.SUCCESS)

    @admin.action(description="Unpublish selected questions", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Question]) -> HttpResponse | None:
        # Hiding a question needs no review; it goes back to draft, once confirmed.
        live = queryset.exclude(status=QuestionStatus.DRAFT)
        if not confirmed(request):
            practised = dict(
                QuestionProgress.objects.filter(question__in=live)
                .values_list("question")
                .annotate(count=Count("user", distinct=True))
                .order_by()
            )
            return confirm_page(
                request,
                self,
                queryset,
                action="unpublish",
                title="Unpublish these questions?",
                consequence="They go back to draft at once: candidates no longer see them in "
                "lists, mocks or reviews. Their notes stay in My notes and the questions come "
                "back with them when published again.",
                rows=[
                    (
                        str(question),
                        f"{counted(practised.get(question.pk, 0), 'candidate')} with notes on it",
                    )
                    for question in live.select_related("guide")
                ],
                button="Yes, unpublish",
            )
        count = save_each(live, status=QuestionStatus.DRAFT)
        self.message_user(request, f"Unpublished {counted(count, 'question')}.", messages.SUCCESS)
        return None

    @admin.action(description="Mark selected questions reviewed today", permissions=["publish"])
    def mark_reviewed_today(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        today = timezone.localdate()
        count = save_each(queryset, last_reviewed=today)
        self.message_user(
            request,
            f"Marked {counted(count, 'question')} reviewed on {today:%d %B %Y}.",
            messages.SUCCESS,
        )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "question_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tag]:
        return super().get_queryset(request).annotate(questions_total=Count("questions"))

    @admin.display(description="questions", ordering="questions_total")
    def question_count(self, tag: Tag) -> int:
        return tag.questions_total
