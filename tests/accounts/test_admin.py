import pytest
from django.urls import reverse

from practice.services import question_practice
from tests.factories import EnrolmentFactory, UserFactory, build_guide


@pytest.fixture
def admin_user(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


def _populate(n: int) -> None:
    guide = build_guide(slug=f"admin-{n}", rounds=1, blocks=1)
    for i in range(n):
        user = UserFactory(email=f"c{n}-{i}@example.com")
        EnrolmentFactory(user=user, guide=guide)
        question_practice(
            user=user, question=guide.questions.first(), answer_draft="PRIVATE-NOTE-TEXT"
        )


@pytest.mark.django_db
def test_staff_see_enrolments_but_never_note_text(client, admin_user):
    _populate(2)
    client.force_login(admin_user)
    enrolments = client.get(reverse("admin:studyplan_enrolment_changelist"))
    assert enrolments.status_code == 200
    assert "c2-0@example.com" in enrolments.content.decode()
    notes = client.get(reverse("admin:practice_questionprogress_changelist"))
    assert notes.status_code == 200
    assert "c2-1@example.com" in notes.content.decode()
    assert "PRIVATE-NOTE-TEXT" not in notes.content.decode()


@pytest.mark.django_db
def test_progress_cannot_be_added_from_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:studyplan_enrolment_add")).status_code == 403
    assert client.get(reverse("admin:practice_questionprogress_add")).status_code == 403


@pytest.mark.django_db
def test_user_admin_lists_and_opens_users(client, admin_user, alice):
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "alice@example.com" in page
    assert client.get(reverse("admin:accounts_user_change", args=[alice.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 6])
def test_enrolment_admin_list_query_count_is_fixed(
    client, admin_user, django_assert_num_queries, size
):
    _populate(size)
    client.force_login(admin_user)
    with django_assert_num_queries(8):
        client.get(reverse("admin:studyplan_enrolment_changelist"))
