"""STAR drafts leave the practice rows: stories are now the one home of STAR text.

stories.0002 copied every non-empty draft into a story, but the drafts stayed editable until this
migration, so text written in between (or a deploy that ran 0002 long before this one) would be
lost by dropping the columns. So first copy again every non-empty draft that its author has no
story with identical text for, then drop the fields.

Undone, the fields come back and each story made from a draft (marked by `from_star_draft`)
gives its text back to that draft, so undoing stories.0002 too restores the drafts as they were.
"""

from django.db import migrations

STAR = ("situation", "task", "action", "result")
TITLE_MAX = 200


def _title(text: str) -> str:
    """The question's text, shortened to a story title; as in stories.0002."""
    text = " ".join(text.split()) or "A story from my practice notes"
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


def copy_drafts_not_yet_copied(apps, schema_editor):
    QuestionProgress = apps.get_model("practice", "QuestionProgress")
    Story = apps.get_model("stories", "Story")
    drafts = QuestionProgress.objects.exclude(
        star_situation="", star_task="", star_action="", star_result=""
    ).order_by("pk")
    for draft in drafts.iterator():
        text = {name: getattr(draft, f"star_{name}") for name in STAR}
        if not any(value.strip() for value in text.values()):
            continue
        # Identical text, whether stories.0002 copied it or the candidate retyped it: nothing
        # to save, and a second copy would only clutter the bank.
        if Story.objects.filter(user_id=draft.user_id, **text).exists():
            continue
        story = Story.objects.create(
            user_id=draft.user_id,
            title=_title(draft.question_text),
            from_star_draft_id=draft.pk,
            **text,
        )
        if draft.question_id is not None:
            story.questions.add(draft.question_id)
    if schema_editor.connection.vendor == "postgresql":
        # Check the new rows' deferred foreign keys now: PostgreSQL refuses to alter a table
        # with trigger events still pending in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def give_text_back_to_drafts(apps, schema_editor):
    QuestionProgress = apps.get_model("practice", "QuestionProgress")
    Story = apps.get_model("stories", "Story")
    stories = Story.objects.filter(from_star_draft__isnull=False).order_by("pk")
    for story in stories.iterator():
        QuestionProgress.objects.filter(pk=story.from_star_draft_id).update(
            **{f"star_{name}": getattr(story, name) for name in STAR}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0003_default_answer_frameworks"),
        # The first copy: this one only catches up on drafts written since.
        ("stories", "0002_stories_from_star_drafts"),
    ]

    operations = [
        migrations.RunPython(copy_drafts_not_yet_copied, give_text_back_to_drafts),
        migrations.RemoveField(model_name="questionprogress", name="star_situation"),
        migrations.RemoveField(model_name="questionprogress", name="star_task"),
        migrations.RemoveField(model_name="questionprogress", name="star_action"),
        migrations.RemoveField(model_name="questionprogress", name="star_result"),
    ]
