import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import RegionFactory

SETTINGS = reverse("accounts:settings")


def form_data(**overrides) -> dict:
    data = {
        "display_name": "Alice L.",
        "time_zone": "America/New_York",
        "region": "",
        "reminders_enabled": "on",
        "reminder_weekday": "4",
        "reminder_hour": "18",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_settings_save_profile_region_and_reminder_preferences(client, alice):
    asia = RegionFactory(name="Asia", slug="asia")
    client.force_login(alice)
    response = client.post(SETTINGS, form_data(region=asia.pk), follow=True)
    assert "Settings saved." in response.content.decode()
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone, alice.region) == (
        "Alice L.",
        "America/New_York",
        asia,
    )
    assert (alice.reminders_enabled, alice.reminder_weekday, alice.reminder_hour) == (
        True,
        4,
        18,
    )
    assert alice.email_confirmed


@pytest.mark.django_db
def test_reminders_can_be_switched_off(client, alice):
    client.force_login(alice)
    data = form_data()
    del data["reminders_enabled"]
    client.post(SETTINGS, data)
    alice.refresh_from_db()
    assert alice.reminders_enabled is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"time_zone": "Europe/Atlantis"}, "is not a time zone we know"),
        ({"reminder_hour": "24"}, "Select a valid choice"),
        ({"reminder_weekday": "7"}, "Select a valid choice"),
        ({"region": "99999"}, "Select a valid choice"),
        ({"display_name": "x" * 81}, "at most 80 characters"),
    ],
)
def test_bad_settings_get_a_clear_message_and_change_nothing(
    client, alice, bob, overrides, message
):
    client.force_login(alice)
    response = client.post(SETTINGS, form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert (alice.email, alice.display_name, alice.time_zone, alice.reminder_hour) == (
        "alice@example.com",
        "Alice",
        "Europe/London",
        9,
    )


@pytest.mark.django_db
def test_saving_settings_with_an_email_field_leaves_the_address_alone(client, alice):
    client.force_login(alice)
    client.post(SETTINGS, form_data(email="mallory@example.com"))
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email, alice.display_name) == (
        "alice@example.com",
        "",
        "Alice L.",
    )
    assert not mail.outbox


@pytest.mark.django_db
def test_settings_need_login_and_csrf(alice):
    assert Client().get(SETTINGS).status_code == 302
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(SETTINGS, form_data(display_name="Hacked")).status_code == 403
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


@pytest.mark.django_db
def test_settings_page_shows_private_calendar_address(client, alice):
    client.force_login(alice)
    page = client.get(SETTINGS).content.decode()
    assert f"/calendar/{alice.calendar_token}.ics" in page
