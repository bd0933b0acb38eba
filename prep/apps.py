from django.apps import AppConfig


class PrepConfig(AppConfig):
    name = "prep"
    verbose_name = "Prep"

    def ready(self) -> None:
        from . import caching, checks  # noqa: F401 - importing registers the checks

        caching.connect_signals()
