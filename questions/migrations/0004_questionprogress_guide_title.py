from django.db import migrations, models


def copy_guide_titles(apps, schema_editor):
    Guide = apps.get_model("rounds", "Guide")
    QuestionProgress = apps.get_model("questions", "QuestionProgress")
    for guide in Guide.objects.filter(pk__in=QuestionProgress.objects.values("guide_id")):
        QuestionProgress.objects.filter(guide=guide).update(
            guide_title=f"{guide.role} at {guide.company}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0003_question_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="questionprogress",
            name="guide_title",
            field=models.CharField(
                blank=True, help_text="The guide's title when last practised.", max_length=300
            ),
        ),
        migrations.RunPython(copy_guide_titles, migrations.RunPython.noop),
    ]
