from celery import shared_task

from . import services


@shared_task
def login_records_purge_task() -> int:
    """Daily: forget logins and failed attempts older than the retention period."""
    return services.login_records_purge()
