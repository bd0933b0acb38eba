"""The Recruiters group: staff who edit interview content and nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Recruiters"
CONTENT_MODELS = {
    "rounds": ["guide", "evaluationcriterion", "round", "region", "regionalvariant"],
    "questions": ["question", "tag"],
    "studyplan": ["studyblock", "studytask"],
}
VIEW_ONLY_MODELS = {"studyplan": ["reminderdelivery"]}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them now so
    # the group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for app_label, models in CONTENT_MODELS.items():
        for model in models:
            for action in ("add", "change", "delete", "view"):
                wanted.append((app_label, f"{action}_{model}"))
    for app_label, models in VIEW_ONLY_MODELS.items():
        wanted += [(app_label, f"view_{model}") for model in models]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in wanted
    ]
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0001_initial"),
        ("questions", "0002_question_is_published"),
        ("studyplan", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
