"""Indexes for the API's question list filtered by a tag across every guide (issue 11).

A tag of 1,500 questions over 100 guides: counting its published questions and ordering them by
guide, round and region looked up each question's row (7–8 ms). With the tag's question ids in
one index and each published question's sort keys in another, PostgreSQL answers both from
indexes alone; the API then loads only the page's rows (questions.api.QuestionList).

INCLUDE (a covering index) is PostgreSQL's; SQLite gets the tag index only, and its databases
are small.
"""

from django.db import migrations

TAG_INDEX = "question_tags_by_tag"
SORT_INDEX = "question_published_sort_keys"


def create(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TAG_INDEX} ON questions_question_tags (tag_id, question_id)"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SORT_INDEX} ON questions_question (id) "
            'INCLUDE (guide_id, round_id, region_id, "order") WHERE is_published'
        )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {TAG_INDEX}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SORT_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0008_question_review_workflow"),
    ]

    operations = [migrations.RunPython(create, drop)]
