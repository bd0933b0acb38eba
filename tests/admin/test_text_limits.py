"""The admin holds guide texts to the same limits as guide files, next to the field.

Before, the admin took any length while imports refused over 20,000 characters (2,000 an item):
a draft guide saved a text its own export could not import again, and on a published guide the
staged change was refused on another page, naming YAML line numbers, with the typed text gone.
"""

import pytest
from django.urls import reverse

from prep.content_limits import ITEM_MAX_CHARS, TEXT_MAX_CHARS
from questions.models import Question
from rounds.content_io.exporter import guide_export
from rounds.content_io.loader import decode_content, load_located
from rounds.content_io.schema import validate_guide
from rounds.models import GuideStatus, Round, StagedEdit
from studyplan.models import StudyTask
from tests.admin.test_staged_edits import change_form_data, edit_question
from tests.factories import build_guide


def imports_again(guide) -> bool:
    validate_guide(load_located(decode_content(guide_export(guide=guide).encode())))
    return True


def post_change(client, user, obj, admin_name: str, **changes):
    client.force_login(user)
    url = reverse(f"admin:{admin_name}_change", args=[obj.pk])
    data = change_form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


@pytest.fixture
def draft(db):
    return build_guide(slug="draft-guide", rounds=1, regions=0, status=GuideStatus.DRAFT)


@pytest.mark.django_db
def test_a_round_description_over_the_limit_is_refused_beside_the_field_and_kept(
    rita, client, draft
):
    rnd = draft.rounds.get()
    typed = "Describe the loop. " * 1100 + "End."  # 20,904 characters

    response = post_change(client, rita, rnd, "rounds_round", description=typed)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"This text is {len(typed):,} characters long; the limit is 20,000." in page
    assert typed in page  # still in the textarea, nothing to type again
    rnd.refresh_from_db()
    assert rnd.description != typed


@pytest.mark.django_db
def test_a_text_at_the_limit_is_saved_and_the_guide_exports_and_imports_again(rita, client, draft):
    rnd = draft.rounds.get()
    # A browser sends each line break as CRLF; it counts once, as in the file.
    typed = "\r\n".join(["x" * 99] * (TEXT_MAX_CHARS // 100))
    assert len(typed.replace("\r\n", "\n")) == TEXT_MAX_CHARS - 1

    response = post_change(client, rita, rnd, "rounds_round", description=typed)

    assert response.status_code == 302
    assert imports_again(draft)


@pytest.mark.django_db
def test_one_item_over_the_item_limit_is_refused(rita, client, draft):
    rnd = draft.rounds.get()
    items = "Clear ownership\n" + "y" * (ITEM_MAX_CHARS + 1) + "\nCalm under pressure"

    response = post_change(client, rita, rnd, "rounds_round", evaluation_criteria=items)

    assert response.status_code == 200
    assert "Item 2 is 2,001 characters long; the limit is 2,000 an item." in (
        response.content.decode()
    )
    assert Round.objects.get(pk=rnd.pk).evaluation_criteria == ""


@pytest.mark.django_db
def test_a_study_task_on_two_lines_is_refused(rita, client, draft):
    task = StudyTask.objects.filter(block__guide=draft).first()
    block = task.block
    client.force_login(rita)
    url = reverse("admin:studyplan_studyblock_change", args=[block.pk])
    data = change_form_data(client.get(url))
    prefix = next(k for k, v in data.items() if k.endswith("-text") and v == task.text)[
        : -len("text")
    ]
    data[prefix + "text"] = "Read the annual report.\r\nSummarise it."

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Keep this to one line: make it two items instead." in response.content.decode()
    task.refresh_from_db()
    assert "\n" not in task.text
    assert imports_again(draft)


@pytest.mark.django_db
def test_on_a_published_guide_a_long_question_comes_back_in_its_form_and_nothing_is_staged(
    rita, client
):
    guide = build_guide(slug="published-guide", rounds=1, regions=0)
    question = guide.questions.first()
    typed = "How would you scale the matching engine? " * 500 + "Go."

    response = edit_question(client, rita, question, text=typed)

    assert response.status_code == 200
    page = response.content.decode()
    assert "the limit is 20,000" in page
    assert typed in page
    assert not StagedEdit.objects.exists()
    assert Question.objects.get(pk=question.pk).text == question.text


@pytest.mark.django_db
def test_a_change_the_guide_file_would_refuse_comes_back_in_its_form_with_the_reason(
    rita, client, monkeypatch
):
    """A rule of the file format the form does not know still keeps what was typed."""
    from rounds import staging
    from rounds.content_io.errors import ContentError, ContentFileInvalid

    guide = build_guide(slug="published-guide", rounds=1, regions=0)
    question = guide.questions.first()

    def refuse(_spec):
        raise ContentFileInvalid([ContentError(12, "rounds[0].questions[0].text", "is odd")])

    monkeypatch.setattr(staging, "validate_guide", refuse)
    typed = "A reworded question nobody must lose"

    response = edit_question(client, rita, question, text=typed)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This change cannot be staged: line 12: rounds[0].questions[0].text: is odd" in page
    assert typed in page
    assert not StagedEdit.objects.exists()
    assert Question.objects.get(pk=question.pk).text == question.text
