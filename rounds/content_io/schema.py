"""Check a loaded content file against the guide format and turn it into plain specs.

Every problem is collected, not just the first, so a recruiter fixes the file in one pass.
"""

import re
from typing import Any

from django.utils.text import slugify

from questions.models import Question, Tag
from rounds.models import CONTENT_KEY_MAX_LENGTH, EvaluationCriterion, Guide, Region, Round
from studyplan.models import StudyBlock

from .errors import ContentFileInvalid, shorten
from .fields import ITEM_MAX_CHARS, Reader, describe, join, limit_of
from .loader import LocatedDict, LocatedList
from .specs import (
    KINDS,
    STATUSES,
    BlockSpec,
    CriterionSpec,
    GuideSpec,
    QuestionSpec,
    RegionSpec,
    RoundSpec,
    TaskSpec,
    question_slug,
    round_slug,
)

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")

GUIDE_KEYS = {
    "slug",
    "company",
    "role",
    "category",
    "status",
    "summary",
    "typical_duration_days",
    "experience_years",
    "salary",
    "total_interview_minutes",
    "plan_weeks",
    "last_reviewed",
    "preparation_tips",
    "criteria",
    "questions",
    "regions",
    "rounds",
    "study_plan",
}
QUESTION_KEYS = {"text", "key", "slug", "kind", "guidance", "tags", "published", "last_reviewed"}
TASK_KEYS = {"text", "key"}


def validate_guide(document: Any) -> GuideSpec:
    """The guide described by `document`; raises ContentFileInvalid listing every problem."""
    reader = Reader()
    data = reader.mapping(document, "", getattr(document, "line", 1))
    if data is None:
        raise ContentFileInvalid(reader.errors)
    reader.check_keys(data, "", GUIDE_KEYS)

    fields: dict[str, Any] = {
        "slug": reader.slug(data, "slug", "", max_length=limit_of(Guide, "slug")),
        "company": reader.text(
            data, "company", "", required=True, max_length=limit_of(Guide, "company")
        ),
        "role": reader.text(data, "role", "", required=True, max_length=limit_of(Guide, "role")),
        "category": reader.text(data, "category", "", max_length=limit_of(Guide, "category")),
        "status": reader.choice(data, "status", "", STATUSES),
        "summary": reader.text(data, "summary", ""),
        "typical_duration_days": reader.integer(data, "typical_duration_days", "", maximum=3650),
        "total_interview_minutes": reader.integer(
            data, "total_interview_minutes", "", maximum=10000
        ),
        "plan_weeks": reader.integer(
            data, "plan_weeks", "", required=True, minimum=1, maximum=52, default=8
        ),
        "last_reviewed": reader.date(data, "last_reviewed", ""),
        "preparation_tips": reader.items(data, "preparation_tips", ""),
    }
    if not fields["slug"] and not data.get("slug"):
        reader.error(data.lines.get("slug", data.line), "slug", "is required")
    fields.update(_ranges(reader, data))

    criteria = _criteria(reader, data)
    rounds = _rounds(reader, data)
    regions = _regions(reader, data)
    questions = [
        _question(reader, item, f"questions[{index}]", line, index + 1, allow_region=True)
        for index, (item, line) in enumerate(_entries(reader, data, "questions", ""))
    ]
    blocks = _study_plan(
        reader, data, fields["plan_weeks"] or 8, [spec.slug for spec in rounds if spec.slug]
    )
    spec = GuideSpec(
        fields=fields,
        criteria=criteria,
        rounds=rounds,
        regions=regions,
        questions=[q for q in questions if q is not None],
        study_plan=blocks,
    )
    _check_question_references(reader, data, spec)
    if reader.errors:
        raise ContentFileInvalid(reader.errors)
    return spec


def _entries(reader: Reader, data: LocatedDict, key: str, path: str):
    """The mappings of list `key`, each with its line; non-mappings are reported and skipped."""
    sequence = reader.sequence(data, key, path)
    for index, item in enumerate(sequence):
        mapping = reader.mapping(item, f"{join(path, key)}[{index}]", sequence.lines[index])
        yield (mapping, sequence.lines[index])


def _ranges(reader: Reader, data: LocatedDict) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "experience_min_years": None,
        "experience_max_years": None,
        "salary_currency": "",
        "salary_min": None,
        "salary_max": None,
    }
    experience = data.get("experience_years")
    if experience is not None:
        block = reader.mapping(experience, "experience_years", data.lines["experience_years"])
        if block is not None:
            reader.check_keys(block, "experience_years", {"min", "max"})
            low = reader.integer(block, "min", "experience_years", maximum=80)
            high = reader.integer(block, "max", "experience_years", maximum=80)
            if low is not None and high is not None and low > high:
                reader.error(
                    block.lines["min"], "experience_years", f"min ({low}) is above max ({high})"
                )
            fields["experience_min_years"], fields["experience_max_years"] = low, high
    salary = data.get("salary")
    if salary is not None:
        block = reader.mapping(salary, "salary", data.lines["salary"])
        if block is not None:
            reader.check_keys(block, "salary", {"currency", "min", "max"})
            currency = reader.text(block, "currency", "salary", required=True)
            if currency and not _CURRENCY_RE.match(currency):
                reader.error(
                    block.lines["currency"],
                    "salary.currency",
                    f'"{shorten(currency, 80)}" is not a three-letter ISO 4217 code such as USD',
                )
            low = reader.integer(block, "min", "salary", maximum=2_147_483_647)
            high = reader.integer(block, "max", "salary", maximum=2_147_483_647)
            if low is not None and high is not None and low > high:
                reader.error(block.lines["min"], "salary", f"min ({low}) is above max ({high})")
            fields.update(salary_currency=currency, salary_min=low, salary_max=high)
    return fields


def _criteria(reader: Reader, data: LocatedDict) -> list[CriterionSpec]:
    criteria = []
    for index, (item, _line) in enumerate(_entries(reader, data, "criteria", "")):
        if item is None:
            continue
        path = f"criteria[{index}]"
        reader.check_keys(item, path, {"title", "description"})
        title = reader.text(
            item,
            "title",
            path,
            required=True,
            max_length=limit_of(EvaluationCriterion, "title"),
            single_line=True,
        )
        criteria.append(CriterionSpec(index + 1, title, reader.text(item, "description", path)))
    return criteria


ROUND_KEYS = {
    "order",
    "slug",
    "title",
    "summary",
    "description",
    "what_interviewers_look_for",
    "evaluation_criteria",
    "preparation_tips",
    "rejection_reasons",
    "questions",
}


def _rounds(reader: Reader, data: LocatedDict) -> list[RoundSpec]:
    rounds: list[RoundSpec] = []
    seen_orders: dict[int, str] = {}
    seen_slugs: dict[str, str] = {}
    for index, (item, _line) in enumerate(_entries(reader, data, "rounds", "")):
        if item is None:
            continue
        path = f"rounds[{index}]"
        reader.check_keys(item, path, ROUND_KEYS)
        order = reader.integer(item, "order", path, required=True, minimum=1, maximum=100)
        title = reader.text(
            item,
            "title",
            path,
            required=True,
            max_length=limit_of(Round, "title"),
            single_line=True,
        )
        given = reader.slug(item, "slug", path, max_length=limit_of(Round, "slug"))
        slug = given or round_slug(title)
        if title and not slug:
            reader.error(item.lines["title"], f"{path}.title", "needs a slug: add a slug field")
        if order is not None:
            if order in seen_orders:
                reader.error(
                    item.lines["order"],
                    f"{path}.order",
                    f"{order} is already the order of {seen_orders[order]}",
                )
            seen_orders[order] = path
        if slug:
            if slug in seen_slugs and given:
                reader.error(
                    item.lines["slug"],
                    f"{path}.slug",
                    f'"{slug}" is already the slug of {seen_slugs[slug]}',
                )
            elif slug in seen_slugs:
                reader.error(
                    item.lines["title"],
                    f"{path}.title",
                    f'gives slug "{slug}", already the slug of {seen_slugs[slug]}; '
                    "add a distinct slug field",
                )
            seen_slugs[slug] = path
        questions = [
            _question(reader, q, f"{path}.questions[{i}]", q_line, i + 1, allow_region=True)
            for i, (q, q_line) in enumerate(_entries(reader, item, "questions", path))
        ]
        rounds.append(
            RoundSpec(
                order=order or 0,
                slug=slug,
                slug_given=bool(given),
                title=title,
                summary=reader.text(item, "summary", path, max_length=limit_of(Round, "summary")),
                description=reader.text(item, "description", path),
                what_interviewers_look_for=reader.items(item, "what_interviewers_look_for", path),
                evaluation_criteria=reader.items(item, "evaluation_criteria", path),
                preparation_tips=reader.items(item, "preparation_tips", path),
                rejection_reasons=reader.items(item, "rejection_reasons", path),
                questions=[q for q in questions if q is not None],
            )
        )
    return rounds


def _regions(reader: Reader, data: LocatedDict) -> list[RegionSpec]:
    regions: list[RegionSpec] = []
    seen: dict[str, str] = {}
    for index, (item, _line) in enumerate(_entries(reader, data, "regions", "")):
        if item is None:
            continue
        path = f"regions[{index}]"
        reader.check_keys(
            item, path, {"slug", "name", "order", "interview_focus", "tips", "questions"}
        )
        name = reader.text(
            item,
            "name",
            path,
            required=True,
            max_length=limit_of(Region, "name"),
            single_line=True,
        )
        slug = reader.slug(item, "slug", path, max_length=limit_of(Region, "slug"))
        slug = slug or slugify(name)[: limit_of(Region, "slug")]
        if slug in seen:
            reader.error(
                item.lines.get("slug", item.line),
                f"{path}.slug",
                f'"{slug}" is already the region of {seen[slug]}',
            )
        seen[slug] = path
        questions = [
            _question(reader, q, f"{path}.questions[{i}]", q_line, i + 1, allow_region=False)
            for i, (q, q_line) in enumerate(_entries(reader, item, "questions", path))
        ]
        for question in questions:
            if question is not None:
                question.region_slug = slug
        regions.append(
            RegionSpec(
                slug=slug,
                name=name,
                order=reader.integer(item, "order", path, default=0) or 0,
                interview_focus=reader.items(item, "interview_focus", path),
                tips=reader.items(item, "tips", path),
                questions=[q for q in questions if q is not None],
            )
        )
    return regions


def _tags(reader: Reader, item: LocatedDict, path: str) -> list[str]:
    tags: list[str] = []
    tag_list = reader.sequence(item, "tags", path)
    for index, tag in enumerate(tag_list):
        where = f"{path}.tags[{index}]"
        if not isinstance(tag, str) or not tag.strip():
            reader.error(tag_list.lines[index], where, "must be a tag name")
        elif len(tag) > limit_of(Tag, "name") or not slugify(tag):
            reader.error(
                tag_list.lines[index], where, f'"{shorten(tag, 80)}" is not a usable tag name'
            )
        elif tag not in tags:
            tags.append(tag)
    return tags


def _names(
    reader: Reader, item: LocatedDict, key: str, path: str, allowed: list[str], what: str
) -> list[str]:
    """A list of names each one of `allowed` (round slugs, question kinds), duplicates dropped."""
    names: list[str] = []
    sequence = reader.sequence(item, key, path)
    for index, name in enumerate(sequence):
        where = f"{path}.{key}[{index}]"
        if not isinstance(name, str) or name not in allowed:
            shown = shorten(str(name), 80)
            choices = ", ".join(allowed) or "none in this guide"
            reader.error(sequence.lines[index], where, f'"{shown}" is not {what}: {choices}')
        elif name not in names:
            names.append(name)
    return names


def _question(
    reader: Reader,
    item: LocatedDict | None,
    path: str,
    line: int,
    order: int,
    *,
    allow_region: bool,
) -> QuestionSpec | None:
    if item is None:
        return None
    reader.check_keys(item, path, QUESTION_KEYS | ({"region"} if allow_region else set()))
    text = reader.text(item, "text", path, required=True)
    given = reader.slug(item, "slug", path, max_length=limit_of(Question, "slug"))
    slug = given or question_slug(text)
    if text.strip() and not slug:
        reader.error(item.lines["text"], f"{path}.text", "needs a slug: add a slug field")
    tags = _tags(reader, item, path)
    region = reader.slug(item, "region", path, max_length=80) if allow_region else ""
    return QuestionSpec(
        key=reader.slug(item, "key", path, max_length=CONTENT_KEY_MAX_LENGTH),
        path=path,
        line=line,
        text=text,
        kind=reader.choice(item, "kind", path, KINDS),
        slug=slug,
        slug_given=bool(given),
        order=order,
        guidance=reader.text(item, "guidance", path),
        tags=tags,
        published=reader.boolean(item, "published", path, default=True),
        last_reviewed=reader.date(item, "last_reviewed", path),
        region_slug=region or None,
    )


def _tasks(reader: Reader, block: LocatedDict, path: str, seen: dict[str, str]) -> list[TaskSpec]:
    """A block's tasks: each a line of text (a task the file adds) or a text with its key."""
    tasks: list[TaskSpec] = []
    sequence = reader.sequence(block, "tasks", path)
    for index, item in enumerate(sequence):
        where = f"{path}.tasks[{index}]"
        line = sequence.lines[index]
        if isinstance(item, LocatedDict):
            reader.check_keys(item, where, TASK_KEYS)
            text = reader.text(item, "text", where, required=True).strip()
            key = reader.slug(item, "key", where, max_length=CONTENT_KEY_MAX_LENGTH)
            if key in seen:
                reader.error(
                    item.lines["key"],
                    f"{where}.key",
                    f'"{key}" is already the key of {seen[key]}; '
                    "remove it from the task you added (it gets its own key)",
                )
            elif key:
                seen[key] = where
            where = f"{where}.text"
            line = item.lines.get("text", line)
        elif isinstance(item, bool) or not isinstance(item, str | int | float):
            reader.error(line, where, f"must be a task's text, not {describe(item)}")
            continue
        else:
            text, key = str(item).strip(), ""
            if not text:
                reader.error(line, where, "must not be empty")
        if "\n" in text:
            reader.error(line, where, "must fit on one line (make it two tasks instead)")
        elif len(text) > ITEM_MAX_CHARS:
            reader.error(
                line, where, f"is {len(text):,} characters long; the limit is {ITEM_MAX_CHARS:,}"
            )
        if text:
            tasks.append(TaskSpec(text=text, key=key))
    return tasks


def _study_plan(
    reader: Reader, data: LocatedDict, plan_weeks: int, round_slugs: list[str]
) -> list[BlockSpec]:
    blocks: list[tuple[BlockSpec, str, int]] = []
    task_keys: dict[str, str] = {}
    for index, (item, line) in enumerate(_entries(reader, data, "study_plan", "")):
        if item is None:
            continue
        path = f"study_plan[{index}]"
        reader.check_keys(
            item,
            path,
            {
                "start_week",
                "end_week",
                "title",
                "headline",
                "description",
                "rounds",
                "kinds",
                "tags",
                "tasks",
            },
        )
        start = reader.integer(item, "start_week", path, required=True, minimum=1, maximum=52)
        end = reader.integer(item, "end_week", path, required=True, minimum=1, maximum=52)
        block = BlockSpec(
            start_week=start or 0,
            end_week=end or 0,
            title=reader.text(
                item,
                "title",
                path,
                required=True,
                max_length=limit_of(StudyBlock, "title"),
                single_line=True,
            ),
            headline=reader.text(
                item, "headline", path, max_length=limit_of(StudyBlock, "headline")
            ),
            description=reader.text(item, "description", path),
            tasks=_tasks(reader, item, path, task_keys),
            rounds=_names(reader, item, "rounds", path, round_slugs, "a round of this guide"),
            kinds=_names(reader, item, "kinds", path, KINDS, "a question kind"),
            tags=_tags(reader, item, path),
        )
        if start is None or end is None:
            continue
        if end < start:
            reader.error(item.lines["end_week"], f"{path}.end_week", "comes before start_week")
            continue
        if end > plan_weeks:
            reader.error(
                item.lines["end_week"],
                f"{path}.end_week",
                f"week {end} is after the end of the {plan_weeks}-week plan",
            )
        for other, other_path, _ in blocks:
            if start <= other.end_week and end >= other.start_week:
                reader.error(
                    line,
                    path,
                    f"weeks {start}-{end} overlap weeks {other.start_week}-{other.end_week} "
                    f"of {other_path}",
                )
        blocks.append((block, path, line))
    return sorted((block for block, _, _ in blocks), key=lambda b: b.start_week)


def _check_question_references(reader: Reader, data: LocatedDict, spec: GuideSpec) -> None:
    """Question slugs are unique in the guide, and a round question's region is in the file."""
    region_slugs = {region.slug for region in spec.regions}
    seen: dict[str, str] = {}

    def where(index_path: str) -> int | None:
        return _line_of(data, index_path)

    locations: list[tuple[QuestionSpec, str]] = [
        (q, f"questions[{i}]") for i, q in enumerate(spec.questions)
    ]
    for r_index, rnd in enumerate(spec.rounds):
        locations += [(q, f"rounds[{r_index}].questions[{i}]") for i, q in enumerate(rnd.questions)]
    for g_index, region in enumerate(spec.regions):
        locations += [
            (q, f"regions[{g_index}].questions[{i}]") for i, q in enumerate(region.questions)
        ]
    keys: dict[str, str] = {}
    for question, path in locations:
        if question.key in keys:
            reader.error(
                where(path),
                f"{path}.key",
                f'"{question.key}" is already the key of {keys[question.key]}; '
                "remove it from the question you added (it gets its own key)",
            )
        elif question.key:
            keys[question.key] = path
        if not question.slug:
            continue
        if question.slug in seen:
            reader.error(
                where(path),
                f"{path}.slug" if question.slug_given else f"{path}.text",
                f'gives slug "{question.slug}", already used by {seen[question.slug]}'
                + ("" if question.slug_given else "; add a distinct slug field"),
            )
        else:
            seen[question.slug] = path
        if question.region_slug and question.region_slug not in region_slugs:
            reader.error(
                where(path),
                f"{path}.region",
                f'"{question.region_slug}" is not one of the regions listed in this file',
            )


def _line_of(data: LocatedDict, path: str) -> int | None:
    """The line of the item at a path like rounds[1].questions[2]."""
    node: Any = data
    line: int | None = None
    for part in path.split("."):
        match = re.match(r"^(\w+)\[(\d+)\]$", part)
        if not match or not isinstance(node, LocatedDict):
            return line
        key, index = match.group(1), int(match.group(2))
        sequence = node.get(key)
        if not isinstance(sequence, LocatedList) or index >= len(sequence):
            return line
        line = sequence.lines[index]
        node = sequence[index]
    return line
