"""The Recruiters group: staff who edit interview content and nothing else.

The group and its permissions are declared here and made true after every `migrate` (and every
`flush`, which tests and operators run): a data migration alone would leave a database that
was flushed, or restored from a dump without auth tables, with recruiters who can open the admin
and edit nothing. Permissions are only ever added, never removed, so an operator who gave the
group more by hand keeps it.
"""

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS

GROUP = "Recruiters"
ACTIONS = ("add", "change", "delete", "view")
CONTENT_MODELS: dict[str, tuple[str, ...]] = {
    "rounds": ("guide", "evaluationcriterion", "round", "region", "regionalvariant"),
    "questions": ("question", "tag"),
    "studyplan": ("studyblock", "studytask"),
    "practice": ("answerframework",),
}
VIEW_ONLY_MODELS: dict[str, tuple[str, ...]] = {"reminders": ("reminderdelivery",)}


def recruiter_permission_names() -> set[tuple[str, str]]:
    """(app label, codename) of every permission the group holds."""
    names = {
        (app_label, f"{action}_{model}")
        for app_label, models in CONTENT_MODELS.items()
        for model in models
        for action in ACTIONS
    }
    names |= {
        (app_label, f"view_{model}")
        for app_label, models in VIEW_ONLY_MODELS.items()
        for model in models
    }
    return names


def ensure_recruiters_group(using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the group if it is missing and give it every permission it lacks."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    wanted = Q(pk__in=[])
    for app_label, codename in recruiter_permission_names():
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.using(using).filter(wanted))


def after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    # post_migrate is sent once per app, and auth creates each app's permissions on that app's
    # signal: running on every one (two cheap queries) means the last leaves the group whole,
    # whatever the order of INSTALLED_APPS.
    from django.db import connections

    if "auth_group_permissions" not in connections[using].introspection.table_names():
        return  # migrated backwards past auth: nothing to give permissions to
    ensure_recruiters_group(using=using)
