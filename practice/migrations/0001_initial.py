"""Candidates' practice moves from the questions app to its own (issue 12).

Only Django's state moves: the table keeps its name (`db_table`), so every row, id, sequence,
index and constraint stays as it is, and no data is copied. questions/0006 removes the model from
the questions app's state in the same release. The content type moves too, so admin history and
any permission given on "question progress" follow the model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="questions", target="practice"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    if types.filter(app_label=target, model="questionprogress").exists():
        return
    types.filter(app_label=source, model="questionprogress").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="practice", target="questions")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("questions", "0005_merge_search_indexes_and_note_guide_titles"),
        ("rounds", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="QuestionProgress",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "question_text",
                            models.TextField(help_text="The question's text when last practised."),
                        ),
                        (
                            "guide_title",
                            models.CharField(
                                blank=True,
                                help_text="The guide's title when last practised.",
                                max_length=300,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("new", "New"),
                                    ("practised", "Practised"),
                                    ("confident", "Confident"),
                                ],
                                default="new",
                                max_length=10,
                            ),
                        ),
                        ("last_practised_at", models.DateTimeField(blank=True, null=True)),
                        ("answer_draft", models.TextField(blank=True, max_length=10000)),
                        (
                            "star_situation",
                            models.TextField(
                                blank=True, max_length=10000, verbose_name="situation"
                            ),
                        ),
                        (
                            "star_task",
                            models.TextField(blank=True, max_length=10000, verbose_name="task"),
                        ),
                        (
                            "star_action",
                            models.TextField(blank=True, max_length=10000, verbose_name="action"),
                        ),
                        (
                            "star_result",
                            models.TextField(blank=True, max_length=10000, verbose_name="result"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "guide",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="rounds.guide",
                            ),
                        ),
                        (
                            "question",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="progress",
                                to="questions.question",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="question_progress",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "question progress",
                        "db_table": "questions_questionprogress",
                        "ordering": ["-updated_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "question"),
                                name="question_progress_unique_per_user",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
