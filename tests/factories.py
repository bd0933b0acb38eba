"""Content and people built in code for tests (no opaque fixtures)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from prep.caching.versions import content_changed
from questions.models import Question, QuestionKind, Tag
from rounds.models import EvaluationCriterion, Guide, GuideStatus, Region, RegionalVariant, Round
from studyplan.models import Enrolment, StudyBlock, StudyTask


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    # Hashed at build time, so no second save after post-generation hooks.
    password = factory.django.Password("correct horse battery staple")
    email_confirmed_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )


class GuideFactory(DjangoModelFactory):
    class Meta:
        model = Guide

    company = factory.Sequence(lambda n: f"Company {n}")
    role = "Head of Engineering"
    slug = factory.Sequence(lambda n: f"company-{n}-head-of-engineering")
    category = "Software Engineering Manager"
    summary = "A guide used in tests."
    status = GuideStatus.PUBLISHED
    typical_duration_days = 14
    experience_min_years = 8
    experience_max_years = 15
    salary_currency = "USD"
    salary_min = 180000
    salary_max = 250000
    total_interview_minutes = 225


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = EvaluationCriterion

    guide = factory.SubFactory(GuideFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Criterion {n}")


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round

    guide = factory.SubFactory(GuideFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Round {n}")
    slug = factory.Sequence(lambda n: f"round-{n}")
    summary = "What this round assesses."
    description = "What happens in this round."


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class RegionalVariantFactory(DjangoModelFactory):
    class Meta:
        model = RegionalVariant

    guide = factory.SubFactory(GuideFactory)
    region = factory.SubFactory(RegionFactory)


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda o: o.name)


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    guide = factory.SubFactory(GuideFactory)
    kind = QuestionKind.LEADERSHIP
    text = factory.Sequence(lambda n: f"Question number {n}: how would you lead?")
    slug = factory.Sequence(lambda n: f"question-number-{n}")
    order = factory.Sequence(lambda n: n)


class StudyBlockFactory(DjangoModelFactory):
    class Meta:
        model = StudyBlock

    guide = factory.SubFactory(GuideFactory)
    start_week = 1
    end_week = 2
    title = factory.Sequence(lambda n: f"Block {n}")
    headline = "Weeks 1-2: the headline."
    description = "Weeks 1-2: the description."


class StudyTaskFactory(DjangoModelFactory):
    class Meta:
        model = StudyTask

    block = factory.SubFactory(StudyBlockFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Study task {n}.")


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    guide = factory.SubFactory(GuideFactory)
    start_date = datetime.date(2026, 1, 5)


def build_guide(
    *,
    rounds: int = 4,
    questions_per_round: int = 5,
    regions: int = 2,
    blocks: int = 4,
    tasks_per_block: int = 3,
    **guide_fields,
) -> Guide:
    """A complete published guide of the given size, as a recruiter would write it.

    Questions and study tasks, the bulk of a guide, are inserted in a few statements with their
    history rows (tags included), as saving them one by one would leave them: a 200-question guide
    took 300 saves, each with its history rows and cache-version writes, several seconds a test.
    """
    guide = GuideFactory(**guide_fields)
    CriterionFactory(guide=guide, order=1)
    region_objs = [RegionFactory(name=f"Region {i}", slug=f"region-{i}") for i in range(regions)]
    questions = []
    for region in region_objs:
        RegionalVariantFactory(guide=guide, region=region, interview_focus="Focus", tips="Tip")
        questions.append(QuestionFactory.build(guide=guide, region=region))
    tag = TagFactory(name="leadership")
    tagged = []
    for r in range(1, rounds + 1):
        rnd = RoundFactory(guide=guide, order=r, slug=f"round-{r}", title=f"Round {r}")
        for _ in range(questions_per_round):
            tagged.append(QuestionFactory.build(guide=guide, round=rnd))
    questions += tagged
    weeks_per_block = max(1, guide.plan_weeks // max(1, blocks))
    tasks = []
    for b in range(blocks):
        start = b * weeks_per_block + 1
        block = StudyBlockFactory(
            guide=guide, start_week=start, end_week=start + weeks_per_block - 1
        )
        tasks += [
            StudyTaskFactory.build(block=block, order=t) for t in range(1, tasks_per_block + 1)
        ]
    _bulk_create_with_history(Question, questions)
    _bulk_tag(tagged, tag)
    _bulk_create_with_history(StudyTask, tasks)
    # What the saves' signals would have done: this guide's cached pages and the lists are stale.
    content_changed(guide_slugs=[guide.slug])
    return guide


def _bulk_create_with_history(model, objs: list) -> None:
    if objs:
        model.objects.bulk_create(objs)
        model.history.bulk_history_create(objs)


def _bulk_tag(questions: list[Question], tag: Tag) -> None:
    """Tag `questions`, and record the tag in each one's history row, as `tags.add` would."""
    if not questions:
        return
    through = Question.tags.through
    links = through.objects.bulk_create([through(question=q, tag=tag) for q in questions])
    history_of = {row.id: row for row in Question.history.filter(id__in=[q.pk for q in questions])}
    m2m_history = Question.history.model._meta.get_field("historicalquestion_tags").related_model
    m2m_history.objects.bulk_create(
        m2m_history(
            history=history_of[link.question_id], id=link.pk, question=link.question, tag=tag
        )
        for link in links
    )


def make_recruiter(email: str, name: str):
    """A staff member in the Recruiters group."""
    from django.contrib.auth.models import Group

    user = UserFactory(email=email, display_name=name, is_staff=True)
    user.groups.add(Group.objects.get(name="Recruiters"))
    return user
