"""Spaced review pages: rate a practice, work through the review queue, set the retention."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.forms import add_service_errors
from accounts.login_required import login_required
from accounts.models import User
from accounts.views import settings_page
from prep.caching import cache_candidate_page
from questions.models import Question

from . import review
from .forms import PracticeForm
from .models import QuestionProgress
from .review_forms import RatingForm, RetentionForm
from .review_models import Rating, Review
from .runs import parse_run, with_run
from .views import (
    RATED_SESSION_KEY,
    is_htmx,
    practice_context_for,
    practice_page,
    save_as_typed,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_POST
@login_required(keep_post=True)
def rate(request: HttpRequest, guide_slug: str, question_slug: str) -> HttpResponse:
    user = _user(request)
    question = get_object_or_404(
        Question.objects.published().select_related("guide"),
        guide__slug=guide_slug,
        slug=question_slug,
    )
    from_queue = request.POST.get("from") == "queue"
    # Rated during a "Practise next" run: the question's page comes back with the run going on.
    run = parse_run(question.guide, request.POST.get("run")) if "run" in request.POST else None
    back = with_run(question.get_absolute_url(), run)
    if not from_queue and "answer_draft" in request.POST:
        # The rating buttons belong to the practice form: the notes typed above them come along
        # and are saved first (they were lost when the rating was a form of its own).
        practice_form = PracticeForm(request.POST, auto_id=f"q{question.pk}-%s")
        practised, _ = save_as_typed(user, question, practice_form)
        if practised is None:
            row = QuestionProgress.objects.filter(user=user, question=question).first()
            context = practice_context_for(question, row, practice_form, user=user)
            return practice_page(request, question, {**context, "run": run}, status=400)
    form = RatingForm(request.POST)
    if not form.is_valid():
        outcome, ok = form.errors["rating"][0], False
    else:
        try:
            saved = review.review_submit(
                user=user, question=question, rating=form.cleaned_data["rating"]
            )
        except ValidationError as exc:
            outcome, ok = " ".join(exc.messages), False
        else:
            outcome, ok = _rated_message(saved), True
    if is_htmx(request) and not from_queue:
        # The practice section comes back in place, with the new review date and the outcome.
        row = QuestionProgress.objects.filter(user=user, question=question).first()
        context = practice_context_for(question, row, user=user)
        return practice_page(
            request, question, {**context, "run": run, "rated": {"message": outcome, "ok": ok}}
        )
    if from_queue:
        (messages.success if ok else messages.error)(request, outcome)
        return redirect("practice:review_queue")
    request.session[RATED_SESSION_KEY] = {"question": question.pk, "message": outcome, "ok": ok}
    return redirect(back + "#review")


def _rated_message(saved: Review) -> str:
    days = saved.interval_days
    when = "again today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    return f"Rated {Rating(saved.rating).label}: this question comes back for review {when}" + (
        ", before your interview." if saved.capped_by_interview else "."
    )


@login_required
@cache_candidate_page
def review_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = review.local_today(user)
    card = review.next_due_card(user, today)
    context = {
        "card": card,
        "question": card.question if card is not None else None,
        "due_count": review.due_count(user, today) if card is not None else 0,
        "rating_choices": Rating.choices,
        "breadcrumbs": [("Dashboard", reverse("studyplan:dashboard")), ("Review", None)],
    }
    if card is not None:
        context["framework"] = review.framework_for(card.question.kind)
    else:
        # An empty queue says when to come back: "1 question went to your review queue" after
        # a mock, then "Nothing to review today" read as if it had been lost.
        context["next_reviews"] = review.next_reviews(user, today)
    return render(request, "practice/review_queue.html", context)


@require_POST
@login_required
def retention_update(request: HttpRequest) -> HttpResponse:
    form = RetentionForm(request.POST, auto_id="retention-%s")
    if form.is_valid():
        try:
            review.practice_settings_update(
                user=_user(request), desired_retention=form.cleaned_data["desired_retention"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Review setting saved; your next ratings use it.")
            return redirect("accounts:settings")
    # Back on the settings page with the value as typed and the error beside it.
    return settings_page(request, retention_form=form)
