"""A NUL byte wherever a client controls the input answers 4xx, never 500.

PostgreSQL refuses NUL in text (psycopg2 raises before the query is sent), SQLite does not, so
these matter most on PostgreSQL (CI). The walk covers every URL pattern in the URLconf as a
visitor, a candidate and a superuser: NUL in each path parameter, in each query parameter the page
or the API knows, in each field of each form the page posts, in each field of each API request
body in the schema, and in the session cookie.
"""

import json

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from accounts.api_tokens import api_token_create
from practice.models import QuestionProgress
from studyplan.models import StudyTask
from tests.factories import EnrolmentFactory, UserFactory, build_guide

from .urlwalk import all_routes, post_forms, query_names

# Parameters any page or the API might read; each page adds those its own links and forms use.
QUERY_NAMES = {
    "q",
    "page",
    "page_size",
    "guide",
    "round",
    "region",
    "kind",
    "tag",
    "next",
    "format",
}
# Posting these would sign the client out or remove what later requests need.
NO_POST = ("logout", "delete", "revoke", "rotate", "leave")


@pytest.fixture
def site(db, alice):
    guide = build_guide(company="OKX", slug="okx-head-of-engineering", rounds=1, regions=1)
    enrolment = EnrolmentFactory(user=alice, guide=guide)
    question = guide.questions.first()
    note = QuestionProgress.objects.create(
        user=alice, question=question, guide=guide, question_text=question.text, answer_draft="Mine"
    )
    token, key = api_token_create(user=alice, name="Phone")
    admin = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    values = {
        "guide_slug": guide.slug,
        "round_slug": "round-1",
        "region_slug": "region-0",
        "question_slug": question.slug,
        "enrolment_id": str(enrolment.pk),
        "task_id": str(StudyTask.objects.filter(block__guide=guide).first().pk),
        "note_id": str(note.pk),
        "token": "a-token",
        "token_id": str(token.pk),
        "uidb64": "MQ",
        "pk": str(question.pk),
        "app_label": "rounds",
        "object_id": str(guide.pk),
        "content_type_id": str(ContentType.objects.get_for_model(guide).pk),
        "url": "nowhere/",
        "id": str(alice.pk),
        "code": "invalid",
    }
    overrides = {
        "studyplan:calendar": {"token": alice.calendar_token},
        "api:enrolment-detail": {"pk": str(enrolment.pk)},
        "api:practice-detail": {"pk": str(note.pk)},
    }
    for model in apps.get_models():
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
            overrides[name] = {"object_id": str(first.pk)}
    clients = {"visitor": _client(), "alice": _client(), "admin": _client()}
    clients["alice"].force_login(alice)
    clients["admin"].force_login(admin)
    return clients, values, overrides, key


@pytest.fixture
def api_client():
    return _client()


def _client() -> Client:
    return Client(raise_request_exception=False)


def _request(client: Client, method: str, url: str, **kwargs):
    # A failed query would poison the test's transaction for every later request.
    savepoint = transaction.savepoint()
    response = getattr(client, method)(url, **kwargs)
    if response.status_code >= 500:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    return response


def test_nul_anywhere_in_a_url_or_form_never_answers_5xx(site):
    clients, values, overrides, _ = site
    failures = []

    def check(who, method, url, **kwargs):
        response = _request(clients[who], method, url, **kwargs)
        # /readyz answers 503 by design until beat's first dispatch (ops/health.py).
        if response.status_code >= 500 and not url.startswith("/readyz"):
            failures.append(f"{who} {method.upper()} {url} {kwargs.get('data', '')!r:.80}")
        return response

    routes = list(all_routes())
    pages = []
    for route in routes:
        route_values = values | overrides.get(route.name, {})
        url = route.url(route_values)
        # The admin turns visitors and candidates away at the door; the site's pages are the
        # same for a superuser as for a candidate.
        users = ["admin"] if route.name.startswith("admin:") else ["visitor", "alice"]
        for who in clients:
            if who not in users:
                check(who, "get", f"{url}?q=%00")
                continue
            for param in route.params:
                check(who, "get", route.url(route_values, **{param: "%00"}))
            response = check(who, "get", url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith(
                "text/html"
            ):
                continue
            html = response.content.decode(errors="replace")
            for name in sorted(QUERY_NAMES | query_names(html)):
                check(who, "get", f"{url}?{name}=%00")
            if who != "visitor":
                pages.append((who, url, route.name, html))
    assert len(routes) > 80 and len(pages) > 40

    posted = set()
    for who, url, name, html in pages:
        for action, fields in post_forms(html, url):
            if any(word in action or word in name for word in NO_POST):
                continue
            for field in fields:
                if field == "csrfmiddlewaretoken" or (who, action, field) in posted:
                    continue
                posted.add((who, action, field))
                check(who, "post", action, data=fields | {field: "a\x00b"})
    assert len(posted) > 50

    assert failures == []


def test_nul_in_api_request_bodies_never_answers_5xx(site):
    clients, values, overrides, key = site
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    client = _client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    failures, sent = [], 0
    for path, operations in schema["paths"].items():
        url = path
        for param, value in (values | overrides.get("api:enrolment-detail", {})).items():
            url = url.replace("{" + param + "}", value)
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if ref is None:
                continue
            fields = components[ref.rsplit("/", 1)[1]].get("properties", {})
            for field in fields:
                sent += 1
                body = json.dumps({field: "a\x00b"})
                response = _request(client, method, url, data=body, content_type="application/json")
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} {field}")
    assert sent > 10
    assert failures == []


@pytest.mark.django_db
def test_nul_in_a_cookie_answers_400(alice):
    client = _client()

    response = client.get("/dashboard/", HTTP_COOKIE='sessionid="abc\\000def"')

    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/calendar/%00.ics",
        "/search/?q=%00",
        "/admin/questions/question/?kind=%00",
        "/api/v1/questions/?q=%00",
    ],
)
def test_reported_nul_urls_answer_400(url, recruiter):
    client = _client()
    client.force_login(recruiter)

    response = client.get(url)

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.django_db
def test_api_answers_nul_with_its_json_error_body(api_client):
    response = api_client.get("/api/v1/questions/?q=%00")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["fields"] == {"q": ["Null characters are not allowed."]}


@pytest.mark.django_db
def test_nul_in_a_form_field_changes_nothing(alice):
    client = _client()
    client.force_login(alice)

    response = client.post("/accounts/settings/", {"display_name": "Eve\x00"})

    alice.refresh_from_db()
    assert response.status_code == 400
    assert alice.display_name == "Alice"
