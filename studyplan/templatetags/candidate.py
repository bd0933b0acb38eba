"""Template tags that add the signed-in candidate's own view to the public pages.

They run inside the public templates so those pages' views stay about content; each adds a fixed
number of queries for signed-in visitors and none for anonymous ones.
"""

from dataclasses import dataclass, field

from django import template

from questions.models import Question
from rounds.models import Guide
from studyplan.models import Enrolment, EnrolmentStatus
from studyplan.progress import week_label
from studyplan.tailoring import RegionChoice, candidate_region, mine_first

register = template.Library()


@dataclass
class CandidateView:
    choice: RegionChoice = field(default_factory=RegionChoice)
    enrolment: Enrolment | None = None
    region_questions: list[Question] = field(default_factory=list)

    @property
    def region(self):
        return self.choice.region

    @property
    def variant(self):
        return self.choice.variant


@register.simple_tag(takes_context=True)
def candidate_view(
    context,
    guide: Guide,
    variants=None,
    with_enrolment: bool = False,
    with_questions: bool = False,
    with_variant: bool = True,
) -> CandidateView:
    """The candidate's region (with its variant) for `guide`, and optionally enrolment and the
    region's questions. Usage: {% candidate_view guide variants with_enrolment=True as me %}."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return CandidateView()
    if not with_variant:
        variants = ()
    view = CandidateView(choice=candidate_region(user, guide, variants))
    if with_enrolment:
        view.enrolment = (
            Enrolment.objects.filter(user=user, guide=guide)
            .exclude(status=EnrolmentStatus.LEFT)
            .first()
        )
    if with_questions and view.region is not None:
        view.region_questions = list(
            Question.objects.published().filter(guide=guide, region=view.region)
        )
    return view


@register.filter
def region_first(items, me: CandidateView):
    """Questions or variants of the candidate's region first, the rest in their order."""
    if not isinstance(me, CandidateView) or not me.choice:
        return items
    return mine_first(list(items), me.choice)


@register.filter
def is_my_region(item, me: CandidateView) -> bool:
    if not isinstance(me, CandidateView) or me.region is None:
        return False
    return getattr(item, "region_id", None) == me.region.pk


@register.simple_tag
def plan_week_label(enrolment: Enrolment) -> str:
    """Where the candidate is in `enrolment` today, in their time zone."""
    return week_label(enrolment, enrolment.local_today())
