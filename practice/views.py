"""A candidate's practice pages: the practice form on a question, and "My notes"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.forms import add_service_errors
from accounts.models import User
from questions.models import Question
from rounds.models import Guide

from .forms import PracticeForm
from .models import QuestionProgress
from .review import review_context
from .services import question_practice, question_progress_delete, question_uses_star


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _practice_context(
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
            initial = {
                "status": progress_row.status,
                "answer_draft": progress_row.answer_draft,
                "star_situation": progress_row.star_situation,
                "star_task": progress_row.star_task,
                "star_action": progress_row.star_action,
                "star_result": progress_row.star_result,
            }
        form = PracticeForm(initial=initial, use_star=use_star, auto_id=f"q{question.pk}-%s")
    return {
        "question": question,
        "practice": progress_row,
        "practice_form": form,
        "use_star": use_star,
        **(review_context(user, question) if user is not None else {}),
    }


def practice_context(request: HttpRequest, question: Question, guide: Guide) -> dict:
    """What the question page needs to show the practice form: one query when signed in."""
    question.guide = guide
    if not request.user.is_authenticated:
        return {"question": question, "practice_form": None}
    if not question.is_published or not question.guide.is_published:
        return {"question": question, "practice_form": None, "practice_unavailable": True}
    row = QuestionProgress.objects.filter(user=request.user, question=question).first()
    return _practice_context(question, row, user=_user(request))


@require_POST
@login_required
def practise_question(request: HttpRequest, guide_slug: str, question_slug: str) -> HttpResponse:
    user = _user(request)
    question = get_object_or_404(
        Question.objects.published().select_related("guide", "round"),
        guide__slug=guide_slug,
        slug=question_slug,
    )
    form = PracticeForm(
        request.POST, use_star=question_uses_star(question), auto_id=f"q{question.pk}-%s"
    )
    saved = None
    if form.is_valid():
        try:
            saved = question_practice(user=user, question=question, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if saved is not None and not _is_htmx(request):
        messages.success(request, "Your practice is saved.")
        return redirect(question.get_absolute_url() + "#practice")
    if saved is not None:
        context = _practice_context(question, saved, user=user)
        context["just_saved"] = True
    else:
        row = QuestionProgress.objects.filter(user=user, question=question).first()
        context = _practice_context(question, row, form, user=user)
    if _is_htmx(request):
        return render(request, "practice/includes/practice_form.html", context)
    context["breadcrumbs"] = [
        (question.guide.title, question.guide.get_absolute_url()),
        ("Questions", reverse("questions:list", kwargs={"guide_slug": question.guide.slug})),
        ("Practise", None),
    ]
    return render(request, "practice/practice.html", context, status=400)


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
