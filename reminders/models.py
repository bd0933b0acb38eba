"""Reminder deliveries: one row per e-mail owed to an enrolment, which is also the outbox."""

import datetime

from django.conf import settings
from django.db import models


class ReminderKind(models.TextChoices):
    WELCOME = "welcome", "Welcome"
    WEEK = "week", "Study week"
    FINAL = "final", "End of plan"
    EVE = "eve", "Eve of a round"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class ReminderDeliveryQuerySet(models.QuerySet):
    def claimable(self, *, now: datetime.datetime, token=None) -> "ReminderDeliveryQuerySet":
        """Deliveries a worker may claim for sending now.

        Pending ones, and ones whose claim is older than the claim lease: the worker holding it
        died (or lost the database for good) before the SMTP server accepted the e-mail, so it is
        sent again. `token` also matches this worker's own claim, so a claim whose commit was cut
        off by a dropped connection can be retried without waiting for the lease.
        """
        lease = datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
        claimable = models.Q(status=DeliveryStatus.PENDING) | models.Q(
            status=DeliveryStatus.SENDING, claimed_at__lt=now - lease
        )
        if token is not None:
            claimable |= models.Q(status=DeliveryStatus.SENDING, claim_token=token)
        return self.filter(claimable)

    def lost(self, *, now: datetime.datetime) -> "ReminderDeliveryQuerySet":
        """Deliveries whose send task is gone and must be queued again.

        Never handed to the broker (it was down), queued longer ago than the queue lease without
        a worker claiming it (the broker lost its queue, e.g. Redis restarted without
        persistence), or claimed longer ago than the claim lease (the worker died).
        """
        queue_lease = datetime.timedelta(seconds=settings.REMINDER_QUEUE_LEASE_SECONDS)
        claim_lease = datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
        return self.filter(
            models.Q(status=DeliveryStatus.PENDING, queued_at__isnull=True)
            | models.Q(status=DeliveryStatus.PENDING, queued_at__lt=now - queue_lease)
            | models.Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - claim_lease)
        )


class ReminderDelivery(models.Model):
    """One e-mail owed to an enrolment; the unique constraint is what makes sending idempotent."""

    enrolment = models.ForeignKey(
        "studyplan.Enrolment", on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    week = models.PositiveSmallIntegerField(
        default=0, help_text="Study week for weekly reminders; 0 for the others."
    )
    # SET_NULL: a round a recruiter deletes leaves the log of what was sent about it.
    round = models.ForeignKey(
        "rounds.Round",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The booked round an eve-of-round e-mail is about; empty for the others.",
    )
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its send task was queued to run (a retry runs later); empty when the "
        "broker could not take it. Still pending a few minutes after this, it is queued again.",
    )
    claimed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a worker took it to send. A claim older than the lease means the worker "
        "stopped before the SMTP server accepted the e-mail; it is sent again.",
    )
    claim_token = models.UUIDField(
        null=True, blank=True, help_text="Which worker's attempt holds the claim."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReminderDeliveryQuerySet.as_manager()

    class Meta:
        # The table it had in studyplan/: moved by a state-only migration, rows untouched.
        db_table = "studyplan_reminderdelivery"
        ordering = ["-due_at"]
        verbose_name_plural = "reminder deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind", "week"],
                condition=~models.Q(kind="eve"),
                name="delivery_once_per_enrolment_week",
                violation_error_message="This reminder was already sent for this week.",
            ),
            # One eve-of-round e-mail per booked round, however often dispatch runs.
            models.UniqueConstraint(
                fields=["enrolment", "round"],
                condition=models.Q(kind="eve"),
                name="eve_delivery_once_per_round",
                violation_error_message="This reminder was already sent for this round.",
            ),
        ]
        # Named as makemigrations named it under studyplan/, so the state matches the database.
        indexes = [models.Index(fields=["status", "due_at"], name="studyplan_r_status_e52c85_idx")]

    def __str__(self) -> str:
        if self.kind == ReminderKind.WEEK:
            label = f"week {self.week}"
        elif self.kind == ReminderKind.EVE:
            label = f"eve of {self.round}" if self.round_id else "eve of a deleted round"
        else:
            label = self.get_kind_display()
        return f"{self.enrolment} — {label} ({self.get_status_display()})"
