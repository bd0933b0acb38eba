from django.db import models


class Heartbeat(models.Model):
    """When a periodic job last completed, written by the job and read by /readyz.

    In the database rather than the cache: without Redis the cache is per process, and the web
    process answering /readyz must see what the worker wrote.
    """

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField(help_text="When the job last completed.")

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
