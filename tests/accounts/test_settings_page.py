"""The settings page tells the whole truth about reminders."""

import pytest
from django.urls import reverse

from studyplan.models import EnrolmentStatus
from tests.factories import EnrolmentFactory, build_guide


@pytest.mark.django_db
def test_plans_whose_reminders_were_stopped_are_named_beside_the_ticked_box(client, alice):
    """After 'Stop reminders for this plan' from an e-mail, settings still showed the weekly
    reminder ticked and nothing else."""
    okx = build_guide(slug="okx", company="OKX", rounds=1, regions=0)
    acme = build_guide(slug="acme", company="Acme", rounds=1, regions=0)
    gone = build_guide(slug="gone", company="Gone", rounds=1, regions=0)
    stopped = EnrolmentFactory(user=alice, guide=okx, reminders_enabled=False)
    EnrolmentFactory(user=alice, guide=acme)
    EnrolmentFactory(user=alice, guide=gone, reminders_enabled=False, status=EnrolmentStatus.LEFT)
    client.force_login(alice)

    page = client.get(reverse("accounts:settings")).content.decode()

    assert f"Reminders are off for your plan for {okx.title}" in page
    assert reverse("studyplan:settings", args=[stopped.pk]) in page
    assert acme.title not in page.split("Reminders are off for", 1)[1].split("</p>", 1)[0]
    assert gone.title not in page


@pytest.mark.django_db
def test_nothing_is_said_when_every_plan_sends_reminders(client, alice):
    EnrolmentFactory(user=alice, guide=build_guide(slug="okx", rounds=1, regions=0))
    client.force_login(alice)

    assert "Reminders are off for" not in client.get(reverse("accounts:settings")).content.decode()
