"""The question bank of a guide and one question's page."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from practice.views import practice_context
from prep.caching import cache_candidate_page, cache_public_page
from rounds.models import Guide
from rounds.paging import paginate
from studyplan.tailoring import candidate_region

from .filters import QuestionFilter
from .models import Question

QUESTIONS_PER_PAGE = 25


@cache_public_page(reads=(*QuestionFilter.Meta.fields, "page"))
@cache_candidate_page
def question_list(request: HttpRequest, guide_slug: str) -> HttpResponse:
    guide = get_object_or_404(Guide.objects.visible_to(request.user), slug=guide_slug)
    questions = (
        Question.objects.visible_to(request.user)
        .filter(guide=guide)
        .select_related("round", "region")
        .prefetch_related("tags")
    )
    filterset = QuestionFilter(request.GET, queryset=questions, guide=guide, user=request.user)
    # Counted from the guide's index, with no query per option; the same pass gives the total.
    facets = filterset.facets()
    result = paginate(
        filterset.qs,
        request.GET.get("page"),
        per_page=QUESTIONS_PER_PAGE,
        count=filterset.matching_count,
    )
    form = filterset.form
    active_filters = [
        {
            "label": form[name].label,
            "value": dict(getattr(form.fields[name], "choices", [])).get(value, value),
            "clear_url": _url_without(request, name),
        }
        for name, value in form.cleaned_data.items()
        if value
    ]
    filter_errors = [_filter_error(form, name, request.GET.get(name, "")) for name in form.errors]
    return render(
        request,
        "questions/list.html",
        {
            "guide": guide,
            "filter": filterset,
            "form": form,
            "active_filters": active_filters,
            "filter_errors": filter_errors,
            "facets": facets,
            "page_obj": result.page,
            "page_note": result.note,
            "breadcrumbs": [
                (guide.title, guide.get_absolute_url()),
                ("Question bank", None),
            ],
        },
    )


@cache_public_page
def question_detail(request: HttpRequest, guide_slug: str, question_slug: str) -> HttpResponse:
    guide = get_object_or_404(Guide.objects.visible_to(request.user), slug=guide_slug)
    question = get_object_or_404(
        Question.objects.visible_to(request.user)
        .filter(guide=guide)
        .select_related("round", "region")
        .prefetch_related("tags"),
        slug=question_slug,
    )
    siblings = list(
        Question.objects.visible_to(request.user)
        .filter(guide=guide)
        .filter(_same_group(question))
        .only("slug", "text", "order", "round", "region")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == question.pk)
    breadcrumbs = [(guide.title, guide.get_absolute_url())]
    if question.round:
        round_url = reverse(
            "rounds:detail", kwargs={"guide_slug": guide.slug, "round_slug": question.round.slug}
        )
        breadcrumbs.append((question.round.title, round_url))
    return render(
        request,
        "questions/detail.html",
        {
            "guide": guide,
            "question": question,
            "previous_question": siblings[index - 1] if index > 0 else None,
            "next_question": siblings[index + 1] if index + 1 < len(siblings) else None,
            "breadcrumbs": [*breadcrumbs, (str(question), None)],
            # The signed-in candidate's practice form and region: two queries, none if anonymous.
            **practice_context(request, question, guide),
            "my_region": candidate_region(request.user, guide, variants=()).region,
        },
    )


def _same_group(question: Question) -> Q:
    """The questions listed together with `question`: its round's, else its region's, else
    the guide-wide ones."""
    if question.round_id:
        return Q(round_id=question.round_id)
    return Q(round=None, region_id=question.region_id)


def _filter_error(form, name: str, raw: str) -> str:
    """Why one filter was ignored, in words a candidate understands."""
    label = form[name].label
    if name == "status":
        return f"{label}: choose new, practised or confident; that filter is ignored."
    if hasattr(form.fields[name], "choices"):
        return f"{label}: there is no “{raw[:40]}” in this guide, so that filter is ignored."
    return f"{label}: {' '.join(form.errors[name])}"


def _url_without(request: HttpRequest, name: str) -> str:
    """This page's address with one filter removed, back on the first page."""
    params = request.GET.copy()
    params.pop(name, None)
    params.pop("page", None)
    return f"{request.path}?{params.urlencode()}" if params else request.path
