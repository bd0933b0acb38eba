import pytest
from django.urls import reverse

from rounds.models import Region
from tests.factories import EnrolmentFactory, QuestionFactory, RegionFactory, build_guide
from tests.studyplan.conftest import days_ago


def focus_region(guide) -> Region:
    region = Region.objects.get(slug="region-1")
    variant = guide.regional_variants.get(region=region)
    variant.interview_focus = "Regulation in Singapore and Hong Kong"
    variant.tips = "Mention MAS licensing"
    variant.save()
    return region


@pytest.mark.django_db
def test_guide_page_puts_the_candidates_region_first_and_marks_it(client, alice, guide):
    region = focus_region(guide)
    alice.region = region
    alice.save()
    client.force_login(alice)
    page = client.get(guide.get_absolute_url()).content.decode()
    callout = page.index("For your region")
    assert callout < page.index("Overall Evaluation Criteria")
    assert "Interviews in Region 1" in page
    assert page.index("Regulation in Singapore and Hong Kong") < page.index("Process Timeline")
    assert "Mention MAS licensing" in page
    region_question = guide.questions.get(region=region)
    assert page.index(region_question.text) < page.index("Process Timeline")
    cards = page[page.index('id="regions-title"') :]
    assert cards.index("Region 1") < cards.index("Region 0")


@pytest.mark.django_db
def test_enrolments_region_wins_over_the_accounts(client, alice, guide):
    region = focus_region(guide)
    alice.region = Region.objects.get(slug="region-0")
    alice.save()
    EnrolmentFactory(user=alice, guide=guide, region=region, start_date=days_ago(alice, 0))
    client.force_login(alice)
    page = client.get(guide.get_absolute_url()).content.decode()
    assert "Interviews in Region 1" in page
    assert "You are following this guide" in page


@pytest.mark.django_db
def test_round_page_lists_regions_questions_first_and_marks_them(client, alice, guide):
    region = focus_region(guide)
    rnd = guide.rounds.get(order=2)
    mine = QuestionFactory(guide=guide, round=rnd, region=region, text="Regional one?", order=99)
    alice.region = region
    alice.save()
    client.force_login(alice)
    page = client.get(rnd.get_absolute_url()).content.decode()
    questions = page[page.index('id="questions-title"') :]
    first_other = rnd.questions.exclude(pk=mine.pk).first()
    assert questions.index(mine.text) < questions.index(first_other.text)
    assert "For your region: Region 1" in questions
    assert page.index("Mention MAS licensing") < page.index('id="questions-title"')


@pytest.mark.django_db
def test_question_page_marks_a_question_of_the_candidates_region(client, alice, guide):
    region = focus_region(guide)
    alice.region = region
    alice.save()
    client.force_login(alice)
    question = guide.questions.get(region=region)
    assert "For your region: Region 1" in client.get(question.get_absolute_url()).content.decode()
    other = guide.questions.get(region__slug="region-0")
    assert "For your region" not in client.get(other.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_without_a_region_nothing_is_marked(client, alice, guide):
    client.force_login(alice)
    page = client.get(guide.get_absolute_url()).content.decode()
    assert "For your region" not in page
    assert "Enrol to follow the 8-week plan" in page


@pytest.mark.django_db
def test_visitors_get_the_plain_page(client, guide):
    page = client.get(guide.get_absolute_url()).content.decode()
    assert "For your region" not in page
    assert "Sign up to follow the 8-week plan" in page


@pytest.mark.django_db
@pytest.mark.parametrize("rounds,regions", [(2, 2), (6, 5)])
def test_guide_page_adds_a_fixed_number_of_queries_for_candidates(
    client, alice, django_assert_num_queries, rounds, regions
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    guide = build_guide(slug="sized", rounds=rounds, regions=regions)
    alice.region = RegionFactory(slug="region-1")
    alice.save()
    with CaptureQueriesContext(connection) as anonymous:
        client.get(guide.get_absolute_url())
    client.force_login(alice)
    # session and user, then region, enrolment, the region's questions and the candidate's
    # practice marks on the questions listed.
    with django_assert_num_queries(len(anonymous) + 6):
        response = client.get(guide.get_absolute_url())
    assert "For your region" in response.content.decode()


@pytest.mark.django_db
def test_round_page_region_box_is_never_empty_and_sends_to_the_plans_settings(client, alice, guide):
    # Enrolled with a region whose variant says nothing yet (as in the seed guide): the round
    # page showed a heading and "Shown first because…" with nothing under it, and sent the
    # candidate to account settings, where changing the region did nothing.
    region = Region.objects.get(slug="region-1")
    variant = guide.regional_variants.get(region=region)
    variant.interview_focus = variant.tips = ""
    variant.save()
    enrolment = EnrolmentFactory(
        user=alice, guide=guide, region=region, start_date=days_ago(alice, 0)
    )
    client.force_login(alice)
    page = client.get(guide.rounds.get(order=1).get_absolute_url()).content.decode()
    box = page[
        page.index('id="your-region"') : page.index("</section>", page.index('id="your-region"'))
    ]
    assert f'href="{variant.get_absolute_url()}"' in box
    assert f'href="{reverse("studyplan:settings", args=[enrolment.pk])}"' in box
    assert "Change it in your plan settings" in box
    assert reverse("accounts:settings") not in box


@pytest.mark.django_db
def test_region_box_without_a_plan_sends_to_account_settings(client, alice, guide):
    alice.region = focus_region(guide)
    alice.save()
    client.force_login(alice)
    page = client.get(guide.get_absolute_url()).content.decode()
    box = page[page.index('id="your-region"') :]
    assert "Change it in your settings" in box
    assert "plan settings" not in box[: box.index("</section>")]
