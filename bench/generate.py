"""Content and candidates at benchmark scale, written with bulk_create in a few seconds.

`seed` imports the real OKX guide and a handful of candidates (the small size); `grow` adds
generated guides of 300 questions each and candidates with ticks and practice up to the large size.
The pages benchmarked are the OKX guide's at both sizes, so any slowdown is the database's growth.
"""

import datetime
import random
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from practice.models import PracticeStatus, QuestionProgress
from questions.models import Question, QuestionKind, Tag
from rounds.models import Guide, GuideStatus, Region, RegionalVariant, Round
from studyplan.models import Enrolment, EnrolmentStatus, StudyBlock, StudyTask, TaskProgress

SEED = Path(__file__).resolve().parent.parent / "content" / "okx-head-of-engineering.yaml"
SEED_SLUG = "okx-head-of-engineering"
BENCH_EMAIL = "bench.candidate@example.com"
BENCH_PASSWORD = "bench-candidate-password"
BATCH = 2000
KINDS = [kind for kind in QuestionKind.values if kind != QuestionKind.CODING]
# Generated questions carry two of these tags each, so tag filters and tag search have real work.
TAG_NAMES = [f"bench-topic-{n}" for n in range(40)]


def _monday_weeks_ago(weeks: int) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday(), weeks=weeks)


def _password_hash() -> str:
    # Hashing ten thousand passwords would take minutes; they all share one.
    return make_password(BENCH_PASSWORD)


def seed(*, candidates: int) -> None:
    """The OKX guide and `candidates` candidates enrolled in it, one of them the bench candidate."""
    call_command("import_guide", str(SEED), verbosity=0)
    guide = Guide.objects.get(slug=SEED_SLUG)
    _add_candidates([guide], count=candidates, start_index=0)


def grow(*, guides: int, questions_per_guide: int, candidates: int) -> None:
    """Generated guides up to `guides` in all and candidates up to `candidates` in all."""
    existing = Guide.objects.count()
    new_guides = _add_guides(guides - existing, questions_per_guide, first=existing)
    _add_candidates(
        new_guides, count=candidates - User.objects.count(), start_index=User.objects.count()
    )


@transaction.atomic
def _add_guides(count: int, questions_per_guide: int, *, first: int) -> list[Guide]:
    rng = random.Random(7)
    regions = list(Region.objects.all()) or Region.objects.bulk_create(
        [Region(name=f"Region {n}", slug=f"region-{n}", order=n) for n in range(3)]
    )
    guides = Guide.objects.bulk_create(
        [
            Guide(
                slug=f"bench-company-{n}-engineering-manager",
                company=f"Bench Company {n}",
                role="Engineering Manager",
                category="Software Engineering Manager",
                summary="A generated guide for benchmarks.",
                status=GuideStatus.PUBLISHED,
                preparation_tips="Know the product.\nPrepare stories.\nPractise system design.",
                plan_weeks=8,
            )
            for n in range(first, first + count)
        ]
    )
    rounds = Round.objects.bulk_create(
        [
            Round(
                guide=guide,
                order=order,
                slug=f"round-{order}",
                title=f"Round {order}",
                summary="A generated round.",
                what_interviewers_look_for="Clarity\nJudgement",
                preparation_tips="Prepare examples.",
            )
            for guide in guides
            for order in range(1, 7)
        ],
        batch_size=BATCH,
    )
    rounds_by_guide: dict[int, list[Round]] = {}
    for rnd in rounds:
        rounds_by_guide.setdefault(rnd.guide_id, []).append(rnd)
    RegionalVariant.objects.bulk_create(
        [
            RegionalVariant(guide=guide, region=region, interview_focus="Scale", tips="Be concise")
            for guide in guides
            for region in regions[:2]
        ],
        batch_size=BATCH,
    )
    questions = []
    for guide in guides:
        for n in range(questions_per_guide):
            kind = QuestionKind.CODING if n % 10 == 9 else KINDS[n % len(KINDS)]
            questions.append(
                Question(
                    guide=guide,
                    round=rounds_by_guide[guide.pk][n % 6] if n % 5 else None,
                    region=regions[n % 2] if n % 7 == 0 else None,
                    kind=kind,
                    text=f"Generated question {n} about {rng.choice(['scale', 'people', 'risk'])}?",
                    slug=f"generated-question-{n}",
                    order=n,
                    guidance="What a strong answer covers.",
                    is_published=True,
                )
            )
    Question.objects.bulk_create(questions, batch_size=BATCH)
    _tag_questions(questions, rng)
    blocks = StudyBlock.objects.bulk_create(
        [
            StudyBlock(
                guide=guide,
                start_week=2 * b + 1,
                end_week=2 * b + 2,
                title=f"Block {b + 1}",
                headline="Generated block",
            )
            for guide in guides
            for b in range(4)
        ],
        batch_size=BATCH,
    )
    StudyTask.objects.bulk_create(
        [
            StudyTask(block=block, order=order, text=f"Task {order} of {block.title}")
            for block in blocks
            for order in range(1, 6)
        ],
        batch_size=BATCH,
    )
    return guides


def _tag_questions(questions: list[Question], rng: random.Random) -> None:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=TAG_NAMES)}
    missing = [Tag(name=name, slug=name) for name in TAG_NAMES if name not in existing]
    tags = [*existing.values(), *Tag.objects.bulk_create(missing)]
    through = Question.tags.through
    through.objects.bulk_create(
        [
            through(question_id=question.pk, tag_id=tag.pk)
            for question in questions
            for tag in rng.sample(tags, k=2)
        ],
        batch_size=BATCH,
    )


@transaction.atomic
def _add_candidates(guides: list[Guide], *, count: int, start_index: int) -> None:
    """`count` confirmed candidates, each enrolled in one of `guides`, with ticks and practice."""
    if count <= 0 or not guides:
        return
    rng = random.Random(start_index + 1)
    password = _password_hash()
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=BENCH_EMAIL if start_index + n == 0 else f"candidate{start_index + n}@bench",
                display_name=f"Candidate {start_index + n}",
                password=password,
                time_zone="Europe/London",
                email_confirmed_at=now,
                reminder_weekday=timezone.localdate().weekday(),
                reminder_hour=9,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=user,
                guide=guides[n % len(guides)],
                start_date=_monday_weeks_ago(rng.randint(1, 5)),
                status=EnrolmentStatus.ACTIVE,
            )
            for n, user in enumerate(users)
        ],
        batch_size=BATCH,
    )
    tasks_by_guide: dict[int, list[int]] = {}
    for task_id, guide_id in StudyTask.objects.filter(block__guide__in=guides).values_list(
        "pk", "block__guide_id"
    ):
        tasks_by_guide.setdefault(guide_id, []).append(task_id)
    questions_by_guide: dict[int, list[tuple[int, str]]] = {}
    for question_id, guide_id, text in Question.objects.filter(guide__in=guides).values_list(
        "pk", "guide_id", "text"
    ):
        questions_by_guide.setdefault(guide_id, []).append((question_id, text))
    ticks = []
    practice = []
    for enrolment in enrolments:
        tasks = tasks_by_guide.get(enrolment.guide_id, [])
        for task_id in rng.sample(tasks, k=min(len(tasks), rng.randint(3, 10))):
            ticks.append(TaskProgress(enrolment=enrolment, task_id=task_id))
        bank = questions_by_guide.get(enrolment.guide_id, [])
        for question_id, text in rng.sample(bank, k=min(len(bank), 5)):
            practice.append(
                QuestionProgress(
                    user_id=enrolment.user_id,
                    question_id=question_id,
                    guide_id=enrolment.guide_id,
                    question_text=text,
                    status=PracticeStatus.PRACTISED,
                    last_practised_at=now,
                    answer_draft="A draft answer.",
                )
            )
    TaskProgress.objects.bulk_create(ticks, batch_size=BATCH)
    QuestionProgress.objects.bulk_create(practice, batch_size=BATCH)


def practise_whole_guide() -> str:
    """The bench candidate follows the first generated guide and has practised all its questions.

    Every question has its progress row and an FSRS review card, a tenth of them due today, so the
    signed-in question bank shows a status on each of 300 rows and the review queue has work.
    Returns the guide's slug.
    """
    import fsrs

    from practice.models import ReviewCard

    user = User.objects.get(email=BENCH_EMAIL)
    guide = Guide.objects.exclude(slug=SEED_SLUG).order_by("pk").first()
    Enrolment.objects.get_or_create(
        user=user,
        guide=guide,
        defaults={"start_date": _monday_weeks_ago(2), "status": EnrolmentStatus.ACTIVE},
    )
    now = timezone.now()
    questions = list(Question.objects.filter(guide=guide).values_list("pk", "text"))
    QuestionProgress.objects.bulk_create(
        [
            QuestionProgress(
                user=user,
                question_id=pk,
                guide_id=guide.pk,
                question_text=text,
                status=PracticeStatus.CONFIDENT if n % 3 == 0 else PracticeStatus.PRACTISED,
                last_practised_at=now - datetime.timedelta(days=n % 20),
                answer_draft="A draft answer.",
            )
            for n, (pk, text) in enumerate(questions)
        ],
        batch_size=BATCH,
    )
    card = fsrs.Card().to_dict()
    ReviewCard.objects.bulk_create(
        [
            ReviewCard(
                user=user,
                question_id=pk,
                state=fsrs.State.Review.value,
                due=now - datetime.timedelta(hours=1)
                if n % 10 == 0
                else now + datetime.timedelta(days=1 + n % 30),
                last_review=now - datetime.timedelta(days=n % 20),
                fsrs_card=card,
            )
            for n, (pk, _text) in enumerate(questions)
        ],
        batch_size=BATCH,
    )
    return guide.slug
