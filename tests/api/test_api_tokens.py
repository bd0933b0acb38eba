import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def _api_as(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.django_db
def test_token_page_needs_a_signed_in_candidate(client):
    response = client.get("/accounts/settings/api-token/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_settings_page_links_to_the_token_page(client, alice):
    client.force_login(alice)

    response = client.get("/accounts/settings/")

    assert 'href="/accounts/settings/api-token/"' in response.content.decode()


@pytest.mark.django_db
def test_candidate_without_a_token_is_offered_one(client, alice):
    client.force_login(alice)

    response = client.get("/accounts/settings/api-token/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "You have no API token" in page
    assert "Create a token" in page


@pytest.mark.django_db
def test_created_token_is_shown_once_and_opens_the_api(client, alice):
    client.force_login(alice)

    created = client.post("/accounts/settings/api-token/new/")
    key = Token.objects.get(user=alice).key
    later = client.get("/accounts/settings/api-token/")

    assert created.status_code == 200
    assert key in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert key not in later.content.decode()
    assert f"starting <code>{key[:6]}…</code>" in later.content.decode()
    me = _api_as(key).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.data["email"] == "alice@example.com"


@pytest.mark.django_db
def test_replacing_a_token_stops_the_old_one(client, alice):
    client.force_login(alice)
    client.post("/accounts/settings/api-token/new/")
    old = Token.objects.get(user=alice).key

    client.post("/accounts/settings/api-token/new/")
    new = Token.objects.get(user=alice).key

    assert new != old
    assert _api_as(old).get("/api/v1/me/").status_code == 401
    assert _api_as(new).get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_revoked_token_no_longer_works_and_others_keep_theirs(client, alice, charlie):
    alice_key = Token.objects.create(user=alice).key
    charlie_key = Token.objects.create(user=charlie).key
    client.force_login(alice)

    response = client.post("/accounts/settings/api-token/revoke/", follow=True)

    assert "Your API token is revoked" in response.content.decode()
    assert not Token.objects.filter(user=alice).exists()
    assert _api_as(alice_key).get("/api/v1/me/").status_code == 401
    assert _api_as(charlie_key).get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_revoking_without_a_token_says_so(client, alice):
    client.force_login(alice)

    response = client.post("/accounts/settings/api-token/revoke/", follow=True)

    assert "nothing to revoke" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["new/", "revoke/"])
def test_token_changes_only_happen_on_post(client, alice, path):
    client.force_login(alice)

    response = client.get(f"/accounts/settings/api-token/{path}")

    assert response.status_code == 405
    assert not Token.objects.filter(user=alice).exists()


@pytest.mark.django_db
def test_token_page_costs_a_fixed_number_of_queries(client, alice, django_assert_num_queries):
    client.force_login(alice)
    client.get("/accounts/settings/api-token/")
    # Session, user, token; the same whether or not a token exists.
    with django_assert_num_queries(3):
        client.get("/accounts/settings/api-token/")
    Token.objects.create(user=alice)
    with django_assert_num_queries(3):
        client.get("/accounts/settings/api-token/")
