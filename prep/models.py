"""Site-wide records that belong to no one capability: the shared cache's table and the API's
stored idempotent answers."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CacheEntry(models.Model):
    """One entry of Django's database cache, which reads and writes this table itself.

    Declared as a model, with exactly the columns `createcachetable` would make, so that
    `migrate` creates the table on every database and in every set-up (make run, production,
    the test database), whichever cache the settings pick at the time.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "prep_cache"
        verbose_name = "cache entry"
        verbose_name_plural = "cache entries"

    def __str__(self) -> str:
        return self.cache_key


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
