import secrets

from django.db import migrations, models

import rounds.models

_LETTERS = "abcdefghjkmnpqrstuvwxyz"
_CHARS = _LETTERS + "23456789"


def _key() -> str:
    return secrets.choice(_LETTERS) + "".join(secrets.choice(_CHARS) for _ in range(7))


def give_every_question_a_key(apps, schema_editor):
    Question = apps.get_model("questions", "Question")
    rows = list(Question.objects.only("pk", "guide_id").order_by("pk"))
    used: set[tuple[int, str]] = set()
    for row in rows:
        key = _key()
        while (row.guide_id, key) in used:
            key = _key()
        used.add((row.guide_id, key))
        row.key = key
    Question.objects.bulk_update(rows, ["key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0002_question_is_published"),
        ("rounds", "0002_recruiters_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="key",
            field=models.CharField(
                default="",
                editable=False,
                help_text="Names the question in guide files; never changes.",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(give_every_question_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="question",
            name="key",
            field=models.CharField(
                default=rounds.models.content_key,
                editable=False,
                help_text="Names the question in guide files; never changes.",
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                fields=("guide", "key"), name="question_key_unique_in_guide"
            ),
        ),
    ]
