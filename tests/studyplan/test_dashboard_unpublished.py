"""A guide the recruiter takes offline keeps its candidates' plans, without links that 404."""

import pytest
from django.urls import reverse

from rounds.models import GuideStatus
from studyplan.models import EnrolmentStatus


def _unpublish(guide) -> None:
    guide.status = GuideStatus.DRAFT
    guide.save()


@pytest.mark.django_db
def test_plan_of_an_unpublished_guide_stays_without_links_to_its_hidden_pages(
    client, alice, alice_enrolment, guide
):
    _unpublish(guide)
    client.force_login(alice)
    page = client.get(reverse("studyplan:dashboard")).content.decode()
    assert guide.title in page
    assert "taken this guide offline" in page
    for url in (
        guide.get_absolute_url(),
        reverse("studyplan:plan", args=[guide.slug]),
        reverse("questions:list", args=[guide.slug]),
    ):
        assert f'href="{url}"' not in page
        assert client.get(url).status_code == 404
    # The plan itself still works.
    assert f'action="{reverse("studyplan:pause", args=[alice_enrolment.pk])}"' in page


@pytest.mark.django_db
def test_published_guide_on_the_dashboard_links_to_its_pages(client, alice, alice_enrolment, guide):
    client.force_login(alice)
    page = client.get(reverse("studyplan:dashboard")).content.decode()
    assert "taken this guide offline" not in page
    assert f'href="{guide.get_absolute_url()}"' in page
    assert f'href="{reverse("studyplan:plan", args=[guide.slug])}"' in page
    assert f'href="{reverse("questions:list", args=[guide.slug])}"' in page


@pytest.mark.django_db
def test_left_plan_of_an_unpublished_guide_is_listed_without_a_link(
    client, alice, alice_enrolment, guide
):
    alice_enrolment.status = EnrolmentStatus.LEFT
    alice_enrolment.save()
    _unpublish(guide)
    client.force_login(alice)
    page = client.get(reverse("studyplan:dashboard")).content.decode()
    assert "Guides you left" in page
    assert guide.title in page
    assert f'href="{guide.get_absolute_url()}"' not in page
