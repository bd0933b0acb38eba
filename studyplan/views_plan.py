"""The public study plan page of a guide."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from prep.caching import cache_public_page
from rounds.models import Guide

from .models import StudyBlock
from .tailoring import plan_state


@cache_public_page
def plan(request: HttpRequest, guide_slug: str) -> HttpResponse:
    guide = get_object_or_404(
        Guide.objects.visible_to(request.user).prefetch_related(
            Prefetch("study_blocks", queryset=StudyBlock.objects.prefetch_related("tasks"))
        ),
        slug=guide_slug,
    )
    blocks = list(guide.study_blocks.all())
    # The signed-in candidate's enrolment and ticks: two queries, none for visitors.
    enrolment, done_task_ids = plan_state(request.user, guide)
    # The enrolled candidate's own dates for each block (their plan may be fitted to an interview).
    if enrolment is not None:
        for period in enrolment.schedule.periods(blocks):
            period.block.my_dates = period.dates_label
    return render(
        request,
        "studyplan/plan.html",
        {
            "guide": guide,
            "blocks": blocks,
            "task_count": sum(len(block.tasks.all()) for block in blocks),
            "enrolment": enrolment,
            "done_task_ids": done_task_ids,
            "breadcrumbs": [(guide.title, guide.get_absolute_url()), ("Study plan", None)],
        },
    )
