"""What happens to a plan that other apps may act on, without studyplan/ knowing who listens.

The reminders app listens (connected in `RemindersConfig.ready()`): studyplan/ owns plans and
must not import the app that e-mails about them. Both signals are sent inside the transaction
that made the change, so a receiver's writes commit or roll back with it.
"""

from django.dispatch import Signal

# A candidate enrolled (or enrolled again after leaving). Sent with `enrolment_id` and `now`
# (None: the real clock).
enrolment_created = Signal()
# An enrolment's study dates changed (re-planned, undone, a block brought forward for a round).
# Sent with `enrolment_id` and `now`.
plan_changed = Signal()
