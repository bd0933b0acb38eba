"""Recruiters reach every content page of the admin; nobody else gets in."""

import pytest
from django.urls import reverse

from questions.models import Question, Tag
from rounds.models import Region, Round
from studyplan.models import StudyBlock


def content_urls(guide) -> list[str]:
    rnd = Round.objects.filter(guide=guide).first()
    question = Question.objects.filter(guide=guide).first()
    block = StudyBlock.objects.filter(guide=guide).first()
    region = Region.objects.first()
    tag = Tag.objects.first()
    return [
        reverse("admin:index"),
        reverse("admin:rounds_guide_changelist"),
        reverse("admin:rounds_guide_add"),
        reverse("admin:rounds_guide_change", args=[guide.pk]),
        reverse("admin:rounds_guide_import"),
        reverse("admin:rounds_guide_completeness"),
        reverse("admin:rounds_round_changelist"),
        reverse("admin:rounds_round_add"),
        reverse("admin:rounds_round_change", args=[rnd.pk]),
        reverse("admin:rounds_region_changelist"),
        reverse("admin:rounds_region_add"),
        reverse("admin:rounds_region_change", args=[region.pk]),
        reverse("admin:questions_question_changelist"),
        reverse("admin:questions_question_add"),
        reverse("admin:questions_question_change", args=[question.pk]),
        reverse("admin:questions_tag_changelist"),
        reverse("admin:questions_tag_add"),
        reverse("admin:questions_tag_change", args=[tag.pk]),
        reverse("admin:studyplan_studyblock_changelist"),
        reverse("admin:studyplan_studyblock_add"),
        reverse("admin:studyplan_studyblock_change", args=[block.pk]),
        reverse("admin:reminders_reminderdelivery_changelist"),
    ]


@pytest.mark.django_db
def test_every_content_admin_page_loads_for_a_recruiter(recruiter_client, seed_guide):
    for url in content_urls(seed_guide):
        response = recruiter_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_guide_change_page_shows_every_section_inline(recruiter_client, seed_guide):
    response = recruiter_client.get(reverse("admin:rounds_guide_change", args=[seed_guide.pk]))
    page = response.content.decode()

    assert "Technical and Leadership Capabilities" in page
    assert "Executive Strategy and Vision" in page
    assert "Regional differences" in page
    assert "Company and Self-Assessment" in page
    # Each block's checklist and each round's questions are edited right on the guide page.
    # One checklist per block, and one in the template of a new block.
    checklists = page.count("Checklist (tasks candidates tick off)")
    assert checklists == seed_guide.study_blocks.count() + 1
    assert "Questions asked in this round" in page
    assert reverse("admin:rounds_guide_export", args=[seed_guide.pk]) in page
    assert f"{reverse('admin:rounds_guide_completeness')}?guide={seed_guide.pk}" in page
    assert "View on site" in page


@pytest.mark.django_db
def test_admin_refuses_a_candidate_and_sends_them_to_log_in(client, alice, seed_guide):
    client.force_login(alice)
    for url in content_urls(seed_guide):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


@pytest.mark.django_db
def test_admin_refuses_a_visitor(client, seed_guide):
    response = client.get(reverse("admin:rounds_guide_export", args=[seed_guide.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_a_recruiter_cannot_reach_the_users_admin(recruiter_client, alice):
    assert recruiter_client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    assert recruiter_client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_recruiter_cannot_edit_reminder_deliveries_or_groups(recruiter_client):
    assert recruiter_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    page = recruiter_client.get(reverse("admin:index")).content.decode()
    assert "Reminder deliveries" in page
    assert "Groups" not in page


@pytest.mark.django_db
def test_staff_without_the_recruiters_group_cannot_import(client, seed_guide):
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="intern@example.com", is_staff=True))

    assert client.get(reverse("admin:rounds_guide_import")).status_code == 403
    assert client.get(reverse("admin:rounds_guide_completeness")).status_code == 403
    url = reverse("admin:rounds_guide_export", args=[seed_guide.pk])
    assert client.get(url).status_code == 403
