""" "Practise next": which question comes next, and a run that goes on without a list."""

import re

import pytest
from django.urls import reverse

from practice.models import QuestionProgress
from practice.services import block_round, practice_next, question_practice
from tests.factories import EnrolmentFactory
from tests.studyplan.conftest import days_ago


def rounds_questions(guide) -> tuple[list, list]:
    first, second = guide.rounds.order_by("order")
    return list(first.questions.order_by("order")), list(second.questions.order_by("order"))


def practise(user, *questions, status="practised") -> None:
    for question in questions:
        question_practice(user=user, question=question, status=status)


@pytest.mark.django_db
def test_a_round_offers_its_first_unpractised_question_then_any_other(alice, guide):
    (a1, a2, a3), (b1, _, _) = rounds_questions(guide)
    second_round = guide.rounds.get(order=2)
    assert practice_next(user=alice, guide=guide, round=second_round) == b1
    practise(alice, a1)
    assert practice_next(user=alice, guide=guide) == a2
    practise(alice, *second_round.questions.all())
    # Round 2 is done: the next unpractised question of the guide, in the guide's order.
    assert practice_next(user=alice, guide=guide, round=second_round) == a2


@pytest.mark.django_db
def test_notes_without_a_status_still_count_as_unpractised(alice, guide):
    (a1, a2, _), _ = rounds_questions(guide)
    question_practice(user=alice, question=a1, answer_draft="Only notes so far")
    assert practice_next(user=alice, guide=guide) == a1
    practise(alice, a1, status="confident")
    assert practice_next(user=alice, guide=guide) == a2


@pytest.mark.django_db
def test_a_study_week_offers_the_round_at_its_position(alice, guide):
    blocks = list(guide.study_blocks.order_by("start_week"))
    rounds = list(guide.rounds.order_by("order"))
    assert [block_round(block) for block in blocks] == [*rounds, None, None]
    _, (b1, b2, _) = rounds_questions(guide)
    assert practice_next(user=alice, guide=guide, block=blocks[1]) == b1
    practise(alice, b1)
    assert practice_next(user=alice, guide=guide, block=blocks[1]) == b2
    # Weeks past the last round have no theme: any unpractised question.
    assert practice_next(user=alice, guide=guide, block=blocks[3]) == rounds_questions(guide)[0][0]


@pytest.mark.django_db
def test_the_dashboard_run_follows_the_current_study_week(alice, guide):
    _, (b1, _, _) = rounds_questions(guide)
    first_of_guide = rounds_questions(guide)[0][0]
    assert practice_next(user=alice, guide=guide) == first_of_guide
    # Week 3 is the second block, which prepares for the second round.
    EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, 14))
    assert practice_next(user=alice, guide=guide) == b1


@pytest.mark.django_db
def test_nothing_left_skipping_and_unpublished_questions(alice, guide):
    (a1, a2, a3), _ = rounds_questions(guide)
    practise(alice, *guide.questions.exclude(pk__in=[a2.pk, a3.pk]))
    assert practice_next(user=alice, guide=guide, skipping=a2) == a3
    a3.is_published = False
    a3.save()
    assert practice_next(user=alice, guide=guide, skipping=a2) is None
    practise(alice, a2)
    assert practice_next(user=alice, guide=guide) is None


@pytest.mark.django_db
def test_each_candidate_gets_their_own_next_question(alice, charlie, guide):
    (a1, a2, _), _ = rounds_questions(guide)
    practise(alice, a1)
    assert practice_next(user=alice, guide=guide) == a2
    assert practice_next(user=charlie, guide=guide) == a1


def next_url(guide, run: str, after=None) -> str:
    url = reverse("practice:next", args=[guide.slug]) + f"?run={run}"
    return url + (f"&after={after.pk}" if after is not None else "")


def in_run(question, run: str) -> str:
    return f"{question.get_absolute_url()}?run={run.replace(':', '%3A')}#practice"


@pytest.mark.django_db
def test_a_run_goes_from_question_to_question_without_a_list(client, alice, guide):
    """Three questions in a round's run with plain form posts, as without JavaScript."""
    (a1, a2, a3), _ = rounds_questions(guide)
    client.force_login(alice)
    rnd = guide.rounds.get(order=1)
    round_page = client.get(rnd.get_absolute_url()).content.decode()
    assert f'href="{next_url(guide, "round:" + rnd.slug)}">Practise next</a>' in round_page

    response = client.get(next_url(guide, f"round:{rnd.slug}"))
    assert response.url == in_run(a1, f"round:{rnd.slug}")
    for question, following in ((a1, a2), (a2, a3)):
        page = client.get(response.url).content.decode()
        assert f'<input type="hidden" name="run" value="round:{rnd.slug}">' in page
        assert "Practising next in <strong>Round 1</strong>" in page
        saved = client.post(
            reverse("practice:question", args=[guide.slug, question.slug]),
            {"status": "practised", "answer_draft": "Draft", "run": f"round:{rnd.slug}"},
        )
        assert saved.url == in_run(question, f"round:{rnd.slug}")
        page = client.get(saved.url).content.decode()
        link = re.search(r'href="([^"]+)">Next question</a>', page)
        response = client.get(link.group(1).replace("&amp;", "&"))
        assert response.url == in_run(following, f"round:{rnd.slug}")
    assert QuestionProgress.objects.filter(user=alice, status="practised").count() == 2


@pytest.mark.django_db
def test_rating_a_question_keeps_the_run_going(client, alice, guide):
    # After "Good" the page came back without the run's box and its "Next question" button.
    (a1, _a2, _a3), _ = rounds_questions(guide)
    run = f"round:{guide.rounds.get(order=1).slug}"
    client.force_login(alice)
    client.post(
        reverse("practice:question", args=[guide.slug, a1.slug]),
        {"status": "practised", "answer_draft": "", "run": run},
    )
    page = client.get(in_run(a1, run).removesuffix("#practice")).content.decode()
    form = page[page.index('class="practice__form"') :]
    form = form[: form.index("</form>")]
    assert f'<input type="hidden" name="run" value="{run}">' in form
    assert 'name="rating" value="3" formaction="' in form
    rated = client.post(
        reverse("practice:rate", args=[guide.slug, a1.slug]), {"rating": "3", "run": run}
    )
    assert rated.url == in_run(a1, run).removesuffix("#practice") + "#review"
    assert "Next question</a>" in client.get(rated.url).content.decode()


@pytest.mark.django_db
def test_a_finished_run_says_so_and_goes_back(client, alice, guide):
    rnd = guide.rounds.get(order=1)
    practise(alice, *guide.questions.all())
    client.force_login(alice)
    response = client.get(next_url(guide, f"round:{rnd.slug}"), follow=True)
    assert response.redirect_chain[-1][0] == rnd.get_absolute_url()
    assert "Nothing left to practise in Round 1" in response.content.decode()
    response = client.get(next_url(guide, "guide"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("studyplan:dashboard")


@pytest.mark.django_db
def test_dashboard_and_study_weeks_offer_practise_next(client, alice, guide):
    EnrolmentFactory(user=alice, guide=guide, start_date=days_ago(alice, 14))
    client.force_login(alice)
    dashboard = client.get(reverse("studyplan:dashboard")).content.decode()
    assert f'href="{next_url(guide, "guide")}">Practise next</a>' in dashboard
    plan = client.get(reverse("studyplan:plan", args=[guide.slug])).content.decode()
    for block in guide.study_blocks.all():
        assert f'href="{next_url(guide, f"block:{block.start_week}")}"' in plan
    response = client.get(next_url(guide, "block:3"))
    assert response.url == in_run(rounds_questions(guide)[1][0], "block:3")
    page = client.get(response.url).content.decode()
    assert "Practising next in <strong>Weeks 3-4:" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "run", ["round:nope", "block:2", "block:99999", "block:²", "nonsense", "guide:x"]
)
def test_an_unknown_run_is_a_404(client, alice, guide, run):
    client.force_login(alice)
    assert client.get(next_url(guide, run)).status_code == 404


@pytest.mark.django_db
def test_visitors_are_asked_to_log_in_and_see_no_practise_next(client, guide):
    rnd = guide.rounds.get(order=1)
    response = client.get(next_url(guide, "guide"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "Practise next" not in client.get(rnd.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_unknown_run_on_a_question_page_is_ignored(client, alice, guide):
    question = guide.questions.first()
    client.force_login(alice)
    page = client.get(question.get_absolute_url() + "?run=round:nope").content.decode()
    assert 'name="run"' not in page
    assert "Practising next" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("after", ["²", "-1", "x", "9" * 30])
def test_a_bad_after_is_ignored(client, alice, guide, after):
    client.force_login(alice)
    response = client.get(next_url(guide, "guide") + f"&after={after}")
    assert response.url == in_run(rounds_questions(guide)[0][0], "guide")
