import uuid

import pytest


@pytest.fixture(autouse=True)
def own_broker(settings, tmp_path):
    """This test's own broker space: a key prefix on Redis, or a folder for the filesystem
    broker, so /readyz and the queue gauge see exactly the tasks the test puts there."""
    if settings.REDIS_URL:
        prefix = f"prep-ops-test-{uuid.uuid4().hex[:12]}:"
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": prefix}
        yield settings.CELERY_BROKER_TRANSPORT_OPTIONS
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
        client.close()
    else:
        folder = tmp_path / "broker"
        for name in ("queue", "processed", "control"):
            (folder / name).mkdir(parents=True)
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
        }
        yield settings.CELERY_BROKER_TRANSPORT_OPTIONS
