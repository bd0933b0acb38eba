"""A first history row for content written before history was recorded.

Without it, restoring a guide to a time after this migration would find no version of the rows
nobody has edited since, and remove them.
"""

from django.db import migrations
from django.utils import timezone

MODELS = [
    ("rounds", "Guide"),
    ("rounds", "EvaluationCriterion"),
    ("rounds", "Round"),
    ("rounds", "Region"),
    ("rounds", "RegionalVariant"),
    ("questions", "Tag"),
    ("questions", "Question"),
    ("studyplan", "StudyBlock"),
    ("studyplan", "StudyTask"),
]
REASON = "history started"


def record_existing(apps, schema_editor):
    now = timezone.now()
    for app_label, name in MODELS:
        model = apps.get_model(app_label, name)
        historical = apps.get_model(app_label, f"Historical{name}")
        names = [f.attname for f in model._meta.concrete_fields]
        recorded = set(historical.objects.values_list("id", flat=True).distinct())
        rows = [
            historical(
                **{attname: getattr(obj, attname) for attname in names},
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for obj in model.objects.exclude(pk__in=recorded).iterator()
        ]
        created = historical.objects.bulk_create(rows, batch_size=500)
        if name == "Question":
            through = model.tags.through
            m2m = apps.get_model("questions", "HistoricalQuestion_tags")
            by_question = {row.id: row for row in created}
            m2m.objects.bulk_create(
                [
                    m2m(
                        id=pk,
                        history=by_question[question_id],
                        question_id=question_id,
                        tag_id=tag_id,
                    )
                    for pk, question_id, tag_id in through.objects.filter(
                        question_id__in=by_question
                    ).values_list("pk", "question_id", "tag_id")
                ],
                batch_size=500,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0003_content_history"),
        ("questions", "0006_content_history"),
        ("studyplan", "0004_content_history"),
    ]

    operations = [migrations.RunPython(record_existing, migrations.RunPython.noop)]
