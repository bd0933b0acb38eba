"""Site-wide records that belong to no one capability: the API's stored idempotent answers."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyRecord(models.Model):
    """The answer to a POST sent with an `Idempotency-Key`, replayed when the client retries.

    In the database rather than the cache: without Redis the cache is per process, and a retry
    that reaches another worker must still find the first answer. Kept 24 hours
    (prep.api_idempotency.KEEP_FOR), scoped to the user who sent it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="user"
    )
    key = models.CharField(max_length=255, help_text="The client's Idempotency-Key header.")
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the method, path and JSON body of the first request."
    )
    status_code = models.PositiveSmallIntegerField(help_text="The stored answer's HTTP status.")
    body = models.JSONField(null=True, help_text="The stored answer's JSON body.")
    headers = models.JSONField(default=dict, help_text="Location and ETag of the stored answer.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "API idempotency record"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code})"
