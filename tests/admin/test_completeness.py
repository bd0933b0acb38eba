import pytest
from django.urls import reverse

from questions.models import QuestionKind
from rounds.models import Round
from tests.factories import QuestionFactory, StudyBlockFactory, build_guide

# Session, user, the user's and group's permissions, the guides, their criteria, rounds,
# regional variants, study blocks and one aggregate over their questions.
COMPLETENESS_QUERIES = 10


def page_text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_completeness_lists_what_the_seed_guide_still_lacks(recruiter_client, seed_guide):
    response = recruiter_client.get(reverse("admin:rounds_guide_completeness"))

    page = page_text(response)
    assert response.status_code == 200
    assert "0 of 1 guide complete." in page
    assert "preparation tips" in page
    assert "Evaluation criterion “Technical and Leadership Capabilities”" in page
    assert "Commonly asked DSA questions" in page
    assert "no coding questions" in page
    assert "Round 1: HR Screening" in page
    assert (
        "what interviewers look for, evaluation criteria, preparation tips, "
        "common reasons for rejection</td>"
    ) in page
    assert "Region: Asia" in page
    assert "interview focus, tips" in page
    # Every block of the seed has its tasks, headline and description.
    assert "Study plan, weeks" not in page


@pytest.mark.django_db
def test_completeness_links_each_gap_to_where_it_is_written(recruiter_client, seed_guide):
    page = page_text(recruiter_client.get(reverse("admin:rounds_guide_completeness")))

    first_round = Round.objects.get(guide=seed_guide, order=1)
    assert reverse("admin:rounds_round_change", args=[first_round.pk]) in page
    add_question = reverse("admin:questions_question_add")
    assert f"{add_question}?guide={seed_guide.pk}&amp;kind=coding" in page


@pytest.mark.django_db
def test_a_guide_with_everything_written_is_reported_complete(recruiter_client):
    guide = build_guide(rounds=1, questions_per_round=1, regions=1, blocks=1, tasks_per_block=1)
    guide.preparation_tips = "Sleep well."
    guide.save()
    guide.criteria.update(description="Clear thinking.")
    guide.rounds.update(
        what_interviewers_look_for="Clarity",
        evaluation_criteria="Depth",
        preparation_tips="Practise",
        rejection_reasons="Vagueness",
    )
    QuestionFactory(guide=guide, kind=QuestionKind.CODING)

    page = page_text(recruiter_client.get(reverse("admin:rounds_guide_completeness")))

    assert "1 of 1 guide complete." in page
    assert "Every section has content." in page


@pytest.mark.django_db
def test_a_block_without_tasks_is_reported(recruiter_client):
    guide = build_guide(rounds=1, questions_per_round=1, regions=0, blocks=1, tasks_per_block=1)
    StudyBlockFactory(guide=guide, start_week=7, end_week=8, title="Mock interviews")

    page = page_text(recruiter_client.get(reverse("admin:rounds_guide_completeness")))

    assert "Study plan, weeks 7-8: Mock interviews" in page


@pytest.mark.django_db
def test_completeness_can_show_a_single_guide(recruiter_client, seed_guide):
    other = build_guide(rounds=1, questions_per_round=1, regions=0, blocks=1, tasks_per_block=1)
    url = reverse("admin:rounds_guide_completeness")

    page = page_text(recruiter_client.get(url, {"guide": seed_guide.pk}))

    assert "Head of Engineering at OKX" in page
    assert str(other) not in page
    assert "Show every guide" in page
    assert "No guides yet." in page_text(recruiter_client.get(url, {"guide": "abc"}))
    assert "No guides yet." in page_text(recruiter_client.get(url, {"guide": "²"}))


@pytest.mark.django_db
@pytest.mark.parametrize("guides,rounds", [(1, 2), (6, 8)])
def test_completeness_uses_a_fixed_number_of_queries(
    recruiter_client, django_assert_num_queries, guides, rounds
):
    for _ in range(guides):
        build_guide(rounds=rounds, questions_per_round=3, regions=2, blocks=4, tasks_per_block=2)

    with django_assert_num_queries(COMPLETENESS_QUERIES):
        response = recruiter_client.get(reverse("admin:rounds_guide_completeness"))

    assert f"0 of {guides} guide" in page_text(response)
