import datetime

import pytest

from prep.celery import app as celery_app
from studyplan.models import Enrolment
from tests.factories import EnrolmentFactory, build_guide

# Monday 23 March 2026: Europe/London moves to summer time on Sunday 29 March, so week 2 of a plan
# starting today begins on the first Monday after the change.
SPRING_MONDAY = datetime.date(2026, 3, 23)


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture
def eager_celery():
    """Run queued tasks in-process at once, as if a worker picked them up immediately."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def guide(db):
    return build_guide(company="OKX", slug="okx-head-of-engineering", rounds=2, blocks=4)


@pytest.fixture
def alice_enrolment(alice, guide) -> Enrolment:
    return EnrolmentFactory(user=alice, guide=guide, start_date=SPRING_MONDAY)


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks, eager_celery, settings):
    """Run one dispatch at `now` and every send it queues, like beat plus a worker would."""
    from studyplan.delivery import reminder_dispatch

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def run(now: datetime.datetime, batch_size: int = 100):
        with django_capture_on_commit_callbacks(execute=True):
            return reminder_dispatch(now=now, batch_size=batch_size)

    return run
