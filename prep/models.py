"""The table behind the shared cache when there is no Redis (see CACHES in settings)."""

from django.db import models


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
