import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import build_guide


@pytest.fixture
def low_rates(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"}
    )


@pytest.mark.django_db
def test_anonymous_clients_are_throttled_with_a_clear_error(api, low_rates):
    statuses = [api.get("/api/v1/guides/").status_code for _ in range(4)]
    response = api.get("/api/v1/guides/")

    assert statuses == [200, 200, 200, 429]
    assert response.data["error"]["code"] == "throttled"
    assert "Request was throttled" in response.data["error"]["message"]
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_each_candidate_has_their_own_allowance(alice_api, charlie_api, low_rates):
    alice_statuses = [alice_api.get("/api/v1/me/").status_code for _ in range(6)]

    assert alice_statuses == [200] * 5 + [429]
    assert charlie_api.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_unknown_api_addresses_answer_json_404(api):
    response = api.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "http://testserver/api/v1/problems/not_found/",
        "title": "Not found",
        "status": 404,
        "detail": "Nothing was found at this address.",
        "instance": "/api/v1/no-such-thing/",
        "code": "not_found",
        "fields": {},
        # The body of earlier versions, which existing clients read.
        "error": {
            "code": "not_found",
            "message": "Nothing was found at this address.",
            "fields": {},
        },
    }


@pytest.mark.django_db
def test_malformed_json_gets_a_parse_error(alice_api):
    response = alice_api.generic(
        "POST", "/api/v1/enrolments/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.data["error"]["code"] == "parse_error"
    assert response.data["error"]["fields"] == {}


@pytest.mark.django_db
def test_missing_fields_are_listed_under_fields(alice_api):
    response = alice_api.post("/api/v1/enrolments/", {}, format="json")

    assert response.status_code == 400
    assert response.data["error"] == {
        "code": "invalid",
        "message": "Some of the data sent is not valid; see `fields` for what to change.",
        "fields": {"guide": ["This field is required."]},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["page_size=0", "page_size=101", "page=abc", "page=-1"])
def test_malformed_paging_is_a_400_not_a_guess(api, query):
    response = api.get(f"/api/v1/guides/?{query}")

    assert response.status_code == 400
    assert response.data["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_a_page_past_the_end_is_not_found(api):
    build_guide()

    response = api.get("/api/v1/guides/?page=2")

    assert response.status_code == 404
    assert response.data["error"]["message"] == "Invalid page."


@pytest.mark.django_db
def test_a_wrong_token_is_refused_even_on_public_content(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api.get("/api/v1/guides/")

    assert response.status_code == 401
    assert response.data["error"]["code"] == "authentication_failed"


@pytest.mark.django_db
def test_the_sites_own_pages_can_use_the_session(alice):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)

    read = client.get("/api/v1/me/")
    write_without_csrf = client.patch("/api/v1/me/", {"display_name": "Eve"}, format="json")

    assert read.status_code == 200
    assert write_without_csrf.status_code == 403
    assert "CSRF" in write_without_csrf.data["error"]["message"]
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


@pytest.mark.parametrize("value", ["lots", "120", "120/fortnight", "-5/minute"])
def test_a_malformed_throttle_rate_stops_start_up(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from prep.settings import env_rate

    monkeypatch.setenv("API_THROTTLE_ANON", value)

    with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_ANON"):
        env_rate("API_THROTTLE_ANON", "120/minute")


def test_throttle_rates_come_from_the_environment(monkeypatch):
    from prep.settings import env_rate

    monkeypatch.setenv("API_THROTTLE_USER", "30/second")

    assert env_rate("API_THROTTLE_USER", "600/minute") == "30/second"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/stories"),
        ("post", "/api/v1/stories"),
        ("get", "/api/v1/stories/12"),
        ("get", "/api/v1/guides/okx/rounds"),
    ],
)
def test_an_address_missing_its_trailing_slash_says_where_the_endpoint_is(alice_api, method, path):
    """GET /api/v1/stories was a bare 'Nothing was found at this address.'"""
    response = getattr(alice_api, method)(path, {"title": "Kept"}, format="json")

    assert response.status_code == 404
    assert response.json()["detail"] == (
        f"Nothing was found at this address. Did you mean {path}/?"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/nothing/", "/api/v1/stories/x"])
def test_an_address_with_no_endpoint_either_way_suggests_nothing(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response.json()["detail"] == "Nothing was found at this address."
