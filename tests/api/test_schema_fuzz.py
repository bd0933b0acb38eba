"""Property-based run of the whole OpenAPI schema against the app, in process.

Schemathesis generates requests from /api/v1/schema/ and checks every response: no 5xx, status
codes, headers and bodies as documented. Once anonymously, once as a candidate with a token.
"""

import itertools
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.api_tokens import api_token_create
from practice.models import QuestionProgress
from prep.wsgi import application
from studyplan.models import StudyTask, TaskProgress
from tests.factories import EnrolmentFactory, QuestionFactory, build_guide

# A schema-valid guide slug or question id still has to exist; "accepting every schema-valid
# request" cannot hold for references to rows, so that one check is left out.
NOT_APPLICABLE = [positive_data_acceptance]

FUZZ = settings(
    # Small by default so the suite stays quick; raise it for a deeper hunt now and then.
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


# Loading the schema reads no rows, so it can happen at import, before the test database exists.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def connection_stays_open():
    """Keep Django from closing the database connection at the end of each fuzzed request.

    The requests go straight to the WSGI application, whose request signals would close the
    connection holding the test's transaction (PostgreSQL); Django's own test client disconnects
    these handlers the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def content(db, monkeypatch, connection_stays_open, alice):
    """Published, unpublished and draft content, and Alice's enrolment, tick and notes.

    Returns the identifiers of real rows, which half of the generated requests use in their path
    so that detail endpoints answer with data and not only 404s.
    """
    # The fuzzer sends far more requests than a person; throttling gets its own test.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"}
    )
    guide = build_guide(rounds=2, questions_per_round=2, regions=2, blocks=2, tasks_per_block=2)
    build_guide(rounds=1, questions_per_round=1, regions=1, blocks=1, tasks_per_block=1)
    QuestionFactory(guide=guide, is_published=False)
    build_guide(status="draft", rounds=1, questions_per_round=1)
    enrolment = EnrolmentFactory(user=alice, guide=guide)
    task = StudyTask.objects.filter(block__guide=guide).first()
    TaskProgress.objects.create(enrolment=enrolment, task=task)
    question = guide.questions.filter(round__isnull=False).first()
    notes = QuestionProgress.objects.create(
        user=alice, question=question, guide=guide, question_text=question.text
    )
    from practice.review import review_submit

    card = review_submit(user=alice, question=question, rating=3).card
    from mocks.services import mock_start
    from stories.services import story_save

    story = story_save(user=alice, title="A story", questions=[question])
    mock = mock_start(user=alice, rnd=question.round, questions=2, minutes=5)
    return {
        "guide_slug": guide.slug,
        "round_slug": "round-1",
        "region_slug": "region-0",
        "task_id": task.pk,
        # `id` names an enrolment, a question or notes, depending on the path.
        "id": {
            "enrolments": enrolment.pk,
            "questions": question.pk,
            "practice": notes.pk,
            "review-cards": card.pk,
            "stories": story.pk,
            "mocks": mock.pk,
        },
    }


@pytest.fixture
def candidate_token(alice):
    return api_token_create(user=alice, name="Fuzzer")[1]


_REQUESTS = itertools.count()


def _with_real_rows(case, rows: dict) -> None:
    """Point every other generated request at rows that exist; the rest keep random ids."""
    if not case.path_parameters or next(_REQUESTS) % 2:
        return
    for name in case.path_parameters:
        value = rows.get(name)
        if isinstance(value, dict):
            value = value[case.path.split("/")[3]]
        if value is not None:
            case.path_parameters[name] = value


@schema.parametrize()
@FUZZ
def test_every_operation_conforms_for_anonymous_visitors(case, content):
    _with_real_rows(case, content)
    case.call_and_validate(excluded_checks=NOT_APPLICABLE)


@schema.parametrize()
@FUZZ
def test_every_operation_conforms_for_a_candidate_with_a_token(case, content, candidate_token):
    _with_real_rows(case, content)
    case.call_and_validate(
        headers={"Authorization": f"Token {candidate_token}"}, excluded_checks=NOT_APPLICABLE
    )
