from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = "Guides and rounds"

    def ready(self) -> None:
        # Imports and restores name themselves in every history row they write.
        from .history import services

        services.connect()

        from django.db.models.signals import post_migrate

        from .recruiters import after_migrate

        post_migrate.connect(after_migrate, dispatch_uid="rounds.recruiters")
