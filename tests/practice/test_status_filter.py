"""The question bank and the API list filter by the candidate's own status."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.api_tokens import api_token_create
from practice.services import question_practice
from tests.factories import QuestionFactory, build_guide


@pytest.fixture
def bank(db, alice):
    """Alice practised one question, is confident in another and has not started the third."""
    guide = build_guide(slug="okx", rounds=1, questions_per_round=0, regions=0)
    rnd = guide.rounds.get()
    practised, confident, fresh = (
        QuestionFactory(guide=guide, round=rnd, text=f"{word} question?")
        for word in ("Practised", "Confident", "Fresh")
    )
    question_practice(user=alice, question=practised, status="practised")
    question_practice(user=alice, question=confident, status="confident")
    # Notes without a status are still new.
    question_practice(user=alice, question=fresh, answer_draft="Thoughts")
    return guide


def bank_url(guide, **params) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return reverse("questions:list", args=[guide.slug]) + (f"?{query}" if query else "")


def listed(page: str) -> set[str]:
    return {word for word in ("Practised", "Confident", "Fresh") if f">{word} question?<" in page}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status,expected",
    [("new", {"Fresh"}), ("practised", {"Practised"}), ("confident", {"Confident"})],
)
def test_bank_filters_by_my_status(client, alice, bank, status, expected):
    client.force_login(alice)
    page = client.get(bank_url(bank, status=status)).content.decode()
    assert listed(page) == expected
    # The choice stays in the form and is listed among the active filters, removable.
    assert re.search(rf'<input type="radio" name="status" value="{status}"[^>]* checked>', page)
    assert f"My status: {status.capitalize()}" in page


@pytest.mark.django_db
def test_my_status_options_say_how_many_questions_each_would_show(client, alice, bank):
    """The other filters had counts; "My status" had none."""
    client.force_login(alice)

    page = client.get(bank_url(bank)).content.decode()

    status_group = page[page.index("<legend>My status</legend>") :]
    status_group = status_group[: status_group.index("</fieldset>")]
    for label, count in (("Any status", 3), ("New", 1), ("Practised", 1), ("Confident", 1)):
        assert f'{label} <span class="count">({count})</span>' in status_group
    # With another filter on, the counts are of what it leaves.
    page = client.get(bank_url(bank, q="Fresh")).content.decode()
    status_group = page[page.index("<legend>My status</legend>") :]
    assert 'New <span class="count">(1)</span>' in status_group
    assert 'Practised <span class="count">(0)</span>' in status_group


@pytest.mark.django_db
def test_new_includes_questions_i_never_opened_and_survives_deleted_questions(client, alice, bank):
    gone = QuestionFactory(guide=bank, round=bank.rounds.get(), text="Gone question?")
    question_practice(user=alice, question=gone, status="practised")
    gone.delete()
    QuestionFactory(guide=bank, round=bank.rounds.get(), text="Untouched question?")
    client.force_login(alice)
    page = client.get(bank_url(bank, status="new")).content.decode()
    assert listed(page) == {"Fresh"}
    assert ">Untouched question?<" in page
    assert "2 questions match your filters" in page


@pytest.mark.django_db
def test_charlie_filters_by_his_own_status_not_alices(client, charlie, bank):
    client.force_login(charlie)
    assert listed(client.get(bank_url(bank, status="new")).content.decode()) == {
        "Practised",
        "Confident",
        "Fresh",
    }
    assert listed(client.get(bank_url(bank, status="confident")).content.decode()) == set()


@pytest.mark.django_db
def test_visitors_have_no_status_filter_and_a_status_in_the_address_is_ignored(bank):
    page = Client().get(bank_url(bank, status="confident")).content.decode()
    assert listed(page) == {"Practised", "Confident", "Fresh"}
    assert "My status" not in page


@pytest.mark.django_db
def test_an_unknown_status_is_explained_and_ignored(client, alice, bank):
    client.force_login(alice)
    response = client.get(bank_url(bank, status="mastered"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "My status: choose new, practised or confident; that filter is ignored." in page
    assert listed(page) == {"Practised", "Confident", "Fresh"}


def api_list(client, **params) -> list[str]:
    response = client.get(reverse("api:question-list"), params)
    assert response.status_code == 200, response.content
    return sorted(item["text"] for item in response.json()["results"])


@pytest.mark.django_db
def test_api_question_list_filters_by_the_callers_status(alice, charlie, bank):
    as_alice, as_charlie = APIClient(), APIClient()
    as_alice.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=alice, name='a')[1]}")
    as_charlie.force_authenticate(charlie)
    assert api_list(as_alice, status="practised") == ["Practised question?"]
    assert api_list(as_alice, status="new") == ["Fresh question?"]
    # The same address answers Charlie from his own practice, not from Alice's stored answer.
    assert api_list(as_charlie, status="practised") == []
    assert api_list(as_charlie, status="new") == [
        "Confident question?",
        "Fresh question?",
        "Practised question?",
    ]
    response = as_alice.get(reverse("api:question-list"), {"status": "confident"})
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


@pytest.mark.django_db
def test_api_status_filter_needs_authentication_and_a_known_status(alice, bank):
    response = APIClient().get(reverse("api:question-list"), {"status": "new"})
    assert response.status_code == 400
    assert "needs authentication" in response.content.decode()
    client = APIClient()
    client.force_authenticate(alice)
    assert client.get(reverse("api:question-list"), {"status": "mastered"}).status_code == 400
    # Without status the list is the public one, the same for everyone.
    assert len(api_list(APIClient())) == 3
