"""Quick entry in the admin: positions default to next, the guide is kept, choices are scoped."""

import re

import pytest
from django.urls import reverse

from questions.models import Question
from rounds.models import Region
from studyplan.models import StudyBlock
from tests.factories import (
    GuideFactory,
    RegionalVariantFactory,
    RegionFactory,
    RoundFactory,
    StudyBlockFactory,
    StudyTaskFactory,
)

from .test_content_forms import block_form, question_form
from .test_guide_form import guide_form, round_row


@pytest.mark.django_db
def test_a_new_guide_saves_first_time_with_positions_left_empty(recruiter_client):
    response = recruiter_client.post(
        reverse("admin:rounds_guide_add"),
        guide_form(
            criteria=[
                {"order": "", "title": "Judgement", "description": ""},
                {"order": "", "title": "Craft", "description": ""},
            ],
            rounds=[
                {**round_row(1, "Recruiter call", "recruiter-call"), "order": ""},
                {**round_row(2, "Panel", "panel"), "order": ""},
            ],
        ),
    )

    assert response.status_code == 302
    guide = GuideFactory._meta.model.objects.get(slug="acme-vp-engineering")
    assert list(guide.criteria.values_list("order", "title")) == [(1, "Judgement"), (2, "Craft")]
    assert list(guide.rounds.values_list("order", "title")) == [(1, "Recruiter call"), (2, "Panel")]


@pytest.mark.django_db
def test_the_order_field_is_optional_and_says_so(recruiter_client):
    page = recruiter_client.get(reverse("admin:rounds_guide_add")).content.decode()

    assert "Leave empty to put it after the last one." in page
    assert 'placeholder="next"' in page


@pytest.mark.django_db
def test_tasks_and_questions_left_without_a_position_go_after_the_last(recruiter_client):
    guide = GuideFactory(status="draft")  # drafts are edited directly
    rnd = RoundFactory(guide=guide)
    Question.objects.create(guide=guide, round=rnd, kind="leadership", text="First?", order=4)
    form = block_form(guide, 1, 2, ["Read the annual report.", "List three questions."])
    form["tasks-0-order"] = form["tasks-1-order"] = ""

    recruiter_client.post(reverse("admin:studyplan_studyblock_add"), form)
    recruiter_client.post(
        reverse("admin:questions_question_add"), question_form(guide, round=rnd.pk, order="")
    )

    block = StudyBlock.objects.get()
    assert list(block.tasks.values_list("order", flat=True)) == [1, 2]
    assert Question.objects.get(slug="how-do-you-grow-senior-engineers").order == 5


@pytest.mark.django_db
def test_save_and_add_another_question_keeps_the_guide_and_round(recruiter_client):
    guide = GuideFactory(company="Stripe", status="draft")
    rnd = RoundFactory(guide=guide, title="System design")
    RoundFactory(guide=GuideFactory(company="Acme"), title="Acme final")

    response = recruiter_client.post(
        reverse("admin:questions_question_add"),
        {**question_form(guide, round=rnd.pk), "_addanother": "Save and add another"},
    )

    assert response.status_code == 302
    assert f"guide={guide.pk}" in response["Location"]
    assert f"round={rnd.pk}" in response["Location"]
    page = recruiter_client.get(response["Location"]).content.decode()
    assert re.search(rf'<option value="{guide.pk}" selected>', page)
    assert re.search(rf'<option value="{rnd.pk}" selected>', page)
    assert "Acme final" not in page  # only this guide's rounds


@pytest.mark.django_db
def test_region_choices_are_the_guides_regions(recruiter_client):
    guide = GuideFactory()
    RegionalVariantFactory(guide=guide, region=RegionFactory(name="Asia", slug="asia"))
    europe = RegionFactory(name="Europe", slug="europe")

    page = recruiter_client.get(
        reverse("admin:questions_question_add") + f"?guide={guide.pk}"
    ).content.decode()
    response = recruiter_client.post(
        reverse("admin:questions_question_add"), question_form(guide, region=europe.pk)
    )

    assert ">Asia</option>" in page
    assert ">Europe</option>" not in page
    assert response.status_code == 200
    assert "has no regional difference for Europe" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_saving_a_block_returns_to_its_guide(recruiter_client):
    guide = GuideFactory(status="draft")  # drafts are edited directly
    block = StudyBlockFactory(guide=guide, start_week=1, end_week=2)
    StudyTaskFactory(block=block, order=1)
    form = block_form(guide, 1, 2, [])
    url = reverse("admin:studyplan_studyblock_change", args=[block.pk])

    saved = recruiter_client.post(url, form)
    kept = recruiter_client.post(url, {**form, "_continue": "Save and continue editing"})

    assert saved["Location"] == reverse("admin:rounds_guide_change", args=[guide.pk])
    assert kept["Location"] == url


@pytest.mark.django_db
def test_a_region_can_be_added_from_the_guide_page_in_a_popup(recruiter_client):
    guide = GuideFactory()
    page = recruiter_client.get(reverse("admin:rounds_guide_change", args=[guide.pk]))
    assert 'id="add_id_regional_variants-__prefix__-region"' in page.content.decode()

    response = recruiter_client.post(
        reverse("admin:rounds_region_add") + "?_to_field=id&_popup=1",
        {"name": "Latin America", "slug": "latin-america", "order": "3", "_popup": "1"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "popup_response.js" in body
    # No inline script, which the Content-Security-Policy would block.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert Region.objects.filter(slug="latin-america").exists()


@pytest.mark.django_db
def test_the_admin_is_named_prep_and_uses_its_colours(recruiter_client):
    page = recruiter_client.get(reverse("admin:index")).content.decode()

    assert '<div id="site-name"><a href="/admin/">Prep</a></div>' in page
    assert "<title>Guides, questions and study plans | Prep admin</title>" in page
    assert "css/admin.css" in page


@pytest.mark.django_db
def test_guide_choices_offer_only_that_guides_rounds_and_regions(recruiter_client):
    stripe = GuideFactory(company="Stripe")
    design = RoundFactory(guide=stripe, order=1, title="System design")
    RoundFactory(guide=GuideFactory(company="Acme"), title="Acme final")
    RegionalVariantFactory(guide=stripe, region=RegionFactory(name="Europe", slug="europe"))
    RegionFactory(name="Asia", slug="asia")

    response = recruiter_client.get(
        reverse("admin:questions_question_guide_choices") + f"?guide={stripe.pk}"
    )

    assert response.json()["round"] == [[design.pk, "1. System design"]]
    assert [name for _, name in response.json()["region"]] == ["Europe"]


@pytest.mark.django_db
def test_guide_choices_are_not_for_candidates(client, alice):
    client.force_login(alice)

    response = client.get(reverse("admin:questions_question_guide_choices") + "?guide=1")

    assert response.status_code == 302
