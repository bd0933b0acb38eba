"""An address pasted with capitals finds its page; nothing else is redirected."""

import pytest

from tests.factories import build_guide


@pytest.fixture
def guide(db):
    return build_guide(slug="okx-head-of-engineering", rounds=1, regions=0)


@pytest.mark.django_db
def test_a_guide_address_in_capitals_is_redirected_to_its_page(client, guide):
    response = client.get("/guides/OKX-Head-Of-Engineering/questions/?kind=leadership")

    assert response.status_code == 301
    assert response["Location"] == "/guides/okx-head-of-engineering/questions/?kind=leadership"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/guides/NO-SUCH-GUIDE/", "/NOWHERE/", "/api/v1/GUIDES/", "/guides/okx/nope/"]
)
def test_an_address_that_is_not_a_page_in_lower_case_either_is_a_404(client, guide, path):
    response = client.get(path, follow=True)

    assert response.status_code == 404
    assert len(response.redirect_chain) <= 1


@pytest.mark.django_db
def test_a_form_posted_to_capitals_is_not_redirected(client, guide):
    assert client.post("/guides/OKX-HEAD-OF-ENGINEERING/enrol/").status_code != 301


@pytest.mark.django_db
def test_an_address_holding_a_token_is_never_lowercased(client, guide):
    # Tokens are case-sensitive: a calendar address with a wrong token stays a 404.
    assert client.get("/calendar/AbCdEfGh.ics").status_code == 404
