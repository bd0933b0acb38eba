"""A candidate's story bank: the list, the story form, linking to questions, the coverage grid."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.forms import add_service_errors
from accounts.login_required import login_required
from accounts.models import User
from questions.models import Question
from rounds.models import EvaluationCriterion, Guide
from studyplan.models import Enrolment, EnrolmentStatus

from .forms import StoryForm, StoryPickForm
from .models import Story
from .services import (
    coverage_for,
    story_delete,
    story_link_question,
    story_save,
    story_unlink_question,
)

FIELDS = ("title", "situation", "task", "action", "result", "reflection", "tags")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _followed_guides(user: User) -> QuerySet[Guide]:
    """Published guides the candidate is enrolled in (paused too), in title order."""
    enrolled = Enrolment.objects.filter(user=user).exclude(status=EnrolmentStatus.LEFT)
    return Guide.objects.published().filter(pk__in=enrolled.values("guide_id"))


def _criteria_choices(user: User) -> QuerySet[EvaluationCriterion]:
    return (
        EvaluationCriterion.objects.filter(guide__in=_followed_guides(user))
        .select_related("guide")
        .order_by("guide__company", "guide__role", "order")
    )


@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    stories = Story.objects.of(user).annotate(question_count=Count("questions"))
    return render(
        request,
        "stories/list.html",
        {"stories": stories, "breadcrumbs": [("My stories", None)]},
    )


def _story_form_page(
    request: HttpRequest,
    story: Story | None,
    question: Question | None = None,
    criterion: EvaluationCriterion | None = None,
) -> HttpResponse:
    """The story form; `question` (a new story written from a question's page) is linked on
    save and the candidate goes back to that question."""
    user = _user(request)
    criteria = _criteria_choices(user)
    if request.method == "POST":
        form = StoryForm(request.POST, criteria=criteria)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = story_save(
                    user=user,
                    story=story,
                    criteria=data["criteria"],
                    questions=[question] if question is not None else None,
                    **{name: data[name] for name in FIELDS},
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Your story “{saved.title}” is saved.")
                if question is not None:
                    return redirect(question.get_absolute_url() + "#stories")
                return redirect("stories:list")
        status = 400
    else:
        initial = {name: getattr(story, name) for name in FIELDS} if story else {}
        if story is not None:
            initial["criteria"] = [c.pk for c in story.criteria.all()]
        elif criterion is not None:
            initial["criteria"] = [criterion.pk]
        form = StoryForm(initial=initial, criteria=criteria)
        status = 200
    linked = list(story.questions.select_related("guide")) if story is not None else []
    return render(
        request,
        "stories/form.html",
        {
            "form": form,
            "story": story,
            "for_question": question,
            "linked_questions": linked,
            "breadcrumbs": [
                ("My stories", reverse("stories:list")),
                (story.title if story else "New story", None),
            ],
        },
        status=status,
    )


@login_required
def story_new(request: HttpRequest) -> HttpResponse:
    # ?question=<id> from a question's page: the one place to write STAR text for it.
    raw = request.POST.get("question") or request.GET.get("question") or ""
    question = None
    if raw:
        if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
            raise Http404("No such question.")
        question = get_object_or_404(
            Question.objects.published().select_related("guide"), pk=int(raw)
        )
    # ?criterion=<id> from a gap of the coverage grid: the new story is marked as showing it.
    raw = request.GET.get("criterion") or ""
    criterion = None
    if raw:
        if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
            raise Http404("No such criterion.")
        criterion = get_object_or_404(_criteria_choices(_user(request)), pk=int(raw))
    return _story_form_page(request, None, question, criterion)


@login_required
def story_edit(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.of(request.user), pk=story_id)
    return _story_form_page(request, story)


@require_POST
@login_required
def story_remove(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.of(request.user), pk=story_id)
    story_delete(user=_user(request), story=story)
    messages.success(request, f"Your story “{story.title}” is deleted.")
    return redirect("stories:list")


def _pick(request: HttpRequest) -> tuple[Story, Question]:
    form = StoryPickForm(request.POST)
    if not form.is_valid():
        raise Http404("No such story or question.")
    story = get_object_or_404(Story.objects.of(request.user), pk=form.cleaned_data["story"])
    question = get_object_or_404(
        Question.objects.published().select_related("guide"), pk=form.cleaned_data["question"]
    )
    return story, question


def _back(request: HttpRequest, story: Story, question: Question) -> HttpResponse:
    if request.POST.get("from") == "story":
        return redirect(story)
    return redirect(question.get_absolute_url() + "#stories")


@require_POST
@login_required
def story_link(request: HttpRequest) -> HttpResponse:
    story, question = _pick(request)
    story_link_question(user=_user(request), story=story, question=question)
    messages.success(request, f"“{story.title}” now answers this question.")
    return _back(request, story, question)


@require_POST
@login_required
def story_unlink(request: HttpRequest) -> HttpResponse:
    story, question = _pick(request)
    story_unlink_question(user=_user(request), story=story, question=question)
    messages.success(request, f"“{story.title}” no longer answers “{question}”.")
    return _back(request, story, question)


@login_required
def coverage_index(request: HttpRequest) -> HttpResponse:
    """The first followed guide's grid; the grid page lists the others."""
    guide = _followed_guides(_user(request)).first()
    if guide is None:
        return render(
            request,
            "stories/coverage.html",
            {
                "coverage": None,
                "breadcrumbs": [("My stories", reverse("stories:list")), ("Coverage", None)],
            },
        )
    return redirect("stories:coverage", guide_slug=guide.slug)


@login_required
def coverage(request: HttpRequest, guide_slug: str) -> HttpResponse:
    user = _user(request)
    guides = list(_followed_guides(user))
    guide = next((g for g in guides if g.slug == guide_slug), None)
    if guide is None:
        raise Http404("You do not follow this guide.")
    stories = list(Story.objects.of(user))
    return render(
        request,
        "stories/coverage.html",
        {
            "coverage": coverage_for(user=user, guide=guide, stories=stories),
            "guides": guides,
            "guide": guide,
            "breadcrumbs": [("My stories", reverse("stories:list")), ("Coverage", None)],
        },
    )
