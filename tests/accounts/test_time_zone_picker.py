"""The time-zone picker: common zones first, no aliases, the saved zone always shown."""

import re

import pytest
from django.urls import reverse

from accounts.time_zones import COMMON_TIME_ZONES, canonical_time_zones


def options(page: str) -> list[str]:
    select = re.search(r'<select name="time_zone".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


@pytest.mark.django_db
def test_sign_up_offers_common_zones_first_and_no_aliases(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    offered = options(page)

    assert offered[: len(COMMON_TIME_ZONES)] == COMMON_TIME_ZONES
    assert '<optgroup label="Common time zones">' in page
    assert '<optgroup label="All time zones">' in page
    for alias in ("Asia/Calcutta", "Etc/GMT+8", "US/Pacific", "Europe/Kiev", "GMT", "EST"):
        assert alias not in offered, alias
    for zone in ("Asia/Kolkata", "Europe/Kyiv", "America/Argentina/Buenos_Aires"):
        assert zone in offered, zone
    # Every canonical zone once in the A–Z list, the common ones a second time on top.
    assert len(offered) == len(canonical_time_zones()) + len(COMMON_TIME_ZONES)
    # The browser's zone replaces the default where JavaScript runs.
    assert "data-guess-time-zone" in page
    assert "js/candidate-timezone" in page


@pytest.mark.django_db
def test_an_alias_saved_before_is_still_shown_and_kept(client, alice):
    alice.time_zone = "Asia/Calcutta"
    alice.save()
    client.force_login(alice)

    page = client.get(reverse("accounts:settings")).content.decode()

    assert '<option value="Asia/Calcutta" selected>' in page
    assert "js/candidate-timezone" not in page  # a saved zone is never replaced by a guess


@pytest.mark.django_db
def test_an_alias_typed_in_is_accepted_and_nonsense_is_not(client, alice):
    client.force_login(alice)
    data = {"display_name": "Alice", "reminder_weekday": 0, "reminder_hour": 8}
    saved = client.post(reverse("accounts:settings"), {**data, "time_zone": "Asia/Calcutta"})
    refused = client.post(reverse("accounts:settings"), {**data, "time_zone": "Mars/Olympus"})

    assert saved.status_code == 302
    alice.refresh_from_db()
    assert alice.time_zone == "Asia/Calcutta"
    assert "is not a time zone we know" in refused.content.decode()
