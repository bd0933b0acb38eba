"""Bodies that break a JSON parser or a database answer 400 (or 413) and change nothing."""

import pytest

from tests.factories import build_guide


def _post(client, path, raw: bytes | str, method="POST"):
    return client.generic(method, path, raw, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("[" * 100_000, "nest at most 32 levels"),
        ('{"a": ' * 5_000 + "1" + "}" * 5_000, "nest at most 32 levels"),
        ("[" * 40 + "]" * 40, "nest at most 32 levels"),
        (b'{"display_name": "\xff\xfe"}', "utf-8"),
        ('{"reminder_hour": ' + "9" * 5_000 + "}", "JSON parse error"),
        ('{"reminder_hour": 1e999}', "Numbers must be finite"),
        ('{"reminder_hour": NaN}', "JSON parse error"),
        ('{"reminder_hour": 18446744073709551616}', "Whole numbers must lie between"),
        ('{"display_name": "Al\\u0000ice"}', "NUL characters"),
        ('{"display\\u0000name": "Alice"}', "NUL characters"),
        ('{"display_name": "\\ud800"}', "unpaired surrogates"),
    ],
)
def test_unreadable_bodies_are_a_400_and_change_nothing(alice_api, alice, raw, says):
    response = _post(alice_api, "/api/v1/me/", raw, method="PATCH")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "parse_error"
    assert says.lower() in response.json()["detail"].lower()
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


@pytest.mark.django_db
def test_a_nul_in_a_slug_reference_is_refused_before_the_database(alice_api):
    build_guide()

    response = _post(alice_api, "/api/v1/enrolments/", '{"guide": "guide\\u0000"}')

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_a_413(alice_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = _post(alice_api, "/api/v1/me/", '{"display_name": "' + "a" * 2_000 + '"}', "PATCH")

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@pytest.mark.django_db
def test_ordinary_bodies_still_work(alice_api, alice):
    response = _post(alice_api, "/api/v1/me/", '{"display_name": "Alíce ✓", "reminder_hour": 7}')

    assert response.status_code == 405  # POST is not how a profile changes...
    response = _post(alice_api, "/api/v1/me/", '{"display_name": "Alíce ✓"}', method="PATCH")

    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.display_name == "Alíce ✓"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_form_body_is_415_not_an_empty_body(alice_api, method):
    """The site's NUL check read multipart POSTs before the API: it then saw no body and
    answered 400 'This field is required.', as if the client had sent nothing."""
    from django.test.client import encode_multipart

    response = alice_api.generic(
        method,
        "/api/v1/stories/" if method == "POST" else "/api/v1/me/",
        encode_multipart("BoUnDaRy", {"title": "Scaling", "display_name": "Al"}),
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )

    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["detail"]


@pytest.mark.django_db
def test_json_is_read_as_utf8_whatever_charset_the_header_names(alice_api, alice):
    response = alice_api.generic(
        "PATCH",
        "/api/v1/me/",
        '{"display_name": "Café"}'.encode(),
        content_type="application/json; charset=latin-1",
    )

    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.display_name == "Café"
