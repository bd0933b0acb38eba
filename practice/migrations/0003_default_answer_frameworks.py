"""Prep's default answer frameworks, one per question kind; recruiters edit them in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEFAULTS = {
    "behavioural": (
        "STAR",
        "Situation: where and when it happened, and who was involved, in two sentences.\n"
        "Task: what you were responsible for, and what was at stake.\n"
        "Action: what you did yourself (say “I”, not “we”), and why you chose it.\n"
        "Result: the outcome, in numbers where you can, and what you learned.",
    ),
    "leadership": (
        "STAR, with the team in view",
        "Situation: the team, its size and the pressure it was under.\n"
        "Task: what you were accountable for as its leader.\n"
        "Action: the decisions you made, how you brought people along, what you delegated.\n"
        "Result: the outcome for the business and for the team, and what you would repeat.",
    ),
    "people": (
        "STAR, for one person",
        "Situation: the person, their role and what you noticed.\n"
        "Task: what you needed to change, and by when.\n"
        "Action: the conversations, the support and the follow-up you gave.\n"
        "Result: where the person and the team ended up, and what you do differently now.",
    ),
    "system_design": (
        "Design in seven steps",
        "Requirements: the users, the functions, and the limits (latency, availability).\n"
        "Estimates: requests per second, data size and growth, back of the envelope.\n"
        "Interfaces: the main API calls and what they return.\n"
        "Data: the entities, how they are stored and which queries must be fast.\n"
        "Architecture: the components and how a request flows through them.\n"
        "Scaling: the bottleneck first, then caching, partitioning and replication.\n"
        "Trade-offs: what you chose not to do, and when you would revisit it.",
    ),
    "technical": (
        "Explain, then go deep",
        "Clarify: restate the question and the context it applies to.\n"
        "Explain: the concept in plain words, then precisely.\n"
        "Example: one case from your own work.\n"
        "Trade-offs: when it is the wrong choice, and what you would use instead.",
    ),
    "strategy": (
        "Diagnose, choose, act",
        "Context: the market, the customers and the constraints, briefly.\n"
        "Diagnosis: the one problem that matters most, and the evidence for it.\n"
        "Options: two or three ways forward and what each costs.\n"
        "Choice: the option you recommend and why.\n"
        "Plan: the first steps, who does them, and how you measure progress.",
    ),
    "motivation": (
        "Past, present, future",
        "Past: what you have done that leads here.\n"
        "Present: what draws you to this company and this role, specifically.\n"
        "Future: what you want to achieve in the role, and what you will bring.",
    ),
    "coding": (
        "Solve out loud",
        "Understand: restate the problem, ask about inputs, limits and edge cases.\n"
        "Examples: work one small example and one edge case by hand.\n"
        "Approach: the simple solution first, with its time and space cost.\n"
        "Improve: a better approach, if there is one, before you write code.\n"
        "Code: clear names, one step at a time, saying what you do.\n"
        "Test: run your examples through the code and fix what breaks.",
    ),
}


def create_defaults(apps, schema_editor):
    AnswerFramework = apps.get_model("practice", "AnswerFramework")
    for kind, (title, steps) in DEFAULTS.items():
        # A framework a recruiter already wrote for this kind is kept.
        AnswerFramework.objects.get_or_create(kind=kind, defaults={"title": title, "steps": steps})


def let_recruiters_edit(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them now so
    # the Recruiters group (rounds/0002) can be given them on a fresh database.
    app_config = apps.get_app_config("practice")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Recruiters").first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="practice",
            codename__in=[
                f"{action}_answerframework" for action in ("add", "change", "delete", "view")
            ],
        )
    )


def remove_untouched_defaults(apps, schema_editor):
    AnswerFramework = apps.get_model("practice", "AnswerFramework")
    for kind, (title, steps) in DEFAULTS.items():
        AnswerFramework.objects.filter(kind=kind, title=title, steps=steps).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0002_review_cards_frameworks"),
        ("rounds", "0002_recruiters_group"),
    ]

    operations = [
        migrations.RunPython(create_defaults, remove_untouched_defaults),
        migrations.RunPython(let_recruiters_edit, migrations.RunPython.noop),
    ]
