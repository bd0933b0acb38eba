"""A recruiter writes a whole guide on one admin page."""

import pytest
from django.urls import reverse

from rounds.models import Guide, Region

INLINES = ["criteria", "rounds", "regional_variants", "study_blocks"]


def guide_form(**inlines: list[dict]) -> dict:
    data = {
        "company": "Acme",
        "role": "VP Engineering",
        "slug": "acme-vp-engineering",
        "category": "Engineering Leadership",
        "status": "draft",
        "summary": "How Acme hires its VP of Engineering.",
        "typical_duration_days": "21",
        "experience_min_years": "10",
        "experience_max_years": "20",
        "salary_currency": "EUR",
        "salary_min": "150000",
        "salary_max": "200000",
        "total_interview_minutes": "240",
        "plan_weeks": "6",
        "preparation_tips": "",
        "last_reviewed": "",
    }
    for prefix in INLINES:
        rows = inlines.get(prefix, [])
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = value
    return data


def round_row(order: int, title: str, slug: str) -> dict:
    return {
        "order": str(order),
        "title": title,
        "slug": slug,
        "summary": "",
        "description": "",
        "what_interviewers_look_for": "",
        "evaluation_criteria": "",
        "preparation_tips": "",
        "rejection_reasons": "",
    }


def block_row(start: int, end: int, title: str) -> dict:
    return {
        "start_week": str(start),
        "end_week": str(end),
        "title": title,
        "headline": "",
        "description": "",
    }


@pytest.mark.django_db
def test_recruiter_creates_a_guide_with_criteria_rounds_regions_and_blocks(recruiter_client):
    asia = Region.objects.create(name="Asia", slug="asia", order=1)

    response = recruiter_client.post(
        reverse("admin:rounds_guide_add"),
        guide_form(
            criteria=[{"order": "1", "title": "Judgement", "description": ""}],
            rounds=[
                round_row(1, "Recruiter call", "recruiter-call"),
                round_row(2, "Panel", "panel"),
            ],
            regional_variants=[{"region": str(asia.pk), "interview_focus": "Scale", "tips": ""}],
            study_blocks=[block_row(1, 3, "Research"), block_row(4, 6, "Practice")],
        ),
    )

    assert response.status_code == 302
    guide = Guide.objects.get(slug="acme-vp-engineering")
    assert guide.salary_display() == "€150,000 – €200,000"
    assert [c.title for c in guide.criteria.all()] == ["Judgement"]
    assert [r.title for r in guide.rounds.all()] == ["Recruiter call", "Panel"]
    assert [v.region for v in guide.regional_variants.all()] == [asia]
    assert [b.weeks_label for b in guide.study_blocks.all()] == ["1-3", "4-6"]


@pytest.mark.django_db
def test_overlapping_blocks_entered_together_are_refused(recruiter_client):
    response = recruiter_client.post(
        reverse("admin:rounds_guide_add"),
        guide_form(study_blocks=[block_row(1, 3, "Research"), block_row(3, 4, "Practice")]),
    )

    assert response.status_code == 200
    assert "Weeks 3-4 of “Practice” overlap weeks 1-3 of “Research”." in response.content.decode()
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_blocks_after_the_end_of_the_plan_are_refused(recruiter_client):
    response = recruiter_client.post(
        reverse("admin:rounds_guide_add"), guide_form(study_blocks=[block_row(5, 8, "Late")])
    )

    assert response.status_code == 200
    assert "“Late” ends in week 8, after the 6-week plan." in response.content.decode()
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_two_rounds_in_the_same_position_are_refused(recruiter_client):
    response = recruiter_client.post(
        reverse("admin:rounds_guide_add"),
        guide_form(rounds=[round_row(1, "Call", "call"), round_row(1, "Panel", "panel")]),
    )

    assert response.status_code == 200
    assert "Please correct the duplicate data for order" in response.content.decode()
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_salary_range_upside_down_is_refused(recruiter_client):
    data = guide_form()
    data["salary_min"], data["salary_max"] = "250000", "100000"

    response = recruiter_client.post(reverse("admin:rounds_guide_add"), data)

    assert response.status_code == 200
    assert "The highest salary must not be below the lowest." in response.content.decode()
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_a_plan_longer_than_a_year_is_refused_in_words_not_by_constraint_name(recruiter_client):
    data = guide_form()
    data["plan_weeks"] = "60"

    response = recruiter_client.post(reverse("admin:rounds_guide_add"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The study plan must have between 1 and 52 weeks." in page
    assert "Constraint “" not in page
    assert not Guide.objects.exists()


def test_every_rule_the_database_checks_has_a_message_for_people():
    """Django's default for a check or conditional rule names it: 'Constraint “x” is violated.'
    (a plain unique rule on fields has its own message: 'X with this Y already exists.')."""
    from django.apps import apps
    from django.db.models import UniqueConstraint

    unnamed = [
        f"{model._meta.label}.{constraint.name}"
        for model in apps.get_models()
        if not model.__module__.startswith("django.")
        for constraint in model._meta.constraints
        if not (
            isinstance(constraint, UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
        )
        and constraint.violation_error_message == constraint.default_violation_error_message
    ]

    assert unnamed == []


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "stored"), [("usd", "USD"), (" eur ", "EUR")])
def test_a_currency_typed_in_lower_case_is_stored_as_its_code(recruiter_client, typed, stored):
    """'usd' was saved as typed, and the public page showed 'usd 200,000'."""
    data = guide_form()
    data["salary_currency"] = typed

    recruiter_client.post(reverse("admin:rounds_guide_add"), data)

    assert Guide.objects.get().salary_currency == stored


@pytest.mark.django_db
def test_a_currency_that_is_no_code_is_refused(recruiter_client):
    data = guide_form()
    data["salary_currency"] = "$$"

    response = recruiter_client.post(reverse("admin:rounds_guide_add"), data)

    assert "Enter a three-letter ISO 4217 code, such as USD or EUR." in response.content.decode()
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_a_slug_given_to_two_rounds_is_marked_on_the_second_rounds_field(recruiter_client):
    """Only "Please correct the duplicate data for slug." above the rounds: which field?"""
    data = guide_form(
        rounds=[
            round_row(1, "Recruiter call", "recruiter-call"),
            round_row(2, "Panel", "recruiter-call"),
        ]
    )

    response = recruiter_client.post(reverse("admin:rounds_guide_add"), data)

    assert response.status_code == 200
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "rounds"
    )
    assert formset.forms[1].errors["slug"] == ["Round 1 already has the slug “recruiter-call”."]
    assert not Guide.objects.exists()
