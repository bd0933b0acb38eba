"""Receivers for studyplan/'s signals: what a new or re-planned enrolment means for its e-mails."""

from .delivery import reminders_on_enrolment_created, reminders_on_plan_changed


def on_enrolment_created(sender, *, enrolment_id: int, now=None, **kwargs) -> None:
    reminders_on_enrolment_created(enrolment_id=enrolment_id, now=now)


def on_plan_changed(sender, *, enrolment_id: int, now=None, **kwargs) -> None:
    reminders_on_plan_changed(enrolment_id=enrolment_id, now=now)
