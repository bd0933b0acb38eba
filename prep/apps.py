from django.apps import AppConfig


class PrepConfig(AppConfig):
    name = "prep"
    verbose_name = "Prep"

    def ready(self) -> None:
        from . import caching

        caching.connect_signals()
