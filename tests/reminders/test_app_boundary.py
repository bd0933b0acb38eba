"""The reminders app depends on studyplan/, never the reverse, and old task names still work."""

import ast
from pathlib import Path

from django.conf import settings

from prep.celery import app as celery_app


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_studyplan_never_imports_the_reminders_app():
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): sorted(
            m for m in imported_modules(path) if m == "reminders" or m.startswith("reminders.")
        )
        for path in (Path(settings.BASE_DIR) / "studyplan").rglob("*.py")
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_tasks_answer_to_the_names_queued_messages_and_beat_use():
    celery_app.loader.import_default_modules()
    for name in (
        "studyplan.tasks.dispatch_due_reminders_task",
        "studyplan.tasks.send_reminder_task",
        "studyplan.tasks.send_reminders_task",
    ):
        assert celery_app.tasks[name].__module__ == "reminders.tasks"
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "studyplan.tasks.dispatch_due_reminders_task" in scheduled
