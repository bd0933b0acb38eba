"""The move of reminder deliveries from studyplan/ to reminders/ keeps every row, id and grant."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reminders.models import ReminderDelivery

BEFORE = [
    ("studyplan", "0008_history_of_block_question_kinds"),
    ("reminders", None),
]

FIELDS = [
    "id",
    "enrolment_id",
    "kind",
    "week",
    "due_at",
    "status",
    "attempts",
    "last_error",
    "sent_at",
    "queued_at",
    "claimed_at",
    "claim_token",
    "created_at",
    "updated_at",
]


def migrate(targets=None) -> MigrationExecutor:
    """Migrate to `targets`; by default to the latest state, which later tests need."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def apps_before_the_move(executor: MigrationExecutor):
    """Every other app as it is now, studyplan and reminders as they were before the move."""
    nodes = [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] not in {"studyplan", "reminders"}
    ]
    return executor.loader.project_state([*nodes, BEFORE[0]]).apps


@pytest.mark.django_db(transaction=True)
def test_moving_deliveries_to_their_own_app_keeps_every_row_id_and_permission():
    old_apps = apps_before_the_move(migrate(BEFORE))
    User = old_apps.get_model("accounts", "User")
    Guide = old_apps.get_model("rounds", "Guide")
    Enrolment = old_apps.get_model("studyplan", "Enrolment")
    OldDelivery = old_apps.get_model("studyplan", "ReminderDelivery")
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    OldPermission = old_apps.get_model("auth", "Permission")
    OldGroup = old_apps.get_model("auth", "Group")

    alice = User.objects.create(email="alice@example.com", display_name="Alice")
    guide = Guide.objects.create(
        company="OKX", role="Head of Engineering", slug="okx", status="published"
    )
    enrolment = Enrolment.objects.create(
        user=alice, guide=guide, start_date=datetime.date(2026, 3, 23)
    )
    now = timezone.now()
    OldDelivery.objects.create(
        enrolment=enrolment, kind="welcome", week=0, due_at=now, status="sent", sent_at=now
    )
    OldDelivery.objects.create(
        enrolment=enrolment,
        kind="week",
        week=2,
        due_at=now,
        status="sending",
        attempts=2,
        last_error="Attempt 1: 451 try later",
        claimed_at=now,
        claim_token=uuid.uuid4(),
        queued_at=now,
    )
    before = {row["id"]: row for row in OldDelivery.objects.values(*FIELDS)}
    # A database that lived before the move: the old content type, its permission and a group
    # (the Recruiters group, and one an operator made by hand) holding it.
    old_type, _ = OldContentType.objects.get_or_create(
        app_label="studyplan", model="reminderdelivery"
    )
    view, _ = OldPermission.objects.get_or_create(
        content_type=old_type, codename="view_reminderdelivery", defaults={"name": "Can view"}
    )
    support = OldGroup.objects.create(name="Support")
    support.permissions.add(view)

    migrate()

    after = {row["id"]: row for row in ReminderDelivery.objects.values(*FIELDS)}
    assert after == before
    # New rows continue the old numbering instead of colliding with it.
    new = ReminderDelivery.objects.create(enrolment_id=enrolment.pk, kind="final", due_at=now)
    assert new.pk > max(before)
    assert len(before) == 2
    # The content type moved, and with it the permission row and who holds it.
    moved = ContentType.objects.get(app_label="reminders", model="reminderdelivery")
    assert moved.pk == old_type.pk
    assert not ContentType.objects.filter(app_label="studyplan", model="reminderdelivery").exists()
    assert Permission.objects.get(pk=view.pk).content_type_id == moved.pk
    assert (
        Group.objects.get(name="Support")
        .permissions.filter(content_type__app_label="reminders", codename="view_reminderdelivery")
        .exists()
    )


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_without_losing_rows(alice, guide):
    from tests.factories import EnrolmentFactory

    enrolment = EnrolmentFactory(user=alice, guide=guide)
    row = ReminderDelivery.objects.create(
        enrolment=enrolment, kind="week", week=3, due_at=timezone.now()
    )
    executor = migrate(BEFORE)
    OldDelivery = apps_before_the_move(executor).get_model("studyplan", "ReminderDelivery")
    assert list(OldDelivery.objects.values_list("id", "kind", "week")) == [(row.pk, "week", 3)]
    migrate()
    assert ReminderDelivery.objects.get().pk == row.pk
    assert ContentType.objects.filter(app_label="reminders", model="reminderdelivery").exists()
