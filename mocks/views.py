"""Mock interview pages: start or resume, one question at a time, grading, history."""

import datetime
import math
import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.forms import add_service_errors
from accounts.login_required import login_required
from accounts.models import User
from practice.review import local_today
from practice.review_models import ReviewCard
from rounds.models import Guide, Round
from stories.models import Story
from studyplan.models import Enrolment, EnrolmentStatus

from . import services
from .chart import score_chart
from .forms import MockAnswerForm, MockGradeForm, MockStartForm
from .models import Mock, MockAnswer, MockStatus, Outcome

OUTCOME_TO_REVIEW = {Outcome.SHAKY, Outcome.MISSED}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _round(guide_slug: str, round_slug: str) -> Round:
    return get_object_or_404(
        Round.objects.select_related("guide").filter(guide__in=Guide.objects.published()),
        guide__slug=guide_slug,
        slug=round_slug,
    )


def _own_mock(request: HttpRequest, mock_id: int) -> Mock:
    return get_object_or_404(
        Mock.objects.of(request.user).select_related("round__guide"), pk=mock_id
    )


def _crumbs(rnd: Round, last: str) -> list[tuple[str, str | None]]:
    return [
        ("Mocks", reverse("mocks:index")),
        (f"{rnd.guide.title}, round {rnd.order}", rnd.get_absolute_url()),
        (last, None),
    ]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every round of the guides the candidate follows, with a mock to start or resume."""
    user = _user(request)
    enrolled = Enrolment.objects.filter(user=user).exclude(status=EnrolmentStatus.LEFT)
    rounds = list(
        Round.objects.filter(guide__in=Guide.objects.published())
        .filter(guide__in=enrolled.values("guide_id"))
        .select_related("guide")
        .annotate(finished=Count("mocks", filter=Q(mocks__user=user, mocks__status="finished")))
        .order_by("guide__company", "guide__role", "order")
    )
    open_mocks = {m.round_id: m for m in Mock.objects.of(user).in_progress()}
    for rnd in rounds:
        rnd.open_mock = open_mocks.get(rnd.pk)
    return render(request, "mocks/index.html", {"rounds": rounds, "breadcrumbs": [("Mocks", None)]})


@login_required
def start(request: HttpRequest, guide_slug: str, round_slug: str) -> HttpResponse:
    user = _user(request)
    rnd = _round(guide_slug, round_slug)
    open_mock = Mock.objects.of(user).in_progress().filter(round=rnd).first()
    status = 200
    if request.method == "POST" and open_mock is None:
        form = MockStartForm(request.POST)
        if form.is_valid():
            try:
                mock = services.mock_start(
                    user=user,
                    rnd=rnd,
                    questions=form.cleaned_data["questions"],
                    minutes=form.cleaned_data["minutes"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                asked, given = form.cleaned_data["questions"], mock.answers.count()
                if given < asked:
                    messages.info(
                        request,
                        f"This round has {given} question{'s' if given != 1 else ''}: your mock "
                        f"asks {'it' if given == 1 else f'all {given}'}, not {asked}.",
                    )
                return redirect(mock)
        status = 400
    elif request.method == "POST":
        messages.error(request, "You already have a mock of this round in progress.")
        return redirect(open_mock)
    else:
        form = MockStartForm(initial={"minutes": services.default_minutes(rnd)})
    return render(
        request,
        "mocks/start.html",
        {
            "round": rnd,
            "guide": rnd.guide,
            "form": form,
            "open_mock": open_mock,
            "criteria": services.criteria_for(rnd),
            "breadcrumbs": _crumbs(rnd, "Mock interview"),
        },
        status=status,
    )


def _question_page(
    request: HttpRequest, mock: Mock, answer: MockAnswer, form: MockAnswerForm | None = None
) -> HttpResponse:
    """The current question with its running clock, or, if its clock never started (a mock
    begun before starts were POSTs), a "Start question" button. Reads only: see answer_start."""
    user = _user(request)
    answer.mock = mock
    deadline = answer.deadline
    if deadline is None:
        return render(
            request,
            "mocks/question_start.html",
            {
                "mock": mock,
                "answer": answer,
                "total": mock.answers.count(),
                "breadcrumbs": _crumbs(mock.round, f"Question {answer.position}"),
            },
        )
    stories = list(Story.objects.of(user).only("pk", "title"))
    if form is None:
        form = MockAnswerForm(initial={"answer": answer.pk}, stories=stories)
    # Rounded up, so the script's countdown never reaches zero before the server's deadline.
    remaining = max(0, math.ceil((deadline - timezone.now()).total_seconds()))
    return render(
        request,
        "mocks/question.html",
        {
            "mock": mock,
            "answer": answer,
            "form": form,
            "deadline": deadline,
            "remaining": remaining,
            "total": mock.answers.count(),
            "breadcrumbs": _crumbs(mock.round, f"Question {answer.position}"),
        },
        status=400 if form.is_bound else 200,
    )


def _grade_page(
    request: HttpRequest, mock: Mock, form: MockGradeForm | None = None
) -> HttpResponse:
    answers = list(mock.answers.all())
    if form is None:
        form = MockGradeForm(criteria=services.criteria_for(mock.round), answers=answers)
    return render(
        request,
        "mocks/grade.html",
        {"mock": mock, "form": form, "breadcrumbs": _crumbs(mock.round, "Grade yourself")},
        status=400 if form.is_bound else 200,
    )


@login_required
def detail(request: HttpRequest, mock_id: int) -> HttpResponse:
    mock = _own_mock(request, mock_id)
    if mock.is_in_progress:
        answer = services.current_answer(mock)
        if answer is not None:
            return _question_page(request, mock, answer)
        return _grade_page(request, mock)
    return render(
        request,
        "mocks/result.html",
        {
            "mock": mock,
            "answers": mock.answers.select_related("story"),
            "grades": mock.grades.all(),
            "breadcrumbs": _crumbs(mock.round, f"Mock of {mock.started_at:%-d %b %Y}"),
        },
    )


@require_POST
@login_required
def start_question(request: HttpRequest, mock_id: int) -> HttpResponse:
    """Start the clock of the current question (the button shown when it never started)."""
    mock = _own_mock(request, mock_id)
    current = services.current_answer(mock) if mock.is_in_progress else None
    # A start for another question (a stale tab) starts nothing: show where the mock is.
    if current is None or request.POST.get("answer") != str(current.pk):
        messages.info(request, "That question is no longer the current one; here is where you are.")
        return redirect(mock)
    current.mock = mock
    try:
        services.answer_start(user=_user(request), answer=current)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(mock)


@require_POST
@login_required
def answer(request: HttpRequest, mock_id: int) -> HttpResponse:
    user = _user(request)
    mock = _own_mock(request, mock_id)
    if not mock.is_in_progress:
        messages.error(request, "This mock is over.")
        return redirect(mock)
    current = services.current_answer(mock)
    stories = list(Story.objects.of(user).only("pk", "title"))
    form = MockAnswerForm(request.POST, stories=stories)
    # An answer for another question (a second tab, a double click) never overwrites this one.
    if current is None or (form.is_valid() and form.cleaned_data["answer"] != current.pk):
        messages.info(request, "That question was already answered; here is where you are.")
        return redirect(mock)
    if not form.is_valid():
        return _question_page(request, mock, current, form)
    story_id = form.cleaned_data.get("story")
    story = next((s for s in stories if s.pk == story_id), None)
    try:
        saved = services.answer_save(
            user=user,
            answer=current,
            notes=form.cleaned_data["notes"],
            story=story,
            # Saved by the countdown at zero: the next clock waits for the candidate.
            start_next=request.POST.get("time_up") != "1",
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _question_page(request, mock, current, form)
    messages.success(request, saved_note(saved.seconds_taken or 0, mock.minutes_per_question))
    return redirect(mock)


def saved_note(taken: int, limit_minutes: int) -> str:
    """ "Answer saved after 45 s.", "… as your 2 minutes ran out: …", "… past your 1 minute: …" """
    minutes, seconds = divmod(taken, 60)
    after = (
        f"{minutes} min {seconds} s"
        if minutes and seconds
        else f"{minutes} min"
        if minutes
        else f"{seconds} s"
    )
    limit = f"{limit_minutes} minute{pluralize(limit_minutes)}"
    if taken < limit_minutes * 60:
        return f"Answer saved after {after}."
    if taken == limit_minutes * 60:
        return f"Answer saved as your {limit} ran out: nothing was lost."
    return f"Answer saved after {after}, past your {limit}: nothing was lost."


def _review_note(user: User, question_ids: list[int]) -> str:
    """Which questions went to spaced review and when the first comes back: "went to your
    review queue" read as due now, and the queue then said "2 questions on Sunday"."""
    if not question_ids:
        return ""
    first = (
        ReviewCard.objects.filter(user=user, question_id__in=question_ids)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )
    count = len(question_ids)
    note = f" {count} question{'s' if count != 1 else ''} went to spaced review"
    if first is None:
        return note + "."
    day = first.astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()
    today = local_today(user)
    when = (
        "today"
        if day <= today
        else "tomorrow"
        if day == today + datetime.timedelta(days=1)
        else f"on {day:%A} {day.day} {day:%B}"
    )
    return note + f": the first comes back {when}."


@require_POST
@login_required
def grade(request: HttpRequest, mock_id: int) -> HttpResponse:
    user = _user(request)
    mock = _own_mock(request, mock_id)
    if not mock.is_in_progress:
        messages.error(request, "This mock is already graded.")
        return redirect(mock)
    answers = list(mock.answers.select_related("question"))
    form = MockGradeForm(request.POST, criteria=services.criteria_for(mock.round), answers=answers)
    if form.is_valid():
        try:
            services.mock_grade(
                user=user, mock=mock, grades=form.grades(), outcomes=form.outcomes()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            outcomes = form.outcomes()
            reviewed = [a.question_id for a in answers if outcomes.get(a.pk) in OUTCOME_TO_REVIEW]
            messages.success(request, "Mock graded." + _review_note(user, reviewed))
            return redirect("mocks:history", mock.round.guide.slug, mock.round.slug)
    return _grade_page(request, mock, form)


@require_POST
@login_required
def abandon(request: HttpRequest, mock_id: int) -> HttpResponse:
    mock = _own_mock(request, mock_id)
    try:
        services.mock_abandon(user=_user(request), mock=mock)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Mock abandoned. Start a new one whenever you like.")
    return redirect("mocks:start", mock.round.guide.slug, mock.round.slug)


@login_required
def history(request: HttpRequest, guide_slug: str, round_slug: str) -> HttpResponse:
    rnd = _round(guide_slug, round_slug)
    mocks = list(
        Mock.objects.of(request.user)
        .filter(round=rnd)
        .annotate(
            nailed=Count("answers", filter=Q(answers__outcome=Outcome.NAILED)),
            shaky=Count("answers", filter=Q(answers__outcome=Outcome.SHAKY)),
            missed=Count("answers", filter=Q(answers__outcome=Outcome.MISSED)),
            question_count=Count("answers"),
        )
        .order_by("started_at", "pk")
    )
    graded = [m for m in mocks if m.status == MockStatus.FINISHED and m.score is not None]
    chart = (
        score_chart([(f"{m.finished_at:%-d %b}", float(m.score)) for m in graded])
        if graded
        else None
    )
    return render(
        request,
        "mocks/history.html",
        {
            "round": rnd,
            "guide": rnd.guide,
            "mocks": list(reversed(mocks)),
            "chart": chart,
            "graded_count": len(graded),
            "breadcrumbs": _crumbs(rnd, "Mock history"),
        },
    )
