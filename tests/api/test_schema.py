import re
import warnings

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

CANDIDATE_PATHS = {
    "/api/v1/me/",
    "/api/v1/me/export/",
    "/api/v1/enrolments/",
    "/api/v1/enrolments/{id}/",
    "/api/v1/enrolments/{id}/pause/",
    "/api/v1/enrolments/{id}/resume/",
    "/api/v1/enrolments/{id}/leave/",
    "/api/v1/enrolments/{id}/replan/",
    "/api/v1/enrolments/{id}/replan/undo/",
    "/api/v1/enrolments/{id}/rounds/{round_slug}/",
    "/api/v1/enrolments/{id}/tasks/",
    "/api/v1/enrolments/{id}/tasks/{task_id}/",
    "/api/v1/practice/",
    "/api/v1/practice/{id}/",
    "/api/v1/reviews/due/",
    "/api/v1/review-cards/",
    "/api/v1/review-cards/{id}/",
    "/api/v1/activity/",
    "/api/v1/stories/",
    "/api/v1/stories/{id}/",
    "/api/v1/mocks/",
    "/api/v1/mocks/{id}/",
    "/api/v1/mocks/{id}/start-question/",
    "/api/v1/mocks/{id}/answer/",
    "/api/v1/mocks/{id}/grade/",
    "/api/v1/mocks/{id}/abandon/",
}
PUBLIC_PATHS = {
    "/api/v1/guides/",
    "/api/v1/guides/{guide_slug}/",
    "/api/v1/guides/{guide_slug}/rounds/",
    "/api/v1/guides/{guide_slug}/rounds/{round_slug}/",
    "/api/v1/guides/{guide_slug}/regions/",
    "/api/v1/guides/{guide_slug}/regions/{region_slug}/",
    "/api/v1/guides/{guide_slug}/study-blocks/",
    "/api/v1/regions/",
    "/api/v1/regions/{region_slug}/",
    "/api/v1/questions/",
    "/api/v1/questions/{id}/",
    "/api/v1/tags/",
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    target = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    return yaml.safe_load(target.read_text())


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_schema_validates_without_warnings_and_lists_every_endpoint(schema):
    assert set(schema["paths"]) == CANDIDATE_PATHS | PUBLIC_PATHS | {
        "/api/v1/",
        "/api/v1/problems/{code}/",
    }


# Open to anyone whatever token is sent, so never a 401.
OPEN_PATHS = {"/api/v1/", "/api/v1/problems/{code}/"}


def test_every_operation_documents_its_errors_with_the_problem_body(schema):
    for path, method, operation in _operations(schema):
        codes = ("429", "500") if path in OPEN_PATHS else ("401", "429", "500")
        for code in codes:
            content = operation["responses"][code]["content"]
            assert content == {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }, (path, method)
        if method in {"post", "put", "patch"}:
            assert "400" in operation["responses"], (path, method)
        if "{" in path:
            assert "404" in operation["responses"], (path, method)


def test_candidate_operations_require_a_token_or_session(schema):
    for path, _method, operation in _operations(schema):
        security = operation["security"]
        if path in CANDIDATE_PATHS:
            assert {} not in security
            assert {"tokenAuth": []} in security
            assert {"cookieAuth": []} in security
        else:
            assert {} in security


def test_public_reads_document_their_etag(schema):
    for path in PUBLIC_PATHS:
        operation = schema["paths"][path]["get"]
        assert "304" in operation["responses"]
        assert "ETag" in operation["responses"]["200"]["headers"]
        assert any(p["name"] == "If-None-Match" for p in operation["parameters"])


def test_lists_are_paginated(schema):
    for path, method, operation in _operations(schema):
        if method == "get" and operation["operationId"].endswith("_list"):
            names = {p["name"] for p in operation["parameters"]}
            assert {"page", "page_size"} <= names, path


@pytest.mark.django_db
def test_schema_is_served(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "Prep API"


@pytest.mark.django_db
def test_docs_load_their_assets_from_the_site_not_a_cdn(client):
    response = client.get("/api/v1/docs/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "/api/v1/schema/" in page
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def _references(page: str) -> list[str]:
    """Every address a page makes the browser load or link: src, href and CSS url()."""
    return re.findall(r'(?:src|href)="([^"]*)"', page) + re.findall(r"url\(([^)]*)\)", page)


def _outside_the_site(address: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", address.strip("'\" "), re.IGNORECASE))


@pytest.mark.django_db
@pytest.mark.parametrize("docs", ["/api/v1/redoc/", "/api/v1/docs/"])
def test_api_docs_reference_nothing_outside_the_site(client, docs):
    response = client.get(docs)
    page = response.content.decode()

    assert response.status_code == 200
    references = _references(page)
    assert references
    assert [address for address in references if _outside_the_site(address)] == []
    assert "googleapis" not in page and "gstatic" not in page


@pytest.mark.django_db
def test_redoc_script_is_served_without_the_redocly_logo_from_their_cdn(client):
    page = client.get("/api/v1/redoc/").content.decode()
    (script,) = re.findall(r'<script src="([^"]+)"', page)

    response = client.get(script)
    bundle = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "Redoc" in bundle and len(bundle) > 100_000
    assert "cdn.redoc.ly" not in bundle
    assert "sourceMappingURL=redoc.standalone.js.map" not in bundle
    assert 'spec-url="/api/v1/schema/"' in page


@pytest.mark.django_db
def test_swagger_ui_does_not_send_the_schema_to_an_online_validator(client):
    page = client.get("/api/v1/docs/").content.decode()

    assert '"validatorUrl": null' in page


@pytest.mark.django_db
def test_api_root_links_to_every_collection_and_the_docs(api):
    response = api.get("/api/v1/")

    assert response.status_code == 200
    assert response.data["guides"] == "http://testserver/api/v1/guides/"
    assert response.data["enrolments"] == "http://testserver/api/v1/enrolments/"
    assert response.data["docs"] == "http://testserver/api/v1/docs/"
    # Every link but the website's token page (a login redirect, outside the API) is the API's.
    for name, url in response.data.items():
        if name != "api_tokens":
            assert api.get(url).status_code in {200, 401}, name


STATE_CONFLICTS = {
    ("/api/v1/enrolments/", "post"),
    ("/api/v1/enrolments/{id}/pause/", "post"),
    ("/api/v1/enrolments/{id}/resume/", "post"),
    ("/api/v1/enrolments/{id}/leave/", "post"),
    ("/api/v1/enrolments/{id}/replan/", "post"),
    ("/api/v1/enrolments/{id}/replan/undo/", "post"),
    ("/api/v1/enrolments/{id}/rounds/{round_slug}/", "put"),
    ("/api/v1/enrolments/{id}/rounds/{round_slug}/", "delete"),
    ("/api/v1/enrolments/{id}/tasks/{task_id}/", "put"),
    ("/api/v1/practice/", "post"),
    ("/api/v1/practice/{id}/", "patch"),
    ("/api/v1/mocks/", "post"),
    ("/api/v1/mocks/{id}/start-question/", "post"),
    ("/api/v1/mocks/{id}/answer/", "post"),
    ("/api/v1/mocks/{id}/grade/", "post"),
    ("/api/v1/mocks/{id}/abandon/", "post"),
}


def test_state_conflicts_are_documented_as_409_problems(schema):
    documented = {
        (path, method)
        for path, method, operation in _operations(schema)
        if "409" in operation["responses"]
    }

    assert documented >= STATE_CONFLICTS
    for path, method in STATE_CONFLICTS:
        response = schema["paths"][path][method]["responses"]["409"]
        assert response["description"]
        assert "application/problem+json" in response["content"]


def test_every_question_filter_is_described(schema):
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/v1/questions/"]["get"]["parameters"]
    }

    for name in ("guide", "round", "region", "kind", "tag", "q", "page", "page_size"):
        assert parameters[name]["description"], name
    for name in ("guide", "round", "region", "tag"):
        assert "empty list" in parameters[name]["description"], name
    assert set(parameters["kind"]["schema"]["enum"]) >= {"behavioural", "system_design"}


def test_error_codes_are_an_enum_in_the_schema(schema):
    from prep.api_errors import PROBLEMS

    problem = schema["components"]["schemas"]["Problem"]
    code = problem["properties"]["code"]
    assert code["allOf"] == [{"$ref": "#/components/schemas/ProblemCodeEnum"}]
    enum = schema["components"]["schemas"]["ProblemCodeEnum"]["enum"]

    assert set(enum) == set(PROBLEMS)
    assert set(problem["required"]) >= {"type", "title", "status", "detail", "code", "error"}


def test_every_field_of_every_answer_is_marked_required(schema):
    for name, component in schema["components"]["schemas"].items():
        if name.endswith("Request") or "properties" not in component:
            continue
        assert set(component["required"]) == set(component["properties"]), name


def test_request_bodies_keep_their_optional_fields_optional(schema):
    enrol = schema["components"]["schemas"]["EnrolmentCreateRequest"]

    assert enrol["required"] == ["guide"]


def test_only_operations_that_read_a_token_document_a_401(schema):
    """The root and the problem types listed a 401 though a token is never needed there."""
    for path, _method, operation in _operations(schema):
        assert ("401" in operation["responses"]) == (path not in OPEN_PATHS), path
    assert (
        "public content needs none"
        in (schema["paths"]["/api/v1/guides/"]["get"]["responses"]["401"]["description"])
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/problems/authentication_failed/"])
def test_the_root_and_problem_types_answer_whatever_token_is_sent(api, path):
    api.credentials(HTTP_AUTHORIZATION="Token revoked-or-mistyped")

    assert api.get(path).status_code == 200


@pytest.mark.django_db
def test_the_activity_days_are_documented_as_they_come(alice_api, schema):
    """The schema said 'the last 12 weeks' for 78 to 84 days from a Monday."""
    import datetime

    description = schema["components"]["schemas"]["Activity"]["properties"]["days"]["description"]
    fewest, most = map(int, re.search(r"\((\d+) to (\d+) days\)", description).groups())

    body = alice_api.get("/api/v1/activity/").json()
    days = [datetime.date.fromisoformat(day["day"]) for day in body["days"]]

    assert fewest <= len(days) <= most
    assert days[0].weekday() == 0 and "Monday" in description
    assert days[-1] == datetime.date.fromisoformat(body["today"])
    assert days[-1] - days[0] == datetime.timedelta(weeks=11, days=days[-1].weekday())


@pytest.mark.django_db
def test_a_new_client_learns_where_to_create_a_token(api, client, alice, schema):
    """Tokens are made only on the website; neither the docs nor the root said where."""
    page = reverse("accounts:api_tokens")

    link = api.get("/api/v1/").json()["api_tokens"]
    meaning = api.get("/api/v1/problems/not_authenticated/").json()["description"]

    assert link == f"http://testserver{page}"
    assert page in schema["info"]["description"] and page in meaning
    client.force_login(alice)
    assert "Create token" in client.get(link).content.decode()
