from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        # studyplan/ announces enrolments and re-plans by signal; it never imports this app.
        from studyplan import signals

        from . import receivers

        signals.enrolment_created.connect(
            receivers.on_enrolment_created, dispatch_uid="reminders.enrolment_created"
        )
        signals.plan_changed.connect(
            receivers.on_plan_changed, dispatch_uid="reminders.plan_changed"
        )
