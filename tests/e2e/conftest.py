"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import datetime
import importlib
import io
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.cache_keys import forget_cache_keys

from .browser import ARTIFACTS, DESKTOP, SEED_FILE, SEED_SLUG, guide_pages

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told the test owns the risk.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_configure(config):
    # Whitenoise warns that collectstatic has not run; the live server serves static files itself.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session", autouse=True)
def clear_stale_failure_screenshots():
    # Failure screenshots describe the last run only; stale ones would send people chasing ghosts.
    # Under pytest-xdist the controller clears them before any worker starts (tests/conftest.py):
    # a worker would also delete the screenshots of the other's failures.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    for stale in ARTIFACTS.glob("FAILED-*.png"):
        stale.unlink(missing_ok=True)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it with apt-get")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-quic",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is None:
            return
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)
        # Every page the test had open: a journey may drive a second person in its own context.
        pages = [p for context in page.context.browser.contexts for p in context.pages]
        for number, open_page in enumerate(pages, start=1):
            suffix = "" if open_page is page else f"-{number}"
            try:
                open_page.screenshot(
                    path=str(ARTIFACTS / f"FAILED-{name}{suffix}.png"), full_page=True
                )
            except Exception:  # noqa: BLE001 - a failed screenshot must not hide the real failure
                pass


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative `page.goto("/...")` calls go to pytest-django's live server."""
    return live_server.url


def clear_site_cache() -> None:
    # Only this site's keys: the same Redis database may hold the Celery broker's queues and
    # bindings that other tests' workers are using.
    forget_cache_keys()


@pytest.fixture(autouse=True)
def empty_cache():
    """An empty cache, as the database is empty: no page cached by an earlier test."""
    clear_site_cache()
    yield
    clear_site_cache()


@pytest.fixture(autouse=True)
def eager_celery():
    """Queued e-mails are sent in-process at once, so they land in the test's outbox."""
    from prep.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def seed_guide(transactional_db):
    """The seed guide, imported from its YAML file exactly as `make seed` does."""
    from django.apps import apps as django_apps
    from django.core.management import call_command

    from rounds.models import Guide

    call_command("import_guide", str(SEED_FILE), verbosity=0, stdout=io.StringIO())
    # Prep's answer frameworks ship in a data migration, and live-server tests empty every table
    # afterwards: put them back as a migrated database has them.
    frameworks = importlib.import_module("practice.migrations.0003_default_answer_frameworks")
    frameworks.create_defaults(django_apps, None)
    return Guide.objects.get(slug=SEED_SLUG)


@pytest.fixture
def site(seed_guide, live_server):
    """Every main page, signed out and signed in as a candidate who has started studying.

    Alice is enrolled in the seed guide since today (week 1), has ticked a task and kept a note
    on a question and made an API token, so her pages show real content.
    """
    from accounts.api_tokens import api_token_create
    from practice.services import question_practice
    from questions.models import Question
    from reminders.delivery import unsubscribe_token_make
    from studyplan.progress import local_today_for
    from studyplan.services import enrolment_create, task_set_done
    from tests.factories import UserFactory, build_guide

    # A second guide, so the enrol page of a guide Alice does not follow yet has a page too.
    other = build_guide(company="Acme", slug="acme-head-of-engineering", rounds=1, blocks=1)
    alice = UserFactory(email="alice@example.com", display_name="Alice", time_zone="UTC")
    enrolment = enrolment_create(
        user=alice, guide=seed_guide, start_date=local_today_for(alice.time_zone)
    )
    task = seed_guide.study_blocks.order_by("start_week").first().tasks.order_by("order").first()
    task_set_done(enrolment=enrolment, task=task, done=True)

    question = Question.objects.get(slug=guide_pages()["question"].split("/")[-2])
    question_practice(
        user=alice, question=question, status="practised", answer_draft="Hire for slope."
    )
    # A review due today, so the review queue shows a question and its rating form.
    from practice.models import ReviewCard
    from practice.review import review_submit

    review_submit(user=alice, question=question, rating=3)
    ReviewCard.objects.filter(user=alice).update(
        due=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    api_token_create(user=alice, name="Phone")
    # A story linked to the question, and mocks in three states: a question under the clock
    # (round 1), the grading form (round 2) and a graded mock in round 3's history.
    from mocks import services as mocks
    from stories.services import story_save

    story = story_save(
        user=alice,
        title="Hiring a platform team",
        situation="Two engineers, twelve services.",
        questions=[question],
        criteria=[seed_guide.criteria.first()],
    )
    rounds = list(seed_guide.rounds.order_by("order"))
    asking = mocks.mock_start(user=alice, rnd=rounds[0], questions=2, minutes=10)
    grading = mocks.mock_start(user=alice, rnd=rounds[1], questions=2, minutes=10)
    for answer in grading.answers.all():
        mocks.answer_save(user=alice, answer=answer, notes="My notes", story=story)
    graded = mocks.mock_start(user=alice, rnd=rounds[2], questions=2, minutes=10)
    for answer in graded.answers.all():
        mocks.answer_save(user=alice, answer=answer, notes="My notes")
    mocks.mock_grade(
        user=alice,
        mock=graded,
        grades=[(3, "Clear")] * len(mocks.criteria_for(rounds[2])),
        outcomes={a.pk: "nailed" for a in graded.answers.all()},
    )
    unsubscribe = f"/reminders/unsubscribe/{unsubscribe_token_make(enrolment_id=enrolment.pk)}/"
    signed_out = {
        **guide_pages(),
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "unsubscribe": unsubscribe,
    }
    signed_in = {
        **guide_pages(),
        "dashboard": "/dashboard/",
        "settings": "/accounts/settings/",
        "notes": "/notes/",
        "review": "/review/",
        "api-tokens": "/accounts/settings/api-tokens/",
        "enrol": f"/guides/{other.slug}/enrol/",
        "enrol-settings": f"/enrolments/{enrolment.pk}/settings/",
        # Her own status on the bank, and a question inside a "Practise next" run.
        "questions-mine": f"/guides/{seed_guide.slug}/questions/?status=practised",
        "question-in-run": guide_pages()["question"] + "?run=round:hr-screening",
        "unsubscribe": unsubscribe,
        "mocks": "/mocks/",
        "mock-start": f"/guides/{seed_guide.slug}/rounds/{rounds[3].slug}/mock/",
        "mock-resume": f"/guides/{seed_guide.slug}/rounds/{rounds[0].slug}/mock/",
        "mock-question": asking.get_absolute_url(),
        "mock-grade": grading.get_absolute_url(),
        "mock-result": graded.get_absolute_url(),
        "mock-history": f"/guides/{seed_guide.slug}/rounds/{rounds[2].slug}/mocks/",
        "stories": "/stories/",
        "story": story.get_absolute_url(),
        "story-new": "/stories/new/",
        "coverage": f"/stories/coverage/{seed_guide.slug}/",
    }
    return SimpleNamespace(
        guide=seed_guide,
        alice=alice,
        enrolment=enrolment,
        signed_out=signed_out,
        signed_in=signed_in,
    )


@pytest.fixture
def page(page):
    """Fail in seconds, not half a minute, when something a person would see is missing."""
    page.set_default_timeout(10_000)
    return page
