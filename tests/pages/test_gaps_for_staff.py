"""Gaps are for recruiters: only staff see which sections are not written yet."""

import pytest
from django.test import Client
from django.urls import reverse

from rounds.models import RegionalVariant
from tests.factories import EnrolmentFactory, build_guide
from tests.pages.pagetext import page_text

GAP = "Not yet written"


@pytest.fixture
def guide(db):
    """A guide with gaps on every page: empty round sections, empty region focus and tips."""
    guide = build_guide(company="OKX", slug="okx-head-of-engineering", rounds=2, regions=1)
    RegionalVariant.objects.filter(guide=guide).update(interview_focus="", tips="")
    return guide


def pages(guide) -> dict[str, str]:
    round_ = guide.rounds.first()
    return {
        "guide": guide.get_absolute_url(),
        "round": round_.get_absolute_url(),
        "region": reverse("rounds:region", args=[guide.slug, "region-0"]),
    }


@pytest.mark.django_db
def test_visitors_see_no_list_of_unwritten_sections(client, guide):
    for name, url in pages(guide).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert GAP not in page_text(response), name
        assert "/admin/" not in response.content.decode(), name


@pytest.mark.django_db
def test_candidates_see_no_list_of_unwritten_sections(client, alice, guide):
    EnrolmentFactory(user=alice, guide=guide)
    client.force_login(alice)
    for name, url in pages(guide).items():
        assert GAP not in page_text(client.get(url)), name


@pytest.mark.django_db
def test_staff_see_the_gaps_with_a_link_to_fill_them(client, recruiter, guide):
    client.force_login(recruiter)
    round_ = guide.rounds.first()
    expected = {
        "guide": reverse("admin:rounds_guide_change", args=[guide.pk]),
        "round": reverse("admin:rounds_round_change", args=[round_.pk]),
        "region": reverse("admin:rounds_guide_change", args=[guide.pk]),
    }
    for name, url in pages(guide).items():
        response = client.get(url)
        assert GAP in page_text(response), name
        assert f'href="{expected[name]}">Write them in the admin</a>' in (
            response.content.decode()
        ), name


@pytest.mark.django_db
def test_a_staff_page_is_never_served_to_visitors_nor_a_visitors_page_to_staff(recruiter, guide):
    visitor, staff = Client(), Client()
    staff.force_login(recruiter)
    for url in pages(guide).values():
        # Staff first: their page must not be stored for the visitor after them.
        assert GAP in page_text(staff.get(url))
        assert GAP not in page_text(visitor.get(url))
        # The visitor's page is cached now; staff still get their own.
        assert GAP not in page_text(visitor.get(url))
        assert GAP in page_text(staff.get(url))
