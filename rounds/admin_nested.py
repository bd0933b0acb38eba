"""Rows inside an inline row on the guide page: a study block's tasks, a round's questions.

Django's admin nests no inlines. Rather than replace its inline machinery with a package
(django-nested-admin declares Django up to 4.1 and brings its own inline templates and
scripts, which would bypass our accessible tabular template and SortableJS ordering), each
parent form carries one child formset: Django's own inline formset, prefixed by its parent
row ("study_blocks-0-tasks-…"), validated with the parent and saved right after it. It works
without JavaScript (blank rows are offered); with it, "Add another" adds rows and rows can
be dragged (static/js/admin-nested-rows.js).
"""

from django import forms
from django.db.models import Prefetch, Q, QuerySet
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.text import slugify

from questions.models import Question
from studyplan.models import StudyBlock, StudyTask

from .admin_order import HELP, save_formset_in_order
from .models import Region, Round

NESTED_MEDIA = forms.Media(
    js=["vendor/sortablejs-1.15.7/Sortable.min.js", "js/admin-nested-rows.js"],
    css={"all": ["css/admin-nested-rows.css"]},
)


def _order_optional(db_field, **kwargs):
    """Form fields of child rows; the order may be left empty, as on the admin's own inlines."""
    field = db_field.formfield(**kwargs)
    if db_field.name == "order":
        field.required = False
        field.initial = None
        field.help_text = (field.help_text or "") + HELP
        field.widget.attrs.update(placeholder="next", min="1")
    return field


class ChildRowsFormSet(BaseInlineFormSet):
    """The rows of one parent row. Blank rows: `extra_new` under a new parent, else `extra`."""

    extra_new = 3
    label = ""
    add_label = ""
    change_url_name = ""

    def __init__(self, *args, parent_formset=None, **kwargs) -> None:
        self.parent_formset = parent_formset
        instance = kwargs.get("instance")
        if instance is not None and instance.pk is None:
            self.extra = self.extra_new
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        # The parent inline prefetches every parent's rows in one query; use them.
        if not hasattr(self, "_queryset"):
            accessor = self.fk.remote_field.get_accessor_name()
            cache = getattr(self.instance, "_prefetched_objects_cache", {})
            if self.instance.pk is not None and accessor in cache:
                self._queryset = list(cache[accessor])
            else:
                self._queryset = super().get_queryset()
        return self._queryset

    def save_rows(self) -> None:
        save_formset_in_order(self)


class TaskRowsFormSet(ChildRowsFormSet):
    label = "Checklist (tasks candidates tick off)"
    add_label = "Add another task"


class QuestionRowsFormSet(ChildRowsFormSet):
    extra_new = 2
    label = "Questions asked in this round"
    add_label = "Add another question"
    change_url_name = "admin:questions_question_change"

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        field = form.fields.get("region")
        if field is not None and self.parent_formset is not None:
            # One query for the whole page, not one per row.
            field.queryset, field.choices = self.parent_formset.region_choices()
        published = form.fields.get("is_published")
        if (
            published is not None
            and form.instance.pk is not None
            and getattr(self.parent_formset, "publish_locked", False)
        ):
            published.disabled = True
            published.help_text = "Publish or hide it from the question list (through review)."
            published.widget.attrs["title"] = published.help_text

    def save_new(self, form, commit=True):
        form.instance.guide_id = self.instance.guide_id
        return super().save_new(form, commit=commit)

    def new_slugs(self) -> list[tuple[str, str]]:
        """(slug, text) of the questions this formset adds, as Question.save() will name them."""
        found = []
        for form in self.extra_forms:
            data = getattr(form, "cleaned_data", None)
            if form.has_changed() and data and data.get("text") and not data.get("DELETE"):
                found.append((slugify(data["text"])[:120].rstrip("-"), data["text"]))
        return found


TaskRows = inlineformset_factory(
    StudyBlock,
    StudyTask,
    formset=TaskRowsFormSet,
    fields=["order", "text"],
    widgets={"text": forms.Textarea(attrs={"rows": 2})},
    formfield_callback=_order_optional,
    extra=1,
    can_delete_extra=False,
)

QuestionRows = inlineformset_factory(
    Round,
    Question,
    formset=QuestionRowsFormSet,
    fields=["order", "text", "kind", "region", "is_published"],
    widgets={"text": forms.Textarea(attrs={"rows": 2})},
    formfield_callback=_order_optional,
    extra=1,
    can_delete_extra=False,
)


class ParentForm(forms.ModelForm):
    """A parent row: a new one with only child rows typed in still counts as filled in."""

    nested: ChildRowsFormSet | None = None

    def has_changed(self) -> bool:
        if super().has_changed():
            return True
        nested = self.nested
        # Only for new parents: an unchanged saved block is not saved again (or re-recorded
        # in its history) because a task of it changed.
        return self.instance.pk is None and bool(
            nested and nested.is_bound and nested.has_changed()
        )


class ParentFormSet(BaseInlineFormSet):
    """An inline formset whose rows each carry a child formset `nested_rows`."""

    nested_rows: type[ChildRowsFormSet]
    nested_name = ""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        prefix = f"{form.prefix}-{self.nested_name}"
        # Posts without the child rows' management form (older forms, scripts) leave the
        # children alone rather than failing.
        bound = self.is_bound and f"{prefix}-TOTAL_FORMS" in self.data
        form.nested = self.nested_rows(
            data=self.data if bound else None,
            instance=form.instance,
            prefix=prefix,
            parent_formset=self,
        )

    def _nested_in_use(self):
        for form in self.forms:
            nested = getattr(form, "nested", None)
            if nested is not None and nested.is_bound and not self._should_delete_form(form):
                yield form, nested

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if getattr(self, "_nested_checked", None) is not None:
            return valid and self._nested_checked
        nested_valid = True
        for form, nested in self._nested_in_use():
            if not nested.is_valid():
                nested_valid = False
                # On the parent too, so the page's "Please correct the errors" shows.
                form.add_error(None, f"Check the rows of “{nested.label}” below.")
        nested_valid = self.clean_nested() and nested_valid
        self._nested_checked = nested_valid
        return valid and nested_valid

    def clean_nested(self) -> bool:
        """Rules across the child rows of every parent; add errors and return False."""
        return True

    def save_nested(self) -> None:
        for form, nested in self._nested_in_use():
            if form.instance.pk is not None:
                nested.instance = form.instance
                nested.save_rows()


class StudyBlockParentFormSet(ParentFormSet):
    nested_rows = TaskRows
    nested_name = "tasks"


class RoundParentFormSet(ParentFormSet):
    nested_rows = QuestionRows
    nested_name = "questions"

    def validate_unique(self) -> None:
        # Django reports a slug given twice above the rounds ("Please correct the duplicate
        # data for slug") and leaves the field unmarked: say it on the field of each round.
        seen: dict[str, int] = {}
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            slug = form.cleaned_data.get("slug")
            if not slug:
                continue
            if slug in seen:
                form.add_error("slug", f"Round {seen[slug]} already has the slug “{slug}”.")
            else:
                seen[slug] = form.cleaned_data.get("order") or len(seen) + 1
        super().validate_unique()

    def region_choices(self) -> tuple[QuerySet[Region], list]:
        """The guide's regions (its regional differences, and any its questions name)."""
        if not hasattr(self, "_region_choices"):
            guide = self.instance
            regions = Region.objects.none()
            if guide.pk is not None:
                regions = (
                    Region.objects.filter(Q(variants__guide=guide) | Q(questions__guide=guide))
                    .distinct()
                    .order_by("order", "name")
                )
            self._region_choices = (
                regions,
                [("", "---------"), *((r.pk, r.name) for r in regions)],
            )
        return self._region_choices

    def clean_nested(self) -> bool:
        # Question.save() names a new question after its text; two with one name in a guide
        # would fail on the database's unique constraint, so say which one instead.
        guide = self.instance
        taken = set()
        if guide.pk is not None:
            taken = set(Question.objects.filter(guide=guide).values_list("slug", flat=True))
        ok = True
        for form, nested in self._nested_in_use():
            for slug, text in nested.new_slugs():
                if slug in taken:
                    form.add_error(
                        None, f"The guide already has the question “{text}”; reword the new one."
                    )
                    ok = False
                taken.add(slug)
        return ok


class NestedRowsMixin:
    """For a stacked inline whose formset is a ParentFormSet: shows each row's child rows."""

    form = ParentForm
    template = "admin/edit_inline/stacked_nested.html"
    # The child rows of every parent row, fetched in one query: a function returning a Prefetch.
    nested_prefetch: staticmethod

    @property
    def media(self) -> forms.Media:
        return super().media + NESTED_MEDIA

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(self.nested_prefetch())


def prefetch_tasks() -> Prefetch:
    return Prefetch("tasks", queryset=StudyTask.objects.order_by("order", "id"))


def prefetch_questions() -> Prefetch:
    return Prefetch("questions", queryset=Question.objects.order_by("order", "id"))
