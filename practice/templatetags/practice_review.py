"""Spaced review and activity on pages other apps own (dashboard, settings), without their views
having to know about them."""

from django import template

from accounts.models import User
from practice import review
from practice.review_forms import RetentionForm

register = template.Library()


@register.simple_tag
def retention_form(user: User) -> RetentionForm:
    """The desired-retention form, filled with the candidate's current value."""
    return RetentionForm(
        initial={"desired_retention": f"{review.desired_retention(user):.2f}"},
        auto_id="retention-%s",
    )


@register.inclusion_tag("practice/includes/dashboard_review.html")
def review_summary(user: User) -> dict:
    """ "Due for review today: N" with a link to the queue."""
    return {"due_count": review.due_count(user, review.local_today(user))}
