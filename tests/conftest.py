import pytest

from tests.factories import UserFactory


@pytest.fixture
def alice(db):
    """A confirmed candidate."""
    return UserFactory(email="alice@example.com", display_name="Alice", time_zone="Europe/London")


@pytest.fixture
def bob(db):
    """A second confirmed candidate, in another time zone."""
    return UserFactory(email="bob@example.com", display_name="Bob", time_zone="Asia/Singapore")


@pytest.fixture
def charlie(db):
    """A candidate who must never see Alice's or Bob's data."""
    return UserFactory(email="charlie@example.com", display_name="Charlie")


@pytest.fixture
def recruiter(db):
    """A staff member in the Recruiters group."""
    from django.contrib.auth.models import Group

    user = UserFactory(email="rita@example.com", display_name="Rita", is_staff=True)
    group = Group.objects.filter(name="Recruiters").first()
    if group is not None:
        user.groups.add(group)
    return user
