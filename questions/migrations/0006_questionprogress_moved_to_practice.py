"""QuestionProgress now belongs to the practice app (practice/0001): state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0005_merge_search_indexes_and_note_guide_titles"),
        ("practice", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="QuestionProgress")],
            database_operations=[],
        ),
    ]
