"""A guide's regional difference can name a region that does not exist yet: typed in, created
on save, so a new region needs no trip to the Regions page (the "+" pop-up still works too)."""

from django import forms
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.utils.text import slugify

from .models import Region, RegionalVariant


class RegionalVariantForm(forms.ModelForm):
    new_region = forms.CharField(
        label="or a new region",
        max_length=80,
        required=False,
        help_text="Type a region's name to create it as you save, e.g. “Latin America”.",
    )

    class Meta:
        model = RegionalVariant
        fields = ["region", "new_region", "interview_focus", "tips"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        region, name = cleaned.get("region"), (cleaned.get("new_region") or "").strip()
        if region and name:
            self.add_error("new_region", "Pick a region or type a new one, not both.")
        elif not region and not name:
            if "region" not in self.errors:
                self.add_error("region", "Pick a region, or type the name of a new one.")
        elif name:
            # A name that exists (in any case) is that region, not a second one.
            existing = Region.objects.filter(name__iexact=name).first()
            if existing is not None:
                cleaned["region"] = existing
            elif Region.objects.filter(slug=slugify(name)[:80]).exists():
                self.add_error("new_region", f"A region's address is already “{slugify(name)}”.")
        return cleaned

    def save(self, commit: bool = True) -> RegionalVariant:
        name = (self.cleaned_data.get("new_region") or "").strip()
        if self.instance.region_id is None and name:
            last = Region.objects.aggregate(last=Max("order"))["last"] or 0
            self.instance.region = Region.objects.create(name=name, order=last + 1)
        return super().save(commit=commit)


class RegionalVariantFormSet(BaseInlineFormSet):
    """Every row's region menu from one query, not one per row."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        field = form.fields.get("region")
        if field is None:
            return
        if not hasattr(self, "_region_choices"):
            self._region_choices = [("", "---------"), *((r.pk, r.name) for r in field.queryset)]
        field.choices = self._region_choices
        # The admin wraps the menu (for its "+" button); the wrapped widget renders the options.
        inner = getattr(field.widget, "widget", None)
        if inner is not None:
            inner.choices = self._region_choices
