"""The study plan's pages: the public plan of a guide, and a candidate's dashboard, enrolment,
ticks and calendar."""

import datetime
from collections.abc import Callable
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import add_service_errors
from accounts.login_required import login_required
from accounts.models import User
from prep.caching import cache_candidate_page, cache_public_page
from rounds.models import Guide

from . import progress, services
from .calendar import user_calendar
from .forms import (
    EnrolForm,
    EnrolmentSettingsForm,
    ReplanForm,
    RoundBookingForm,
    TaskToggleForm,
)
from .models import Enrolment, EnrolmentStatus, RoundBooking, StudyBlock, StudyTask
from .tailoring import plan_state


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _own_enrolment(request: HttpRequest, enrolment_id: int) -> Enrolment:
    # Someone else's id is indistinguishable from a missing one: both 404.
    return get_object_or_404(
        Enrolment.objects.select_related("guide", "user"), pk=enrolment_id, user=request.user
    )


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to the page the form was on, if it is one of ours."""
    target = request.POST.get("next") or ""
    # Only a path: redirect() would try any other word as a URL name and fail with a 500.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
@cache_candidate_page
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    plans = progress.enrolments_progress(user=user, include_left=True)
    return render(
        request,
        "studyplan/dashboard.html",
        {
            # Loaded with their guides above; the practice summary reuses them.
            "enrolments": [plan.enrolment for plan in plans],
            "plans": [plan for plan in plans if plan.enrolment.status != EnrolmentStatus.LEFT],
            "left": [plan for plan in plans if plan.enrolment.status == EnrolmentStatus.LEFT],
            "breadcrumbs": [("Dashboard", None)],
        },
    )


@login_required
def enrol(request: HttpRequest, guide_slug: str) -> HttpResponse:
    user = _user(request)
    guide = get_object_or_404(Guide.objects.published(), slug=guide_slug)
    existing = Enrolment.objects.filter(user=user, guide=guide).first()
    if existing is not None and existing.status != EnrolmentStatus.LEFT:
        messages.info(request, f"You are already enrolled in {guide.title}.")
        return redirect("studyplan:dashboard")
    today = progress.local_today_for(user.time_zone)
    form = EnrolForm(
        request.POST or None,
        initial={
            "start_date": progress.next_monday(today),
            "region": user.region_id,
            "time_zone": user.time_zone,
        },
        today=today,
    )
    form.fields["time_zone"].keep_current(user.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_create(
                user=user,
                guide=guide,
                start_date=form.cleaned_data["start_date"],
                region=form.cleaned_data["region"],
                target_interview_date=form.cleaned_data["target_interview_date"],
                time_zone=form.cleaned_data["time_zone"] or None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _enrolled_message(enrolment, today))
            return redirect("studyplan:dashboard")
    return render(
        request,
        "studyplan/enrol.html",
        {
            "guide": guide,
            "form": form,
            "rejoining": existing is not None,
            "breadcrumbs": [(guide.title, guide.get_absolute_url()), ("Enrol", None)],
        },
        status=400 if form.errors else 200,
    )


def _enrolled_message(enrolment: Enrolment, today: datetime.date) -> str:
    start, guide = enrolment.start_date, enrolment.guide
    # A start date in the past (catching up on a plan begun on paper) is told so.
    starts = f"{'starts' if start >= today else 'started'} on {date_format(start, 'l j F')}"
    if not enrolment.has_periods:
        return f"You are enrolled in {guide.title}. Week 1 {starts}."
    interview = date_format(enrolment.target_interview_date, "l j F")
    end = date_format(enrolment.schedule.end, "l j F")
    return (
        f"You are enrolled in {guide.title}, with the plan fitted to your interview on "
        f"{interview}: it {starts} and ends on {end}."
    )


def _enrolment_action(
    request: HttpRequest,
    enrolment_id: int,
    action: Callable[..., object],
    success: Callable[[Enrolment], str],
) -> HttpResponse:
    """Run a one-click state change on the candidate's own enrolment and say how it went."""
    enrolment = _own_enrolment(request, enrolment_id)
    try:
        action(enrolment=enrolment)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, success(enrolment))
    return redirect("studyplan:dashboard")


@require_POST
@login_required
def enrolment_pause(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    return _enrolment_action(
        request,
        enrolment_id,
        services.enrolment_pause,
        lambda e: f"{e.guide.title} is paused: no reminders until you resume it.",
    )


@require_POST
@login_required
def enrolment_resume(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    return _enrolment_action(
        request,
        enrolment_id,
        services.enrolment_resume,
        lambda e: f"Welcome back to {e.guide.title}.",
    )


@login_required
def enrolment_leave(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """GET asks first (leaving stops the plan and its reminders); POST leaves."""
    if request.method != "POST":
        enrolment = _own_enrolment(request, enrolment_id)
        return render(
            request,
            "studyplan/leave_confirm.html",
            {
                "enrolment": enrolment,
                "breadcrumbs": [
                    ("Dashboard", reverse("studyplan:dashboard")),
                    (f"Leave {enrolment.guide.title}", None),
                ],
            },
        )
    return _enrolment_action(
        request,
        enrolment_id,
        services.enrolment_leave,
        lambda e: f"You left {e.guide.title}. Your ticks and notes are kept if you enrol again.",
    )


def _replan_done_message(enrolment: Enrolment) -> str:
    today = enrolment.local_today()
    blocks = enrolment.guide.study_blocks.all()
    position = enrolment.schedule.position(today, blocks)
    where = position.label
    if position.state == "in_progress":
        where = f"you are in {where[0].lower()}{where[1:]}"
    return (
        f"Re-planned: {where}, and the plan ends on "
        f"{date_format(progress.plan_end(enrolment), 'l j F Y')}."
    )


@login_required
def enrolment_replan(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The re-plan form; a submitted choice shows its before/after preview, a confirmed one
    is applied. Plain forms all the way, so it works without JavaScript."""
    enrolment = _own_enrolment(request, enrolment_id)
    form = ReplanForm(
        request.POST or None,
        initial={"target_interview_date": enrolment.target_interview_date},
    )
    proposal = None
    if request.method == "POST" and form.is_valid():
        choice = {
            "mode": form.cleaned_data["mode"],
            "target_interview_date": form.cleaned_data["target_interview_date"],
        }
        try:
            # Only the preview page sends "confirm": a choice is always seen before it applies.
            if request.POST.get("confirm") == "on":
                services.enrolment_replan(enrolment=enrolment, **choice)
            else:
                proposal = services.enrolment_replan_preview(enrolment=enrolment, **choice)
        except ValidationError as exc:
            enrolment.refresh_from_db()
            add_service_errors(form, exc)
        else:
            if proposal is None:
                messages.success(request, _replan_done_message(enrolment))
                return redirect("studyplan:dashboard")
    focus = []
    if proposal is not None and proposal.focus:
        focus = progress.focus_plan(enrolment)
    return render(
        request,
        "studyplan/replan_preview.html" if proposal is not None else "studyplan/replan.html",
        {
            "enrolment": enrolment,
            "plan": progress.enrolment_progress(enrolment),
            "form": form,
            "proposal": proposal,
            "focus": focus,
            "breadcrumbs": [
                ("Dashboard", reverse("studyplan:dashboard")),
                (f"Re-plan {enrolment.guide.title}", None),
            ],
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def enrolment_replan_undo(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    return _enrolment_action(
        request,
        enrolment_id,
        services.enrolment_replan_undo,
        lambda e: f"The re-plan is undone: {e.guide.title} has its earlier dates again.",
    )


def _round_rows(enrolment: Enrolment, bound: tuple[int, RoundBookingForm] | None = None) -> list:
    bookings = {b.round_id: b for b in enrolment.bookings.all()}
    rows = []
    for rnd in enrolment.guide.rounds.all():
        booking = bookings.get(rnd.pk)
        if bound is not None and bound[0] == rnd.pk:
            form = bound[1]
        else:
            initial = (
                {"date": booking.date, "time": booking.time, "result": booking.result}
                if booking
                else {}
            )
            form = RoundBookingForm(initial=initial, auto_id=f"round-{rnd.pk}-%s")
        rows.append({"round": rnd, "booking": booking, "form": form})
    return rows


@login_required
def round_dates(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Each round of the guide with the day it is booked for and its result, one form each."""
    enrolment = _own_enrolment(request, enrolment_id)
    return _render_round_dates(request, enrolment)


def _render_round_dates(
    request: HttpRequest,
    enrolment: Enrolment,
    bound: tuple[int, RoundBookingForm] | None = None,
) -> HttpResponse:
    return render(
        request,
        "studyplan/round_dates.html",
        {
            "enrolment": enrolment,
            "rows": _round_rows(enrolment, bound),
            "breadcrumbs": [
                ("Dashboard", reverse("studyplan:dashboard")),
                (f"{enrolment.guide.title}: round dates", None),
            ],
        },
        status=400 if bound else 200,
    )


@require_POST
@login_required
def round_date_save(request: HttpRequest, enrolment_id: int, round_id: int) -> HttpResponse:
    enrolment = _own_enrolment(request, enrolment_id)
    rnd = get_object_or_404(enrolment.guide.rounds, pk=round_id)
    form = RoundBookingForm(request.POST, auto_id=f"round-{rnd.pk}-%s")
    if form.is_valid():
        try:
            services.round_booking_save(
                enrolment=enrolment,
                round=rnd,
                date=form.cleaned_data["date"],
                time=form.cleaned_data["time"],
                result=form.cleaned_data["result"] or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Saved: {rnd.title} on {date_format(form.cleaned_data['date'], 'l j F')}."
            )
            return redirect("studyplan:round_dates", enrolment_id=enrolment.pk)
    return _render_round_dates(request, enrolment, (rnd.pk, form))


@require_POST
@login_required
def round_date_delete(request: HttpRequest, enrolment_id: int, round_id: int) -> HttpResponse:
    enrolment = _own_enrolment(request, enrolment_id)
    booking = get_object_or_404(
        RoundBooking.objects.select_related("round"), enrolment=enrolment, round_id=round_id
    )
    services.round_booking_delete(enrolment=enrolment, booking=booking)
    messages.success(request, f"The date of {booking.round.title} is removed.")
    return redirect("studyplan:round_dates", enrolment_id=enrolment.pk)


@login_required
def enrolment_settings(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_enrolment(request, enrolment_id)
    form = EnrolmentSettingsForm(
        request.POST or None,
        initial={
            "region": enrolment.region_id,
            "target_interview_date": enrolment.target_interview_date,
            "reminders_enabled": enrolment.reminders_enabled,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_update(enrolment=enrolment, **form.cleaned_data)
        except ValidationError as exc:
            enrolment.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Plan settings for {enrolment.guide.title} saved.")
            return redirect("studyplan:dashboard")
    return render(
        request,
        "studyplan/enrolment_settings.html",
        {
            "enrolment": enrolment,
            # "Your plan starts on …" until its first day, in the candidate's own time zone.
            "starts_later": (
                enrolment.start_date > progress.local_today_for(enrolment.user.time_zone)
            ),
            "form": form,
            "breadcrumbs": [
                ("Dashboard", reverse("studyplan:dashboard")),
                (f"{enrolment.guide.title}: plan settings", None),
            ],
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def task_toggle(request: HttpRequest, enrolment_id: int, task_id: int) -> HttpResponse:
    enrolment = _own_enrolment(request, enrolment_id)
    task = get_object_or_404(
        StudyTask.objects.select_related("block"), pk=task_id, block__guide_id=enrolment.guide_id
    )
    form = TaskToggleForm(request.POST)
    error = None
    done = enrolment.task_progress.filter(task=task).exists()
    if not form.is_valid():
        error = "Say whether the task is done; nothing was changed."
    else:
        try:
            done = services.task_set_done(
                enrolment=enrolment, task=task, done=form.cleaned_data["done"]
            )
        except ValidationError as exc:
            error = exc.messages[0]
    if _is_htmx(request):
        context = {"enrolment": enrolment, "task": task, "done": done, "error": error}
        # On the dashboard the progress bars and the behind-schedule notice change with a tick;
        # htmx swaps them out of band. Other pages have no such elements to update.
        current = urlsplit(request.headers.get("HX-Current-URL", "")).path
        if current == reverse("studyplan:dashboard"):
            context["plan"] = progress.enrolment_progress(enrolment)
        return render(request, "studyplan/includes/task_toggle.html", {**context, "swap": True})
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, f"Done: {task}")
    else:
        messages.info(request, f"Marked not done: {task}")
    return _back(request, reverse("studyplan:dashboard"))


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None or not token:
        raise Http404("No calendar at this address.")
    response = HttpResponse(user_calendar(user=user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="prep-study-plan.ics"'
    # The address is the secret; keep it out of shared caches.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


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
    fit = None
    if enrolment is not None:
        periods = enrolment.schedule.periods(blocks)
        for period in periods:
            period.block.my_dates = period.dates_label
        if enrolment.has_periods and periods:
            # A plan fitted to an interview is told by its own dates, not the guide's weeks;
            # "fitted to your interview" only while it is (the date may have moved since).
            end = max(p.end for p in periods)
            interview = enrolment.target_interview_date
            fit = {
                "days": (end - min(p.start for p in periods)).days + 1,
                "end": end,
                "interview": interview if interview == end + datetime.timedelta(days=1) else None,
            }
    return render(
        request,
        "studyplan/plan.html",
        {
            "guide": guide,
            "blocks": blocks,
            "task_count": sum(len(block.tasks.all()) for block in blocks),
            "enrolment": enrolment,
            "fit": fit,
            "done_task_ids": done_task_ids,
            "breadcrumbs": [(guide.title, guide.get_absolute_url()), ("Study plan", None)],
        },
    )
