"""Public pages: the guide list, search, a guide, one of its rounds and one of its regions."""

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from prep.caching import cache_candidate_page, cache_public_page
from questions.models import Question, QuestionKind
from search.results import SearchResults
from search.services import question_hits, site_search
from search.terms import clean_query, corrections

from .models import Guide, RegionalVariant, Round
from .paging import paginate

SEARCH_RESULTS_PER_PAGE = 25
# Divisible by the card grid's two and three columns, so no page ends on a half-empty row.
GUIDES_PER_PAGE = 24


def _shows_drafts(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_staff", False))


def _not_written(request: HttpRequest, sections: list[tuple[str, object]]) -> list[str]:
    """Headings of the sections that have nothing to show yet, in page order, for staff only.

    A to-do list for recruiters: visitors and candidates are not shown what is missing, only
    what is there. Staff pages are signed in, so the page cache never serves them to anyone else.
    """
    if not _shows_drafts(request):
        return []
    return [heading for heading, content in sections if not content]


def _count_of(queryset: QuerySet) -> Subquery:
    """COUNT(*) of `queryset` (filtered on OuterRef) as a correlated subquery.

    Each guide's rows are counted through an index on the guide instead of joining every row
    of every guide and grouping them, which reads the whole table at 100 guides.
    """
    # Func rather than Count: an aggregate would add a GROUP BY, giving one row per question.
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


@cache_public_page(reads=("page",))
def home(request: HttpRequest) -> HttpResponse:
    questions = Question.objects.filter(guide=OuterRef("pk"))
    if not _shows_drafts(request):
        questions = questions.filter(is_published=True)
    # A page of guides, not all of them: at a hundred guides, counting (and rendering) every
    # guide's questions took most of the page. The page's guides are chosen first and only they
    # are counted: PostgreSQL evaluates a subquery in the select list for every row it skips
    # with OFFSET too, so later pages cost as much as showing all the guides before them.
    visible = Guide.objects.visible_to(request.user)
    result = paginate(
        visible.values_list("pk", flat=True), request.GET.get("page"), per_page=GUIDES_PER_PAGE
    )
    guides = visible.filter(pk__in=list(result.page.object_list)).annotate(
        round_count=_count_of(Round.objects.filter(guide=OuterRef("pk"))),
        question_count=_count_of(questions),
    )
    return render(
        request,
        "rounds/home.html",
        {
            "guides": list(guides),
            "page_obj": result.page,
            "page_note": result.note,
            "breadcrumbs": [],
        },
    )


@cache_public_page(reads=("q", "kind", "page"))
def search(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))
    raw_kind = request.GET.get("kind", "")
    kind = raw_kind if raw_kind in QuestionKind.values else None
    kind_note = (
        f"There is no kind “{raw_kind[:40]}”; showing every kind." if raw_kind and not kind else ""
    )
    results = site_search(query, kind=kind) if query else None
    page, page_note, hits = None, "", []
    if results is not None:
        result = paginate(
            results.question_ids, request.GET.get("page"), per_page=SEARCH_RESULTS_PER_PAGE
        )
        page, page_note = result.page, result.note
        hits = question_hits(list(page.object_list), results.terms)
    return render(
        request,
        "rounds/search.html",
        {
            "query": query,
            "results": results,
            "corrected": corrections(results.terms) if results else "",
            "kind": kind,
            "kind_label": QuestionKind(kind).label if kind else "",
            "kind_total": sum(results.kind_counts.values()) if results else 0,
            "kind_options": _kind_options(results, kind),
            "kind_note": kind_note,
            "page_obj": page,
            "page_note": page_note,
            "question_hits": hits,
            "questions": [hit.question for hit in hits],
            "breadcrumbs": [("Search", None)],
        },
    )


def _kind_options(results: SearchResults | None, chosen: str | None) -> list[dict]:
    """The kind filter's options with how many matching questions each would show."""
    counts = results.kind_counts if results else {}
    return [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "checked": value == chosen,
            # A kind without matches is shown but cannot be chosen, unless it already is.
            "disabled": not counts.get(value) and value != chosen,
        }
        for value, label in QuestionKind.choices
    ]


@cache_public_page
@cache_candidate_page
def guide_detail(request: HttpRequest, guide_slug: str) -> HttpResponse:
    round_questions = Question.objects.filter(round=OuterRef("pk"))
    region_questions = Question.objects.filter(
        guide=OuterRef("guide_id"), region=OuterRef("region_id")
    )
    if not _shows_drafts(request):
        round_questions = round_questions.filter(is_published=True)
        region_questions = region_questions.filter(is_published=True)
    rounds = Round.objects.annotate(question_count=_count_of(round_questions))
    variants = RegionalVariant.objects.select_related("region").annotate(
        question_count=_count_of(region_questions)
    )
    guide = get_object_or_404(
        Guide.objects.visible_to(request.user).prefetch_related(
            "criteria",
            Prefetch("rounds", queryset=rounds),
            Prefetch("regional_variants", queryset=variants),
            "study_blocks",
        ),
        slug=guide_slug,
    )
    questions = Question.objects.visible_to(request.user).filter(guide=guide)
    common_questions = list(
        questions.filter(round=None, region=None).exclude(kind=QuestionKind.CODING)
    )
    coding_questions = list(questions.filter(kind=QuestionKind.CODING).select_related("round"))
    rounds_list = list(guide.rounds.all())
    criteria = list(guide.criteria.all())
    blocks = list(guide.study_blocks.all())
    variants_list = list(guide.regional_variants.all())
    dsa_heading = "Commonly Asked DSA Questions"
    dsa_subline = f"Frequently asked coding questions at {guide.company}"
    not_written = _not_written(
        request,
        [
            ("Overall Evaluation Criteria", criteria),
            ("Preparation Tips", guide.preparation_tip_items()),
            ("Process Timeline", rounds_list),
            ("Interview Rounds", rounds_list),
            ("Study Plan", blocks),
            ("Commonly Asked Questions", common_questions),
            ("Location-Based Differences", variants_list),
            (f"{dsa_heading} ({dsa_subline})", coding_questions),
        ],
    )
    return render(
        request,
        "rounds/guide.html",
        {
            "guide": guide,
            "criteria": criteria,
            # Titles alone make empty cards: without any description they are a compact list.
            "criteria_described": any(criterion.description for criterion in criteria),
            "rounds": rounds_list,
            "blocks": blocks,
            "variants": variants_list,
            "common_questions": common_questions,
            "coding_questions": coding_questions,
            "dsa_subline": dsa_subline,
            "not_written": not_written,
            "fill_url": reverse("admin:rounds_guide_change", args=[guide.pk]),
            "breadcrumbs": [(guide.title, None)],
        },
    )


@cache_public_page
@cache_candidate_page
def round_detail(request: HttpRequest, guide_slug: str, round_slug: str) -> HttpResponse:
    guide = get_object_or_404(
        Guide.objects.visible_to(request.user).prefetch_related("rounds"), slug=guide_slug
    )
    rounds = list(guide.rounds.all())
    index = next((i for i, r in enumerate(rounds) if r.slug == round_slug), None)
    if index is None:
        raise Http404("No such round in this guide.")
    current = rounds[index]
    questions = list(Question.objects.visible_to(request.user).filter(round=current))
    not_written = _not_written(
        request,
        [
            ("What Interviewers Look For", current.look_for_items()),
            ("Evaluation Criteria", current.criteria_items()),
            ("Questions Asked", questions),
            ("Preparation Tips", current.tip_items()),
            ("Common Reasons for Rejection", current.rejection_items()),
        ],
    )
    return render(
        request,
        "rounds/round.html",
        {
            "guide": guide,
            "round": current,
            "rounds": rounds,
            "round_number": index + 1,
            "round_count": len(rounds),
            "previous_round": rounds[index - 1] if index > 0 else None,
            "next_round": rounds[index + 1] if index + 1 < len(rounds) else None,
            "questions": questions,
            "not_written": not_written,
            "fill_url": reverse("admin:rounds_round_change", args=[current.pk]),
            "breadcrumbs": [
                (guide.title, guide.get_absolute_url()),
                (f"Round {index + 1}: {current.title}", None),
            ],
        },
    )


@cache_public_page
@cache_candidate_page
def region_detail(request: HttpRequest, guide_slug: str, region_slug: str) -> HttpResponse:
    guide = get_object_or_404(
        Guide.objects.visible_to(request.user).prefetch_related(
            Prefetch("regional_variants", queryset=RegionalVariant.objects.select_related("region"))
        ),
        slug=guide_slug,
    )
    variants = list(guide.regional_variants.all())
    variant = next((v for v in variants if v.region.slug == region_slug), None)
    if variant is None:
        raise Http404("This guide says nothing about that region.")
    questions = list(
        Question.objects.visible_to(request.user)
        .filter(guide=guide, region=variant.region)
        .select_related("round")
    )
    not_written = _not_written(
        request,
        [
            ("Interview Focus", variant.focus_items()),
            ("Common Questions", questions),
            ("Tips", variant.tip_items()),
        ],
    )
    bank_url = reverse("questions:list", kwargs={"guide_slug": guide.slug})
    return render(
        request,
        "rounds/region.html",
        {
            "guide": guide,
            "variant": variant,
            "region": variant.region,
            "other_variants": [v for v in variants if v.pk != variant.pk],
            "questions": questions,
            "not_written": not_written,
            # Regional variants are edited inline on their guide's admin page.
            "fill_url": reverse("admin:rounds_guide_change", args=[guide.pk]),
            "region_bank_url": f"{bank_url}?region={variant.region.slug}",
            "breadcrumbs": [
                (guide.title, guide.get_absolute_url()),
                (variant.region.name, None),
            ],
        },
    )
