"""Bulk admin actions that change content rows one by one."""

from typing import Any

from django.db import models, transaction
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
