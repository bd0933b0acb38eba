"""What a signed-in candidate's own state adds to the public pages: region, ticks, practice.

Each helper adds a fixed number of queries for signed-in visitors and none for anonymous ones, so
the public pages keep their fixed query counts.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery

from questions.models import Question
from rounds.models import Guide, Region, RegionalVariant

from .models import Enrolment, EnrolmentPeriod, EnrolmentStatus, TaskProgress


@dataclass
class RegionChoice:
    region: Region | None = None
    variant: RegionalVariant | None = None
    # The plan whose region this is; None when it is the account's (or there is none).
    enrolment_id: int | None = None

    def __bool__(self) -> bool:
        return self.region is not None

    def is_mine(self, question: Question) -> bool:
        return self.region is not None and question.region_id == self.region.pk


def candidate_region(
    user, guide: Guide, variants: Iterable[RegionalVariant] | None = None
) -> RegionChoice:
    """The region to put first for `user` on `guide`: their plan's, else their account's.

    One query, plus one for the guide's variant unless `variants` (prefetched) is given.
    """
    if not getattr(user, "is_authenticated", False):
        return RegionChoice()
    chosen = Enrolment.objects.filter(user=user, guide=guide, region=OuterRef("pk")).exclude(
        status=EnrolmentStatus.LEFT
    )
    rows = list(
        Region.objects.filter(Q(Exists(chosen)) | Q(pk=user.region_id)).annotate(
            plan=Subquery(chosen.values("pk")[:1])
        )
    )
    region = next((r for r in rows if r.plan), rows[0] if rows else None)
    if variants is not None:
        variant = next((v for v in variants if region and v.region_id == region.pk), None)
    else:
        # Queried even without a region (matching nothing), so the count stays the same.
        variant = RegionalVariant.objects.filter(guide=guide, region=region).first()
    return RegionChoice(
        region=region, variant=variant, enrolment_id=region.plan if region is not None else None
    )


def mine_first(items: list, choice: RegionChoice, key=lambda item: item) -> list:
    """`items` with those of the candidate's region first, order otherwise kept."""
    if not choice:
        return items
    region_id = choice.region.pk
    return sorted(items, key=lambda item: getattr(key(item), "region_id", None) != region_id)


def plan_state(user, guide: Guide) -> tuple[Enrolment | None, set[int]]:
    """The candidate's current enrolment in `guide` and the ids of the tasks they ticked."""
    if not getattr(user, "is_authenticated", False):
        return None, set()
    enrolment = (
        Enrolment.objects.filter(user=user, guide=guide)
        .exclude(status=EnrolmentStatus.LEFT)
        .prefetch_related(
            Prefetch("periods", queryset=EnrolmentPeriod.objects.select_related("block"))
        )
        .first()
    )
    if enrolment is not None:
        # Already loaded: the week label needs the user's time zone and the guide's length.
        enrolment.user = user
        enrolment.guide = guide
    done = set(
        TaskProgress.objects.filter(
            enrolment__user=user,
            enrolment__guide=guide,
            enrolment__status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED],
        ).values_list("task_id", flat=True)
    )
    return enrolment, done
