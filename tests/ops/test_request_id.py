"""Every request has an id: the caller's X-Request-ID when it is a UUID, otherwise a new one.

It is sent back in the response and put on every log line of the request (the JSON lines a
production server writes are checked in test_production_server.py).
"""

import logging
import re
import uuid

import pytest

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def access_log(caplog):
    # INFO in production; development leaves the line to runserver.
    caplog.set_level(logging.INFO, logger="prep.access")
    return caplog


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_new_one(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second)
    assert first != second


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sent",
    [str(uuid.uuid4()), uuid.uuid4().hex],
    ids=["uuid with dashes (Heroku, Envoy)", "32 hex digits (nginx $request_id)"],
)
def test_a_uuid_from_the_proxy_is_kept(client, sent):
    assert client.get("/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sent",
    ["abc", "x" * 500, "<script>alert(1)</script>", "id with spaces", "../../etc/passwd"],
)
def test_anything_else_is_replaced(client, sent):
    echoed = client.get("/healthz", HTTP_X_REQUEST_ID=sent)["X-Request-ID"]
    assert HEX_ID.fullmatch(echoed)


@pytest.mark.django_db
def test_log_lines_of_a_request_carry_its_id(client, caplog):
    request_id = uuid.uuid4().hex
    caplog.set_level(logging.WARNING, logger="django.request")
    # Django logs a warning for every 404.
    client.get("/no-such-page/", HTTP_X_REQUEST_ID=request_id)
    [line] = [r for r in caplog.records if r.name == "django.request"]
    assert line.request_id == request_id


@pytest.mark.django_db
def test_the_access_log_has_one_line_per_request_naming_the_view_not_the_path(client, access_log):
    request_id = uuid.uuid4().hex
    response = client.get(
        "/accounts/password/reset/MQ/secret-reset-token/", HTTP_X_REQUEST_ID=request_id
    )
    [line] = [r for r in access_log.records if r.name == "prep.access"]
    assert line.request_id == request_id
    assert line.status == response.status_code
    assert line.method == "GET"
    assert line.view == "accounts:password_reset_confirm"
    assert "secret-reset-token" not in line.getMessage()
    assert "secret-reset-token" not in str(vars(line))


@pytest.mark.django_db
def test_a_page_served_from_the_page_cache_carries_the_new_requests_id(client):
    from tests.factories import build_guide

    build_guide(company="OKX", slug="okx", rounds=1, blocks=1)
    ids = [uuid.uuid4().hex for _ in range(3)]
    echoed = [client.get("/", HTTP_X_REQUEST_ID=request_id)["X-Request-ID"] for request_id in ids]
    assert echoed == ids
