"""A candidate's practice pages: the practice form on a question, and "My notes"."""

import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import add_service_errors
from accounts.login_required import kept_post, login_required
from accounts.models import User
from questions.models import Question
from rounds.models import Guide
from stories.models import Story

from .forms import PracticeForm
from .models import PracticeStatus, QuestionProgress
from .review import review_context
from .runs import parse_run, with_run
from .services import (
    practice_next,
    question_practice,
    question_practice_as_typed,
    question_progress_delete,
    question_uses_star,
)

# Where the outcome of a rating given without JavaScript waits for the question page to show it.
RATED_SESSION_KEY = "rated_outcome"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def practice_context_for(
    question: Question,
    progress_row: QuestionProgress | None,
    form: PracticeForm | None = None,
    *,
    user: User | None = None,
) -> dict:
    use_star = question_uses_star(question)
    if form is None:
        initial = {"status": "new"}
        if progress_row is not None:
            initial = {"status": progress_row.status, "answer_draft": progress_row.answer_draft}
        form = PracticeForm(initial=initial, auto_id=f"q{question.pk}-%s")
    return {
        "question": question,
        "practice": progress_row,
        "practice_form": form,
        "use_star": use_star,
        **(review_context(user, question) if user is not None else {}),
        **(_story_context(user, question) if user is not None else {}),
    }


def _story_context(user: User, question: Question) -> dict:
    """The stories answering this question, and the others for "Use one of your stories"."""
    stories = list(Story.objects.of(user).with_link_to(question).only("pk", "title"))
    return {
        "linked_stories": [s for s in stories if s.linked],
        "unlinked_stories": [s for s in stories if not s.linked],
    }


def practice_context(request: HttpRequest, question: Question, guide: Guide) -> dict:
    """What the question page needs to show the practice form: one query when signed in (and
    one more inside a "Practise next" run)."""
    question.guide = guide
    if not request.user.is_authenticated:
        return {"question": question, "practice_form": None}
    if not question.is_published or not question.guide.is_published:
        return {"question": question, "practice_form": None, "practice_unavailable": True}
    row = QuestionProgress.objects.filter(user=request.user, question=question).first()
    run = parse_run(guide, request.GET.get("run")) if "run" in request.GET else None
    kept = _kept_practice(request, question)
    form = None
    if kept is not None:
        status = kept.get("status") or (row.status if row is not None else PracticeStatus.NEW)
        initial = {"status": status, "answer_draft": kept.get("answer_draft", "")}
        form = PracticeForm(initial=initial, auto_id=f"q{question.pk}-%s")
    context = practice_context_for(question, row, form, user=_user(request))
    return {
        **context,
        "run": run,
        "practice_kept": kept is not None,
        # A rating sent with the notes is not replayed: the candidate rates again, knowingly.
        "practice_kept_rating": (kept or {}).get("rating") in {"1", "2", "3", "4"},
        "rated": _rated_outcome(request, question),
    }


def _rated_outcome(request: HttpRequest, question: Question) -> dict | None:
    """The outcome of the rating just given without JavaScript, shown beside the ratings: at
    the top of the page, where messages go, a phone showed it off-screen."""
    rated = request.session.get(RATED_SESSION_KEY)
    if not isinstance(rated, dict) or rated.get("question") != question.pk:
        return None
    del request.session[RATED_SESSION_KEY]
    return {"message": rated.get("message", ""), "ok": bool(rated.get("ok"))}


def _kept_practice(request: HttpRequest, question: Question) -> dict[str, str] | None:
    """Notes posted (saved or with a rating) after the session had ended, kept to fill in."""
    args = [question.guide.slug, question.slug]
    return kept_post(request, reverse("practice:question", args=args)) or kept_post(
        request, reverse("practice:rate", args=args)
    )


# Sent by static/js/practice-autosave.js: the form saves itself while the candidate types.
AUTOSAVE_HEADER = "X-Prep-Autosave"


def save_as_typed(
    user: User, question: Question, form: PracticeForm
) -> tuple[QuestionProgress | None, bool]:
    """The practice form saved as typed (see question_practice_as_typed): the saved row, or
    None with the form's errors set; and whether the refusal was a conflict."""
    if not form.is_valid():
        return None, False
    try:
        return question_practice_as_typed(user=user, question=question, **form.cleaned_data), False
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, getattr(exc, "code", None) == "conflict"


def practice_page(
    request: HttpRequest, question: Question, context: dict, *, status: int = 200
) -> HttpResponse:
    """The practice section for htmx (swapped in place), else the practice page."""
    if is_htmx(request):
        return render(request, "practice/includes/practice_form.html", context)
    context["breadcrumbs"] = [
        (question.guide.title, question.guide.get_absolute_url()),
        ("Questions", reverse("questions:list", kwargs={"guide_slug": question.guide.slug})),
        ("Practise", None),
    ]
    return render(request, "practice/practice.html", context, status=status)


def _autosave(user: User, question: Question, form: PracticeForm) -> JsonResponse:
    """Save the form as typed so far and answer in JSON, leaving the page as it is.

    A swap of the form would move the caret under the candidate's fingers, so the script only
    shows the answer's message. Typing notes does not count as practising again: the status
    (and with it the last-practised time) is saved only when the candidate changed it.
    """
    saved, conflict = save_as_typed(user, question, form)
    if saved is None:
        errors = {name: list(errs) for name, errs in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return JsonResponse(
            {"saved": False, "message": f"Not saved: {first}", "errors": errors},
            status=409 if conflict else 400,
        )
    at = saved.updated_at.astimezone(zoneinfo.ZoneInfo(user.time_zone))
    return JsonResponse(
        {
            "saved": True,
            "saved_at": saved.updated_at.isoformat(),
            "message": f"Saved at {at:%H:%M}.",
            # A new status moves "Last practised …" under it; the script puts this in its place.
            "last_practised": render_to_string(
                "practice/includes/last_practised.html", {"practice": saved, "user": user}
            ).strip(),
        }
    )


@require_POST
@login_required(keep_post=True)
def practise_question(request: HttpRequest, guide_slug: str, question_slug: str) -> HttpResponse:
    user = _user(request)
    question = get_object_or_404(
        Question.objects.published().select_related("guide", "round"),
        guide__slug=guide_slug,
        slug=question_slug,
    )
    form = PracticeForm(request.POST, auto_id=f"q{question.pk}-%s")
    if request.headers.get(AUTOSAVE_HEADER) == "1":
        return _autosave(user, question, form)
    run = parse_run(question.guide, request.POST.get("run")) if "run" in request.POST else None
    saved = None
    if form.is_valid():
        try:
            saved = question_practice(user=user, question=question, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if saved is not None and not is_htmx(request):
        messages.success(request, "Your practice is saved.")
        return redirect(with_run(question.get_absolute_url(), run) + "#practice")
    if saved is not None:
        context = practice_context_for(question, saved, user=user)
        context["just_saved"] = True
    else:
        row = QuestionProgress.objects.filter(user=user, question=question).first()
        context = practice_context_for(question, row, form, user=user)
    context["run"] = run
    return practice_page(request, question, context, status=400)


@login_required
def notes(request: HttpRequest) -> HttpResponse:
    rows = list(
        QuestionProgress.objects.filter(user=request.user)
        .select_related("guide", "question__guide")
        .order_by("guide__company", "guide__role", "guide_id", "guide_title", "-updated_at")
    )
    return render(
        request,
        "practice/notes.html",
        {"notes": rows, "breadcrumbs": [("My notes", None)]},
    )


@require_POST
@login_required
def note_delete(request: HttpRequest, note_id: int) -> HttpResponse:
    row = get_object_or_404(QuestionProgress, pk=note_id, user=request.user)
    question_progress_delete(user=_user(request), progress=row)
    messages.success(request, f"Your notes on “{row.question_text[:80]}” are deleted.")
    return redirect("practice:notes")


@require_GET
@login_required
def practise_next(request: HttpRequest, guide_slug: str) -> HttpResponse:
    """Open the next question of a run (see `practice_next` for the order)."""
    guide = get_object_or_404(Guide.objects.published(), slug=guide_slug)
    run = parse_run(guide, request.GET.get("run", "guide"))
    if run is None:
        raise Http404("This guide has no such round or study week.")
    after = request.GET.get("after", "")
    skipping = (
        Question.objects.filter(guide=guide, pk=int(after)).first()
        if after.isascii() and after.isdigit() and len(after) < 19
        else None
    )
    question = practice_next(
        user=_user(request), guide=guide, round=run.round, block=run.block, skipping=skipping
    )
    if question is None:
        messages.success(
            request,
            f"Nothing left to practise in {run.label}: every question there is practised or "
            "confident.",
        )
        return redirect(run.done_url)
    question.guide = guide
    return redirect(with_run(question.get_absolute_url(), run) + "#practice")
