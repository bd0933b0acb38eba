"""Every non-empty STAR draft becomes a story of its author, linked to the draft's question.

The drafts themselves stay on the practice rows, untouched: nothing a candidate wrote is lost,
and undoing this migration deletes only the stories it made (marked by `from_star_draft`).
"""

from django.db import migrations

STAR = ("star_situation", "star_task", "star_action", "star_result")
TITLE_MAX = 200


def _title(text: str) -> str:
    """The question's text, shortened to a story title ("Tell me about …")."""
    text = " ".join(text.split()) or "A story from my practice notes"
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


def drafts_to_stories(apps, schema_editor):
    QuestionProgress = apps.get_model("practice", "QuestionProgress")
    Story = apps.get_model("stories", "Story")
    drafts = QuestionProgress.objects.exclude(
        star_situation="", star_task="", star_action="", star_result=""
    ).order_by("pk")
    for draft in drafts.iterator():
        if not any(getattr(draft, name).strip() for name in STAR):
            continue
        story = Story.objects.create(
            user_id=draft.user_id,
            title=_title(draft.question_text),
            situation=draft.star_situation,
            task=draft.star_task,
            action=draft.star_action,
            result=draft.star_result,
            from_star_draft_id=draft.pk,
        )
        if draft.question_id is not None:
            story.questions.add(draft.question_id)


def remove_migrated_stories(apps, schema_editor):
    Story = apps.get_model("stories", "Story")
    Story.objects.filter(from_star_draft__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_story_bank"),
        ("practice", "0003_default_answer_frameworks"),
    ]

    operations = [
        migrations.RunPython(drafts_to_stories, remove_migrated_stories),
    ]
