"""Write a guide back to the YAML format that import_guide reads."""

from typing import Any

import yaml
from django.db.models import Prefetch

from questions.models import Question
from rounds.models import Guide, Region, RegionalVariant
from rounds.text import content_lines
from studyplan.models import StudyBlock

from .specs import question_slug

HEADER = (
    "# Prep interview guide. Edit it, then load it with `python manage.py import_guide FILE`\n"
    '# or with "Import guide from YAML" in the admin.\n'
    "# The file is the whole truth for its guide: anything left out is removed on import.\n"
    "# Lists (tips, criteria, tasks) hold one item per entry; [] means nothing written yet.\n"
)


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, which reads more naturally to non-programmers."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


class _InlineList(list):
    """A short list written on one line: tags: [fintech, security]."""


_Dumper.add_representer(
    _InlineList,
    lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True),
)


def guide_export(*, guide: Guide) -> str:
    """The guide as YAML text; importing it recreates the guide exactly."""
    guide = (
        Guide.objects.filter(pk=guide.pk)
        .prefetch_related(
            "criteria",
            "rounds",
            "regional_variants__region",
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("round", "region")
                .prefetch_related("tags")
                .order_by("order", "id"),
            ),
            Prefetch(
                "study_blocks",
                queryset=StudyBlock.objects.prefetch_related("tasks", "rounds", "tags"),
            ),
        )
        .get()
    )
    questions = list(guide.questions.all())
    document: dict[str, Any] = {
        "slug": guide.slug,
        "company": guide.company,
        "role": guide.role,
        "category": guide.category,
        "status": guide.status,
        "summary": guide.summary,
        "typical_duration_days": guide.typical_duration_days,
        "experience_years": {
            "min": guide.experience_min_years,
            "max": guide.experience_max_years,
        },
        "salary": {
            "currency": guide.salary_currency,
            "min": guide.salary_min,
            "max": guide.salary_max,
        },
        "total_interview_minutes": guide.total_interview_minutes,
        "plan_weeks": guide.plan_weeks,
        "last_reviewed": guide.last_reviewed.isoformat() if guide.last_reviewed else None,
        "preparation_tips": content_lines(guide.preparation_tips),
        "criteria": [
            {"title": criterion.title, "description": criterion.description}
            for criterion in guide.criteria.all()
        ],
        "questions": [
            _question(q, with_region=True)
            for q in questions
            if q.round_id is None and not q.region_id
        ],
        "regions": [
            _region(region, variant, questions) for region, variant in _regions(guide, questions)
        ],
        "rounds": [_round(rnd, questions) for rnd in guide.rounds.all()],
        "study_plan": [_block(block) for block in guide.study_blocks.all()],
    }
    if not guide.salary_currency and guide.salary_min is None and guide.salary_max is None:
        del document["salary"]
    return _dump(document)


def _dump(document: dict[str, Any]) -> str:
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return HEADER + body


def with_explicit_slugs(text: str) -> str:
    """An exported guide with every question's slug written out, for comparing two versions.

    The export leaves out a slug that follows from the question's text. When only the text
    changes, the kept slug no longer follows from it and appears: a diff of the two exports then
    shows a "slug" line added, though the slug did not change. Written out on both sides, it
    shows only what did. Text that is not an exported guide is returned as it is.
    """
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if not isinstance(document, dict):
        return text
    groups = [document, *(document.get("regions") or []), *(document.get("rounds") or [])]
    for group in groups:
        if not isinstance(group, dict) or not isinstance(group.get("questions"), list):
            continue
        group["questions"] = [_explicit_slug(question) for question in group["questions"]]
    return _dump(document)


def _explicit_slug(question: Any) -> Any:
    if not isinstance(question, dict) or not isinstance(question.get("text"), str):
        return question
    # In the export's order: text, key, slug, then the rest; tags on one line, as exported.
    ordered = {key: question[key] for key in ("text", "key") if key in question}
    ordered["slug"] = question.get("slug") or question_slug(question["text"])
    for key, value in question.items():
        ordered.setdefault(
            key, _InlineList(value) if key == "tags" and isinstance(value, list) else value
        )
    return ordered


def _regions(
    guide: Guide, questions: list[Question]
) -> list[tuple[Region, RegionalVariant | None]]:
    """Regions with a variant, then regions only some questions mention, so none is lost."""
    regions: list[tuple[Region, RegionalVariant | None]] = [
        (variant.region, variant) for variant in guide.regional_variants.all()
    ]
    listed = {region.pk for region, _ in regions}
    extra = {q.region.pk: q.region for q in questions if q.region_id and q.region_id not in listed}
    regions += [
        (region, None) for region in sorted(extra.values(), key=lambda r: (r.order, r.name))
    ]
    return regions


def _region(
    region: Region, variant: RegionalVariant | None, questions: list[Question]
) -> dict[str, Any]:
    return {
        "slug": region.slug,
        "name": region.name,
        "order": region.order,
        "interview_focus": content_lines(variant.interview_focus) if variant else [],
        "tips": content_lines(variant.tips) if variant else [],
        "questions": [
            _question(q, with_region=False)
            for q in questions
            if q.round_id is None and q.region_id == region.pk
        ],
    }


def _round(rnd, questions: list[Question]) -> dict[str, Any]:
    # The slug is always written: it is what the round is matched on, so a reworded title keeps
    # the round's address.
    data: dict[str, Any] = {"order": rnd.order, "slug": rnd.slug}
    data.update(
        {
            "title": rnd.title,
            "summary": rnd.summary,
            "description": rnd.description,
            "what_interviewers_look_for": content_lines(rnd.what_interviewers_look_for),
            "evaluation_criteria": content_lines(rnd.evaluation_criteria),
            "preparation_tips": content_lines(rnd.preparation_tips),
            "rejection_reasons": content_lines(rnd.rejection_reasons),
            "questions": [
                _question(q, with_region=True) for q in questions if q.round_id == rnd.pk
            ],
        }
    )
    return data


def _question(question: Question, *, with_region: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"text": question.text, "key": question.key}
    if question.slug != question_slug(question.text):
        data["slug"] = question.slug
    data["kind"] = question.kind
    if question.guidance:
        data["guidance"] = question.guidance
    tags = sorted(tag.name for tag in question.tags.all())
    if tags:
        data["tags"] = _InlineList(tags)
    if with_region and question.region_id:
        data["region"] = question.region.slug
    if not question.is_published:
        data["published"] = False
    if question.last_reviewed:
        data["last_reviewed"] = question.last_reviewed.isoformat()
    return data


def _block(block: StudyBlock) -> dict[str, Any]:
    data: dict[str, Any] = {
        "start_week": block.start_week,
        "end_week": block.end_week,
        "title": block.title,
        "headline": block.headline,
        "description": block.description,
    }
    # What the block prepares for, only when set, so files without it stay as they were.
    rounds = [rnd.slug for rnd in sorted(block.rounds.all(), key=lambda r: r.order)]
    if rounds:
        data["rounds"] = _InlineList(rounds)
    if block.question_kinds:
        data["kinds"] = _InlineList(block.question_kinds)
    tags = sorted(tag.name for tag in block.tags.all())
    if tags:
        data["tags"] = _InlineList(tags)
    data["tasks"] = [{"text": task.text, "key": task.key} for task in block.tasks.all()]
    return data
