"""A session that ends while a candidate types loses nothing and ends on a page, not a blank.

Before: a form posted after the session had ended went to the login page and back to its own
address, which only takes a form (an empty 405), with what was typed gone; the autosave followed
the redirect to the login page, got a 200 and said "Saved.".
"""

import re

import pytest
from django.urls import reverse

from practice.models import QuestionProgress, Review
from tests.factories import EnrolmentFactory

PASSWORD = "correct horse battery staple"
DRAFT = "Start from the settlement ledger, then the risk engine."


@pytest.fixture
def question(guide):
    return guide.questions.filter(round__isnull=False).order_by("pk").first()


def practise_url(question) -> str:
    return reverse("practice:question", args=[question.guide.slug, question.slug])


def rate_url(question) -> str:
    return reverse("practice:rate", args=[question.guide.slug, question.slug])


def log_in_again(client, user):
    response = client.post(
        reverse("accounts:login") + "?" + client.next_query,
        {"username": user.email, "password": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("url", [practise_url, rate_url])
def test_notes_sent_after_the_session_ended_are_filled_in_again_after_the_login(
    client, alice, question, url
):
    page = question.get_absolute_url()
    sent = client.post(
        url(question),
        {"status": "practised", "answer_draft": DRAFT, "rating": "3"},
        headers={"Referer": f"http://testserver{page}"},
    )

    assert sent.status_code == 302
    login_page = client.get(sent.url)
    assert "Log in and it is filled in again for you to save." in login_page.content.decode()
    client.next_query = sent.url.split("?", 1)[1]
    after = log_in_again(client, alice)

    assert after.redirect_chain[-1][0] == page
    html = after.content.decode()
    assert "Your session had ended before these notes were saved." in html
    assert DRAFT in html
    assert re.search(r'<input type="radio" name="status" value="practised"[^>]* checked>', html)
    assert not QuestionProgress.objects.exists() and not Review.objects.exists()
    # Filled in once: the next visit shows what is saved (nothing yet).
    assert DRAFT not in client.get(page).content.decode()


@pytest.mark.django_db
def test_the_autosave_of_a_signed_out_page_is_told_the_session_ended(client, question):
    response = client.post(
        practise_url(question),
        {"status": "new", "answer_draft": DRAFT},
        headers={"X-Prep-Autosave": "1", "Accept": "application/json"},
    )

    assert response.status_code == 403
    assert response.json() == {
        "saved": False,
        "message": "Not saved: your session has ended. Copy your text, then log in again.",
    }


@pytest.mark.django_db
def test_another_form_sent_signed_out_says_it_was_not_saved_and_returns_to_its_page(
    client, alice, guide
):
    enrolment = EnrolmentFactory(user=alice, guide=guide)
    task = guide.study_blocks.first().tasks.first()
    toggle = reverse("studyplan:task_toggle", args=[enrolment.pk, task.pk])

    sent = client.post(toggle, headers={"Referer": "http://testserver/dashboard/"})

    assert sent.url == reverse("accounts:login") + "?next=/dashboard/"
    assert "that was not saved. Log in, then try again." in client.get(sent.url).content.decode()


@pytest.mark.django_db
def test_a_referer_from_another_site_is_not_followed(client, question):
    sent = client.post(
        practise_url(question),
        {"status": "new", "answer_draft": DRAFT},
        headers={"Referer": "https://evil.example/phish"},
    )

    assert sent.url == reverse("accounts:login") + "?next=" + reverse("studyplan:dashboard")


@pytest.mark.django_db
def test_an_address_that_takes_a_form_opened_as_a_page_explains_itself(client, alice, question):
    client.force_login(alice)

    response = client.get(practise_url(question))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert "<h1>This address sends a form</h1>" in html
    assert 'href="/dashboard/"' in html


@pytest.mark.django_db
def test_with_javascript_the_browser_goes_to_the_login_page_instead_of_swapping_it_in(
    client, question
):
    """htmx followed the redirect and put a whole login page, header and all, into the form."""
    sent = client.post(
        practise_url(question),
        {"status": "new", "answer_draft": DRAFT},
        headers={
            "HX-Request": "true",
            "Referer": f"http://testserver{question.get_absolute_url()}",
        },
    )

    assert sent.status_code == 204
    assert sent["HX-Redirect"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.django_db
def test_a_rating_sent_after_the_session_ended_is_said_to_be_lost(client, alice, question):
    page = question.get_absolute_url()
    sent = client.post(
        rate_url(question),
        {"status": "new", "answer_draft": DRAFT, "rating": "1"},
        headers={"Referer": f"http://testserver{page}"},
    )
    client.next_query = sent.url.split("?", 1)[1]

    html = log_in_again(client, alice).content.decode()

    assert "Your rating was not recorded either: rate the question again below." in html
    assert not Review.objects.exists()
