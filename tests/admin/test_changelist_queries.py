"""Admin lists cost the same number of queries however much content there is."""

import pytest
from django.urls import reverse

from tests.factories import build_guide

SIZES = [(1, 2), (5, 10)]


@pytest.mark.django_db
@pytest.mark.parametrize("guides,rounds", SIZES)
def test_guide_changelist_queries_are_fixed(
    recruiter_client, django_assert_num_queries, guides, rounds
):
    for _ in range(guides):
        build_guide(rounds=rounds, questions_per_round=2, regions=1, blocks=2, tasks_per_block=1)

    # One of them asks whether the recruiter may see the Insight column (once, not per row).
    with django_assert_num_queries(9):
        response = recruiter_client.get(reverse("admin:rounds_guide_changelist"))

    assert response.status_code == 200
    assert f'<td class="field-round_count">{rounds}</td>' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("guides,rounds", SIZES)
def test_question_changelist_queries_are_fixed(
    recruiter_client, django_assert_num_queries, guides, rounds
):
    for _ in range(guides):
        build_guide(rounds=rounds, questions_per_round=5, regions=1, blocks=1, tasks_per_block=1)

    with django_assert_num_queries(11):
        response = recruiter_client.get(reverse("admin:questions_question_changelist"))

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("guides,rounds", SIZES)
def test_study_block_changelist_queries_are_fixed(
    recruiter_client, django_assert_num_queries, guides, rounds
):
    for _ in range(guides):
        build_guide(rounds=rounds, questions_per_round=1, regions=1, blocks=4, tasks_per_block=2)

    with django_assert_num_queries(8):
        response = recruiter_client.get(reverse("admin:studyplan_studyblock_changelist"))

    assert response.status_code == 200
    assert '<td class="field-task_count">2</td>' in response.content.decode()
