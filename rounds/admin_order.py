"""Order fields in the admin default to "next": left empty, an item goes after its siblings."""

from django.db import models
from django.db.models import Max

# The fields naming an item's siblings, per model label.
SIBLINGS = {
    "rounds.evaluationcriterion": ["guide_id"],
    "rounds.round": ["guide_id"],
    "questions.question": ["guide_id", "round_id", "region_id"],
    "studyplan.studytask": ["block_id"],
}
HELP = " Leave empty to put it after the last one."


def assign_next_order(obj: models.Model) -> None:
    """Give `obj` the position after its siblings' last, when it has none."""
    fields = SIBLINGS.get(obj._meta.label_lower)
    if fields is None or getattr(obj, "order", 0) is not None:
        return
    siblings = type(obj)._default_manager.filter(**{f: getattr(obj, f) for f in fields})
    obj.order = (siblings.exclude(pk=obj.pk).aggregate(last=Max("order"))["last"] or 0) + 1


class NextOrderMixin:
    """For ModelAdmin and inlines: the order field may be left empty (assigned on save)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "order" and db_field.model._meta.label_lower in SIBLINGS:
            field.required = False
            field.help_text = (field.help_text or "") + HELP
            # Inline rows carry no initial value, so an untouched extra row stays untouched.
            field.initial = None
            field.widget.attrs.setdefault("placeholder", "next")
        return field

    def save_model(self, request, obj, form, change) -> None:
        assign_next_order(obj)
        super().save_model(request, obj, form, change)


def save_formset_in_order(formset) -> None:
    """formset.save(), giving rows without a position the next one, in the order shown."""
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    for obj in instances:
        assign_next_order(obj)
        obj.save()
    formset.save_m2m()


class SortableInlineMixin:
    """For inlines with an order field: rows can be dragged into place (SortableJS, vendored).

    The script only rewrites the order fields before the form is saved, so saving, validation
    and the "next" default stay the server's, and the fields still work without JavaScript.
    """

    class Media:
        js = ["vendor/sortablejs-1.15.7/Sortable.min.js", "js/admin-sortable-inlines.js"]
