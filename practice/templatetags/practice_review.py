"""Spaced review and activity on pages other apps own (dashboard, settings), without their views
having to know about them."""

from django import template

from accounts.models import User
from practice import activity, review
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


@register.inclusion_tag("practice/includes/dashboard_activity.html")
def practice_activity(user: User) -> dict:
    """The streak, the 12-week heatmap and readiness per round, for the dashboard."""
    today = review.local_today(user)
    return {
        "activity": activity.activity(user=user, today=today),
        "readiness": activity.readiness(user=user, today=today),
    }


@register.inclusion_tag("practice/includes/continue.html")
def continue_where_left(user: User) -> dict:
    """ "Continue where you left off": the last question practised and the way to the plan."""
    return {"last": activity.last_practised(user)}
