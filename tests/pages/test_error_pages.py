import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.pages.pagetext import page_text


@pytest.mark.django_db
def test_404_page_helps_visitors_find_their_way(client):
    response = client.get("/no/such/page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "We can’t find that page" in page_text(response)
    assert 'action="/search/"' in body
    assert 'href="/"' in body
    assert "<title>Page not found · Prep</title>" in body


# No django_db mark on purpose: any database access here would raise, failing the test.
def test_500_page_renders_without_touching_the_database():
    response = server_error(RequestFactory().get("/boom/"))

    text = page_text(response)
    assert response.status_code == 500
    assert "Something went wrong on our side" in text
    assert "Go to the home page" in text
