"""Indexes for the pages built from an empty cache at 100 guides (issue 11).

The trigram indexes let PostgreSQL answer the search's `UPPER(text) LIKE UPPER('%word%')`
(Django's icontains) from an index instead of reading every question. pg_trgm ships with
PostgreSQL and is a trusted extension (PostgreSQL 13+), so the database owner may create it.
SQLite has neither, and does without: its databases are small.
"""

from django.db import migrations, models

TRIGRAM_INDEXES = {
    "question_text_trgm": "text",
    "question_guidance_trgm": "guidance",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON questions_question '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("questions", "0002_question_is_published"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="question",
            index=models.Index(
                condition=models.Q(("is_published", True)),
                fields=["region", "guide"],
                name="question_published_region",
            ),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
