"""Published pages come from the cache for anonymous visitors, and every edit shows at once."""

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from questions.models import Question
from rounds.models import GuideStatus
from tests.factories import build_guide

SEED = Path(__file__).resolve().parents[2] / "content" / "okx-head-of-engineering.yaml"


def _round_url(guide) -> str:
    return reverse("rounds:detail", args=[guide.slug, "round-1"])


@pytest.mark.django_db
@pytest.mark.parametrize("questions_per_round", [1, 40])
def test_a_repeat_visit_to_a_guide_page_costs_no_queries(
    visitor, django_assert_num_queries, questions_per_round
):
    guide = build_guide(slug="sized", rounds=3, questions_per_round=questions_per_round)
    first = visitor.get(guide.get_absolute_url())

    with django_assert_num_queries(0):
        again = visitor.get(guide.get_absolute_url())

    assert again.status_code == 200
    assert again.content == first.content


@pytest.mark.django_db
def test_question_bank_filters_are_cached_separately(guide, visitor):
    bank = reverse("questions:list", args=[guide.slug])
    Question.objects.filter(guide=guide, round__slug="round-2").update(kind="strategy")

    everything = visitor.get(bank).content.decode()
    strategy = visitor.get(bank, {"kind": "strategy"}).content.decode()

    assert "questions" in everything
    assert everything != strategy


@pytest.mark.django_db
def test_question_edited_in_the_admin_shows_on_the_cached_round_page(
    guide, visitor, recruiter_client, admin_user
):
    from rounds.models import StagedEdit
    from rounds.staging import staged_edit_approve, staged_edit_request_review

    question = Question.objects.filter(guide=guide, round__slug="round-1").first()
    assert question.text in visitor.get(_round_url(guide)).content.decode()

    response = recruiter_client.post(
        reverse("admin:questions_question_change", args=[question.pk]),
        {
            "guide": guide.pk,
            "round": question.round_id,
            "region": "",
            "kind": question.kind,
            "text": "How would you rebuild the matching engine?",
            "slug": question.slug,
            "order": question.order,
            "guidance": question.guidance,
            "tags": [tag.pk for tag in question.tags.all()],
            "last_reviewed": "",
        },
    )

    assert response.status_code == 302
    # A recruiter's edit of a published guide is staged: the cached page stays as published.
    assert question.text in visitor.get(_round_url(guide)).content.decode()
    edit = StagedEdit.objects.get()
    staged_edit_request_review(edit=edit, user=edit.author)
    staged_edit_approve(edit=edit, user=admin_user)

    page = visitor.get(_round_url(guide)).content.decode()
    assert "How would you rebuild the matching engine?" in page
    assert question.text not in page


@pytest.mark.django_db
def test_question_unpublished_by_admin_bulk_action_leaves_the_cached_bank(
    guide, visitor, recruiter_client
):
    bank = reverse("questions:list", args=[guide.slug])
    question = Question.objects.filter(guide=guide, round__slug="round-1").first()
    assert question.text in visitor.get(bank).content.decode()

    recruiter_client.post(
        reverse("admin:questions_question_changelist"),
        {"action": "unpublish", "_selected_action": [question.pk], "confirm": "yes"},
    )

    assert question.text not in visitor.get(bank).content.decode()


@pytest.mark.django_db
def test_guide_unpublished_in_the_admin_stops_being_served_from_the_cache(
    guide, visitor, recruiter_client
):
    assert visitor.get(guide.get_absolute_url()).status_code == 200

    recruiter_client.post(
        reverse("admin:rounds_guide_changelist"),
        {"action": "unpublish", "_selected_action": [guide.pk], "confirm": "yes"},
    )

    assert visitor.get(guide.get_absolute_url()).status_code == 404
    assert visitor.get(_round_url(guide)).status_code == 404
    assert guide.title not in visitor.get(reverse("rounds:home")).content.decode()


@pytest.mark.django_db
def test_a_reimported_guide_shows_its_new_text_at_once(visitor, tmp_path):
    call_command("import_guide", str(SEED), verbosity=0)
    url = reverse("rounds:guide", args=["okx-head-of-engineering"])
    assert "Rewritten summary from the recruiters" not in visitor.get(url).content.decode()

    data = yaml.safe_load(SEED.read_text())
    data["summary"] = "Rewritten summary from the recruiters."
    edited = tmp_path / "okx.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    call_command("import_guide", str(edited), verbosity=0)

    assert "Rewritten summary from the recruiters." in visitor.get(url).content.decode()


@pytest.mark.django_db
def test_a_draft_previewed_by_staff_is_never_served_to_visitors(recruiter_client, visitor):
    draft = build_guide(slug="secret-draft", company="Secretco", status=GuideStatus.DRAFT)

    preview = recruiter_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "Secretco" in preview.content.decode()

    assert visitor.get(draft.get_absolute_url()).status_code == 404
    assert visitor.get(_round_url(draft)).status_code == 404
    assert "Secretco" not in visitor.get(reverse("rounds:home")).content.decode()


@pytest.mark.django_db
def test_a_draft_question_seen_by_staff_is_not_cached_for_visitors(
    guide, recruiter_client, visitor
):
    hidden = Question.objects.filter(guide=guide, round__slug="round-1").first()
    hidden.is_published = False
    hidden.save()

    assert hidden.text in recruiter_client.get(_round_url(guide)).content.decode()
    assert hidden.text not in visitor.get(_round_url(guide)).content.decode()


@pytest.mark.django_db
def test_signed_in_candidate_never_gets_the_anonymous_copy(guide, visitor, alice):
    assert "Log in" in visitor.get(guide.get_absolute_url()).content.decode()
    client = Client()
    client.force_login(alice)

    page = client.get(guide.get_absolute_url()).content.decode()

    assert "Log out" in page
    assert "Log in</a>" not in page


@pytest.mark.django_db
def test_a_cached_public_page_carries_no_csrf_token_or_cookie(guide, visitor):
    visitor.get(guide.get_absolute_url())
    response = visitor.get(guide.get_absolute_url())

    assert not re.search(r"csrfmiddlewaretoken", response.content.decode())
    assert "csrftoken" not in response.cookies
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_public_api_answer_follows_an_edit_at_once(guide):
    api = Client()
    url = f"/api/v1/questions/?guide={guide.slug}"
    first = api.get(url).json()["results"][0]
    question = Question.objects.get(pk=first["id"])
    assert first["text"] == question.text

    question.text = "What would you change in the first 90 days?"
    question.save()

    assert "What would you change in the first 90 days?" in api.get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("questions_per_round", [1, 40])
def test_a_repeat_anonymous_api_call_costs_no_queries(
    django_assert_num_queries, questions_per_round
):
    guide = build_guide(slug="sized", rounds=3, questions_per_round=questions_per_round)
    api = Client()
    url = f"/api/v1/questions/?guide={guide.slug}"
    first = api.get(url)

    with django_assert_num_queries(0):
        again = api.get(url)

    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
