"""Spaced review and activity on pages other apps own (dashboard, settings), without their views
having to know about them."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from accounts.models import User
from practice import activity, review
from practice.review_forms import RetentionForm

register = template.Library()


@register.simple_tag
def retention_form(user: User, sent: RetentionForm | None = None) -> RetentionForm:
    """The desired-retention form, filled with the candidate's current value, or the form they
    `sent` when it was refused."""
    if isinstance(sent, RetentionForm):
        return sent
    return RetentionForm(
        initial={"desired_retention": f"{review.desired_retention(user):.2f}"},
        auto_id="retention-%s",
    )


@register.inclusion_tag("practice/includes/dashboard_review.html")
def review_summary(user: User) -> dict:
    """ "Due for review today: N" with a link to the queue."""
    return {"due_count": review.due_count(user, review.local_today(user))}


@register.inclusion_tag("practice/includes/dashboard_activity.html")
def practice_activity(user: User, enrolments: list | None = None, oob: bool = False) -> dict:
    """The streak, the 12-week heatmap and readiness per round, for the dashboard.

    `enrolments`: the candidate's enrolments with their guides, when the page has them already.
    `oob`: marked for htmx to swap in place of the dashboard's, in the answer to a tick.
    """
    today = review.local_today(user)
    return {
        "oob": oob,
        "user": user,
        "activity": activity.activity(user=user, today=today),
        "readiness": activity.readiness(
            user=user,
            today=today,
            # A template variable the page does not set arrives as "".
            enrolments=enrolments if isinstance(enrolments, list) else None,
        ),
    }


@register.inclusion_tag("practice/includes/continue.html")
def continue_where_left(user: User) -> dict:
    """ "Continue where you left off": the last question practised and the way to the plan."""
    return {"last": activity.last_practised(user)}


@register.simple_tag
def heatmap_cells(summary: activity.Activity) -> SafeString:
    """The heatmap's squares, one per day. Built here rather than with a template loop: 84
    squares of six lookups each were a tenth of a dashboard's build."""
    return format_html_join(
        "",
        '<rect class="heatmap__day heatmap__day--{}" x="{}" y="{}" width="12" height="12" rx="2">'
        "<title>{}: {}</title></rect>",
        (
            (cell.day.level, cell.x, cell.y, cell.day.label, cell.day.total)
            for cell in summary.cells
        ),
    )
