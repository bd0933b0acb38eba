import secrets

from django.db import migrations, models

import rounds.models

_LETTERS = "abcdefghjkmnpqrstuvwxyz"
_CHARS = _LETTERS + "23456789"


def _key() -> str:
    return secrets.choice(_LETTERS) + "".join(secrets.choice(_CHARS) for _ in range(7))


def give_every_task_a_key(apps, schema_editor):
    StudyTask = apps.get_model("studyplan", "StudyTask")
    rows = list(StudyTask.objects.select_related("block").only("pk", "block__guide_id"))
    # Unique in the whole guide, not just the block, so a task can move between blocks.
    used: set[tuple[int, str]] = set()
    for row in rows:
        key = _key()
        while (row.block.guide_id, key) in used:
            key = _key()
        used.add((row.block.guide_id, key))
        row.key = key
    StudyTask.objects.bulk_update(rows, ["key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("studyplan", "0001_initial"),
        ("rounds", "0002_recruiters_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="studytask",
            name="key",
            field=models.CharField(
                default="",
                editable=False,
                help_text="Names the task in guide files; never changes.",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(give_every_task_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="studytask",
            name="key",
            field=models.CharField(
                default=rounds.models.content_key,
                editable=False,
                help_text="Names the task in guide files; never changes.",
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="studytask",
            constraint=models.UniqueConstraint(
                fields=("block", "key"), name="task_key_unique_in_block"
            ),
        ),
    ]
