import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

CONTENT_MODELS = [
    "guide",
    "evaluationcriterion",
    "round",
    "region",
    "regionalvariant",
    "question",
    "tag",
    # Prep's answer frameworks (practice/0003): content recruiters edit, not candidates' data.
    "answerframework",
    "studyblock",
    "studytask",
]


def make_recruiter(*args: str) -> str:
    out = io.StringIO()
    call_command("make_recruiter", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_creates_a_staff_recruiter_with_a_link_to_choose_a_password():
    output = make_recruiter("Rita@Example.com")

    user = User.objects.get(email="rita@example.com")
    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Recruiters"]
    assert not user.has_usable_password()
    assert output.startswith("Created recruiter rita@example.com (no password yet;")
    assert "/accounts/password/reset/" in output


@pytest.mark.django_db
def test_sets_the_password_from_an_environment_variable(monkeypatch, client):
    monkeypatch.setenv("RECRUITER_PASSWORD", "a long and unusual passphrase")

    output = make_recruiter("rita@example.com", "--password-from-env", "RECRUITER_PASSWORD")

    assert output == "Created recruiter rita@example.com (password set)."
    response = client.post(
        reverse("admin:login"),
        {"username": "rita@example.com", "password": "a long and unusual passphrase"},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:rounds_guide_changelist")).status_code == 200


@pytest.mark.django_db
def test_promotes_an_existing_candidate_without_touching_their_password(alice):
    output = make_recruiter("alice@example.com")

    alice.refresh_from_db()
    assert alice.is_staff and not alice.is_superuser
    assert alice.groups.filter(name="Recruiters").exists()
    assert alice.check_password("correct horse battery staple")
    assert output == "Promoted to recruiter: alice@example.com."


@pytest.mark.django_db
def test_running_it_twice_says_the_user_already_is_a_recruiter():
    make_recruiter("rita@example.com")
    output = make_recruiter("rita@example.com")

    assert output.startswith("Already a recruiter: rita@example.com")
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["not-an-address", "rita@", ""])
def test_a_bad_address_is_refused_and_creates_nobody(address):
    with pytest.raises(CommandError, match="is not a valid e-mail address"):
        make_recruiter(address)

    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_empty_password_variable_is_refused(monkeypatch):
    monkeypatch.delenv("NO_SUCH_VARIABLE", raising=False)

    with pytest.raises(CommandError, match="NO_SUCH_VARIABLE is empty or unset"):
        make_recruiter("rita@example.com", "--password-from-env", "NO_SUCH_VARIABLE")

    assert not User.objects.exists()


@pytest.mark.django_db
def test_recruiters_group_can_edit_content_and_nothing_else():
    group = Group.objects.get(name="Recruiters")
    codenames = set(group.permissions.values_list("codename", flat=True))

    expected = {
        f"{action}_{model}"
        for model in CONTENT_MODELS
        for action in ("add", "change", "delete", "view")
    } | {"view_reminderdelivery"}
    assert codenames == expected
    # Reminder deliveries are the reminders app's since issue 13.
    assert group.permissions.filter(
        content_type__app_label="reminders", codename="view_reminderdelivery"
    ).exists()


@pytest.mark.django_db
def test_a_recruiter_has_no_user_or_progress_permissions():
    user = UserFactory(email="rita@example.com")
    make_recruiter("rita@example.com")
    user = User.objects.get(pk=user.pk)

    assert user.has_perm("rounds.change_guide")
    assert user.has_perm("questions.delete_question")
    assert user.has_perm("reminders.view_reminderdelivery")
    assert not user.has_perm("reminders.change_reminderdelivery")
    assert not user.has_perm("accounts.view_user")
    assert not user.has_perm("studyplan.view_enrolment")
    assert not user.has_perm("practice.view_questionprogress")
    assert not user.has_perm("practice.view_reviewcard")
    assert user.has_perm("practice.change_answerframework")
    assert not user.has_perm("auth.change_group")


@pytest.mark.django_db
def test_an_overlong_address_is_refused_plainly():
    address = "r" * 243 + "@example.com"
    with pytest.raises(CommandError, match="at most 254 characters; this one has 255"):
        make_recruiter(address)
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_recruiters_group_back_with_its_permissions():
    # A flush (tests, or an operator resetting a staging database) empties every table the
    # data migration filled; post_migrate must give recruiters their permissions back, or they
    # could sign in to an admin in which they can edit nothing.
    call_command("flush", "--noinput", verbosity=0)
    make_recruiter("rita@example.com")

    rita = User.objects.get(email="rita@example.com")
    assert rita.has_perm("rounds.change_guide")
    assert rita.has_perm("practice.change_answerframework")
    assert not rita.has_perm("accounts.view_user")
