import pytest
from rest_framework.test import APIClient

from accounts.api_tokens import MAX_TOKENS_PER_USER, api_token_create
from accounts.models import ApiToken

PAGE = "/accounts/settings/api-tokens/"


def _api_as(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _new_key(page: str) -> str:
    start = page.index('id="new-token" type="text" readonly value="') + 43
    return page[start : page.index('"', start)]


@pytest.mark.django_db
def test_token_page_needs_a_signed_in_candidate(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_settings_page_links_to_the_token_page(client, alice):
    client.force_login(alice)

    response = client.get("/accounts/settings/")

    assert f'href="{PAGE}"' in response.content.decode()


@pytest.mark.django_db
def test_candidate_without_tokens_is_offered_one(client, alice):
    client.force_login(alice)

    response = client.get(PAGE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "You have no API tokens" in page
    assert '<label for="id_name">Token name' in page


@pytest.mark.django_db
def test_created_token_is_shown_once_and_opens_the_api(client, alice):
    client.force_login(alice)

    created = client.post(PAGE, {"name": "Phone"})
    key = _new_key(created.content.decode())
    later = client.get(PAGE).content.decode()

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    assert key.startswith("prep_")
    assert key not in later
    assert "Phone" in later
    assert f"<code>{key[:10]}…</code>" in later
    me = _api_as(key).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.data["email"] == "alice@example.com"


@pytest.mark.django_db
def test_a_bearer_key_works_and_a_wrong_one_is_called_invalid(client, alice):
    # "Authorization: Bearer nope" was answered "Authentication credentials were not provided."
    client.force_login(alice)
    key = _new_key(client.post(PAGE, {"name": "CLI"}).content.decode())
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/me/").data["email"] == "alice@example.com"
    for header in ("Bearer nope", "Token nope"):
        api.credentials(HTTP_AUTHORIZATION=header)
        response = api.get("/api/v1/me/")
        assert response.status_code == 401
        assert response.json()["detail"] == "Invalid token."


@pytest.mark.django_db
def test_only_a_digest_of_the_key_is_stored(alice):
    token, key = api_token_create(user=alice, name="Laptop")

    stored = ApiToken.objects.filter(pk=token.pk).values()[0]

    assert key not in str(stored)
    assert stored["key_digest"] == ApiToken.digest(key)


@pytest.mark.django_db
def test_a_candidate_can_hold_several_tokens_and_revoke_one(client, alice):
    _, phone = api_token_create(user=alice, name="Phone")
    laptop_token, laptop = api_token_create(user=alice, name="Laptop")
    client.force_login(alice)

    response = client.post(f"{PAGE}{laptop_token.pk}/revoke/", follow=True)

    assert "Token “Laptop” is revoked" in response.content.decode()
    assert _api_as(laptop).get("/api/v1/me/").status_code == 401
    assert _api_as(phone).get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_another_candidates_token_cannot_be_revoked(client, alice, charlie):
    charlies_token, charlies_key = api_token_create(user=charlie, name="Phone")
    client.force_login(alice)

    response = client.post(f"{PAGE}{charlies_token.pk}/revoke/")

    assert response.status_code == 404
    assert _api_as(charlies_key).get("/api/v1/me/").data["email"] == "charlie@example.com"


@pytest.mark.django_db
def test_another_candidates_tokens_are_not_listed(client, alice, charlie):
    api_token_create(user=charlie, name="Charlie's secret laptop")
    client.force_login(alice)

    page = client.get(PAGE).content.decode()

    assert "Charlie&#x27;s secret laptop" not in page
    assert "You have no API tokens" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "This field is required."),
        ("phone", "You already have a token called “phone”."),
        ("x" * 61, "Ensure this value has at most 60 characters"),
    ],
)
def test_bad_token_names_are_refused_and_nothing_is_made(client, alice, name, message):
    api_token_create(user=alice, name="Phone")
    client.force_login(alice)

    response = client.post(PAGE, {"name": name})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="new-token"' not in response.content.decode()
    assert ApiToken.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
def test_tokens_are_limited_per_candidate(client, alice):
    for n in range(MAX_TOKENS_PER_USER):
        api_token_create(user=alice, name=f"Device {n}")
    client.force_login(alice)

    page = client.get(PAGE).content.decode()
    refused = client.post(PAGE, {"name": "One more"}).content.decode()

    assert "the most you can hold" in page
    assert "revoke one you no longer use first" in refused
    assert ApiToken.objects.filter(user=alice).count() == MAX_TOKENS_PER_USER


@pytest.mark.django_db
def test_revoking_only_happens_on_post(client, alice):
    token, _ = api_token_create(user=alice, name="Phone")
    client.force_login(alice)

    response = client.get(f"{PAGE}{token.pk}/revoke/")

    assert response.status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.django_db
def test_tokens_of_an_inactive_account_stop_working(alice):
    _, key = api_token_create(user=alice, name="Phone")
    alice.is_active = False
    alice.save()

    assert _api_as(key).get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
def test_token_page_costs_the_same_queries_for_one_or_many_tokens(
    client, alice, django_assert_num_queries
):
    client.force_login(alice)
    api_token_create(user=alice, name="Phone")
    # Session, user, tokens.
    with django_assert_num_queries(3):
        client.get(PAGE)
    for n in range(6):
        api_token_create(user=alice, name=f"Script {n}")
    with django_assert_num_queries(3):
        assert client.get(PAGE).content.decode().count("Revoke</button>") == 7


@pytest.mark.django_db
def test_staff_can_see_and_revoke_a_candidates_token_but_never_its_key(client, alice):
    from tests.factories import UserFactory

    token, key = api_token_create(user=alice, name="Phone")
    admin = UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get("/admin/accounts/apitoken/").content.decode()
    client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})

    assert "Phone" in listing
    assert "alice@example.com" in listing
    assert key not in listing
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert _api_as(key).get("/api/v1/me/").status_code == 401
