"""The practice form saves itself as the candidate types (static/js/practice-autosave.js).

The script posts the form to its own address with X-Prep-Autosave: 1 and shows the JSON answer's
message; the browser side is in tests/e2e/test_practice_autosave.py.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from practice.models import NOTE_MAX_LENGTH, PracticeStatus, QuestionProgress
from tests.practice.test_practice import practice_url

AUTOSAVE = {"HTTP_X_PREP_AUTOSAVE": "1"}


@pytest.fixture
def question(guide):
    return guide.questions.filter(round__isnull=False).first()


@pytest.mark.django_db
def test_typing_saves_the_notes_and_answers_when(client, alice, question):
    client.force_login(alice)
    response = client.post(
        practice_url(question), {"status": "new", "answer_draft": "First I would ask"}, **AUTOSAVE
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True
    assert body["message"].startswith("Saved at ")
    row = QuestionProgress.objects.get(user=alice, question=question)
    assert row.answer_draft == "First I would ask"
    assert row.status == PracticeStatus.NEW
    assert row.last_practised_at is None


@pytest.mark.django_db
def test_typing_more_notes_is_not_practising_again(client, alice, question):
    client.force_login(alice)
    client.post(practice_url(question), {"status": "practised"})
    earlier = timezone.now() - datetime.timedelta(days=3)
    QuestionProgress.objects.filter(user=alice).update(last_practised_at=earlier)

    client.post(
        practice_url(question), {"status": "practised", "answer_draft": "More."}, **AUTOSAVE
    )
    row = QuestionProgress.objects.get(user=alice)
    assert row.answer_draft == "More."
    assert row.last_practised_at == earlier


@pytest.mark.django_db
def test_choosing_a_status_saves_it_at_once(client, alice, question):
    client.force_login(alice)
    before = timezone.now()
    response = client.post(practice_url(question), {"status": "confident"}, **AUTOSAVE)
    assert response.status_code == 200
    row = QuestionProgress.objects.get(user=alice)
    assert row.status == PracticeStatus.CONFIDENT
    assert row.last_practised_at >= before


@pytest.mark.django_db
def test_an_oversized_note_is_refused_in_words_and_nothing_is_saved(client, alice, question):
    client.force_login(alice)
    client.post(practice_url(question), {"status": "new", "answer_draft": "Kept."}, **AUTOSAVE)
    response = client.post(
        practice_url(question),
        {"status": "new", "answer_draft": "x" * (NOTE_MAX_LENGTH + 1)},
        **AUTOSAVE,
    )
    assert response.status_code == 400
    body = response.json()
    assert body["saved"] is False
    assert body["message"].startswith("Not saved: ")
    assert "answer_draft" in body["errors"]
    assert QuestionProgress.objects.get(user=alice).answer_draft == "Kept."


@pytest.mark.django_db
def test_autosave_needs_the_forms_csrf_token(alice, question):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    response = browser.post(practice_url(question), {"answer_draft": "Hi"}, **AUTOSAVE)
    assert response.status_code == 403
    assert not QuestionProgress.objects.exists()


@pytest.mark.django_db
def test_one_candidates_autosave_never_touches_anothers_notes(client, alice, bob, question):
    client.force_login(bob)
    client.post(practice_url(question), {"status": "new", "answer_draft": "Bob's."}, **AUTOSAVE)
    client.force_login(alice)
    client.post(practice_url(question), {"status": "new", "answer_draft": "Alice's."}, **AUTOSAVE)
    assert QuestionProgress.objects.get(user=bob).answer_draft == "Bob's."
    assert QuestionProgress.objects.get(user=alice).answer_draft == "Alice's."


@pytest.mark.django_db
def test_a_signed_out_autosave_is_told_so_and_saves_nothing(client, question):
    # A redirect to the login page was followed by the script, a 200 it took for "Saved.".
    response = client.post(practice_url(question), {"answer_draft": "Hi"}, **AUTOSAVE)
    assert response.status_code == 403
    assert response.json()["saved"] is False
    assert not QuestionProgress.objects.exists()


@pytest.mark.django_db
def test_the_question_page_loads_the_autosave_script(client, alice, question):
    client.force_login(alice)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "js/practice-autosave.js" in page
    assert "data-autosave " in page


@pytest.mark.django_db(transaction=True)
def test_a_save_that_crosses_the_autosave_of_the_first_notes_is_kept(alice, question):
    """The autosave of a status choice and the Save button a moment later, on a question never
    practised: both find no row and both insert. The second must not be told its notes "were
    saved from another tab": it applies its change to the row the first made."""
    import threading

    from django.db import connection
    from django.db.models.signals import pre_save

    from practice.services import question_practice

    def autosave_commits_first(sender, instance, **kwargs):
        # Runs as the Save button's request is about to insert: the autosave's row lands first,
        # committed from another connection, exactly between our lookup and our insert.
        if instance.pk is not None or crossed:
            return
        crossed.append(True)

        def autosave():
            try:
                QuestionProgress.objects.create(
                    user=alice,
                    question=question,
                    guide_id=question.guide_id,
                    status=PracticeStatus.PRACTISED,
                    last_practised_at=timezone.now(),
                )
            finally:
                connection.close()

        thread = threading.Thread(target=autosave)
        thread.start()
        thread.join()

    crossed: list[bool] = []
    pre_save.connect(autosave_commits_first, sender=QuestionProgress)
    try:
        saved = question_practice(
            user=alice,
            question=question,
            status=PracticeStatus.PRACTISED,
            answer_draft="Start from the ledger",
        )
    finally:
        pre_save.disconnect(autosave_commits_first, sender=QuestionProgress)

    assert crossed
    row = QuestionProgress.objects.get(user=alice, question=question)
    assert row.pk == saved.pk
    assert (row.status, row.answer_draft) == (PracticeStatus.PRACTISED, "Start from the ledger")


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, AUTOSAVE], ids=["save-button", "autosave"])
def test_a_note_at_the_limit_with_many_lines_is_saved(client, alice, question, headers):
    # The textarea lets the candidate type NOTE_MAX_LENGTH characters, counting each line break
    # as one; the browser sends each as CRLF, which put a 500-line note 500 characters "over".
    lines = ["x" * 19] * 500  # 500 lines of 19 characters and 499 breaks: 9,999 as typed
    typed = "\n".join(lines) + "x"
    assert len(typed) == NOTE_MAX_LENGTH
    client.force_login(alice)
    response = client.post(
        practice_url(question),
        {"status": "practised", "answer_draft": typed.replace("\n", "\r\n")},
        **headers,
    )
    assert response.status_code in (200, 302)
    assert QuestionProgress.objects.get(user=alice, question=question).answer_draft == typed


@pytest.mark.django_db
def test_a_new_status_sends_the_line_under_it_updated(client, alice, question):
    # "Saved at 14:31." while the line under the status still said "Not practised yet."
    client.force_login(alice)
    body = client.post(practice_url(question), {"status": "practised"}, **AUTOSAVE).json()
    assert body["last_practised"].startswith("Last practised ")
    assert "Europe/London</time>)." in body["last_practised"]
    assert "Not practised yet" not in body["last_practised"]
