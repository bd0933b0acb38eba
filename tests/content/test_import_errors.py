"""A bad guide file changes nothing and names the line and field of every problem."""

import pytest
from django.core.management import CommandError, call_command

from questions.models import Question
from rounds.content_io.exporter import guide_export
from rounds.models import Guide, Region
from studyplan.models import StudyBlock

from .conftest import SEED_FILE, import_guide


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line number of the `occurrence`-th line containing `fragment`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(found) >= occurrence, f"{fragment!r} not in the file {occurrence} time(s)"
    return found[occurrence - 1]


def import_error(path) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("import_guide", str(path))
    return str(excinfo.value)


BAD_EDITS = [
    pytest.param(
        (
            "kind: system_design\n        tags: [fintech, scalability]",
            "kind: sistem\n        tags: [fintech, scalability]",
        ),
        "kind: sistem",
        'rounds[1].questions[0].kind: "sistem" is not one of behavioural, leadership, people, '
        "system_design, technical, strategy, motivation, coding",
        id="unknown-kind",
    ),
    pytest.param(
        ("plan_weeks: 8", "plan_weeks: eight"),
        "plan_weeks: eight",
        "plan_weeks: must be a whole number, not 'eight'",
        id="wrong-type",
    ),
    pytest.param(
        ("company: OKX\n", ""),
        "slug: okx-head-of-engineering",
        "company: is required",
        id="missing-required-field",
    ),
    pytest.param(
        ("  min: 180000\n  max: 250000", "  min: 250000\n  max: 180000"),
        "  min: 250000",
        "salary: min (250000) is above max (180000)",
        id="salary-min-above-max",
    ),
    pytest.param(
        ("  - order: 2\n", "  - order: 1\n"),
        ("- order: 1", 2),
        "rounds[1].order: 1 is already the order of rounds[0]",
        id="duplicate-round-order",
    ),
    pytest.param(
        ("slug: people-and-strategy-leadership", "slug: hr-screening"),
        ("slug: hr-screening", 2),
        'rounds[2].slug: "hr-screening" is already the slug of rounds[0]',
        id="duplicate-round-slug",
    ),
    pytest.param(
        ("start_week: 3\n    end_week: 4", "start_week: 2\n    end_week: 4"),
        "start_week: 2",
        "study_plan[1]: weeks 2-4 overlap weeks 1-2 of study_plan[0]",
        id="overlapping-weeks",
    ),
    pytest.param(
        ("start_week: 7\n    end_week: 8", "start_week: 7\n    end_week: 9"),
        "end_week: 9",
        "study_plan[3].end_week: week 9 is after the end of the 8-week plan",
        id="weeks-outside-the-plan",
    ),
    pytest.param(
        ("    title: HR Screening", "    titel: HR Screening"),
        "titel: HR Screening",
        "rounds[0].titel: unknown field",
        id="misspelt-field",
    ),
    pytest.param(
        (
            "      - text: Tell me about yourself and your career journey.",
            "      - text: How do you handle conflict within a team?",
        ),
        ("conflict within a team", 2),
        'rounds[0].questions[4].text: gives slug "how-do-you-handle-conflict-within-a-team", '
        "already used by rounds[0].questions[0]",
        id="duplicate-question",
    ),
    pytest.param(
        ("role: Head of Engineering", "role: [Head, of]"),
        "role: [Head, of]",
        "role: must be text, not a list",
        id="list-instead-of-text",
    ),
    pytest.param(
        ("last_reviewed: null", "last_reviewed: 2026-13-45"),
        "last_reviewed: 2026-13-45",
        "last_reviewed: must be a date like 2026-01-31: '2026-13-45'",
        id="impossible-date",
    ),
    pytest.param(
        ("category: Software Engineering Manager", "category: Software: Engineering: Manager"),
        "category: Software: Engineering",
        "YAML syntax error",
        id="yaml-syntax-error",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("edit", "line_fragment", "message"), BAD_EDITS)
def test_bad_file_changes_nothing_and_names_line_and_field(
    seed_guide, seed_text, tmp_path, edit, line_fragment, message
):
    old, new = edit
    bad = seed_text.replace(old, new, 1)
    assert bad != seed_text
    fragment, occurrence = line_fragment if isinstance(line_fragment, tuple) else (line_fragment, 1)
    expected_line = line_of(bad, fragment, occurrence)
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    before = guide_export(guide=seed_guide)

    error = import_error(path)

    assert error.startswith(f"{path}: nothing imported;")
    assert f"line {expected_line}: " in error
    assert message in error
    assert guide_export(guide=Guide.objects.get()) == before


@pytest.mark.django_db
def test_every_problem_is_listed_not_just_the_first(seed_text, tmp_path):
    bad = seed_text.replace("plan_weeks: 8", "plan_weeks: eight").replace(
        "kind: strategy", "kind: vision"
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")

    error = import_error(path)

    assert "problems to fix" in error
    assert error.count('"vision" is not one of') == seed_text.count("kind: strategy")
    assert "plan_weeks: must be a whole number" in error
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_a_database_conflict_found_mid_import_rolls_everything_back(tmp_path):
    Region.objects.create(name="Asia", slug="asia-pacific", order=1)

    error = import_error(SEED_FILE)

    assert 'regions[0].name: "Asia" is the name of region "asia-pacific"' in error
    assert not Guide.objects.exists()
    assert not Question.objects.exists()
    assert not StudyBlock.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "line 1: must be a block of fields, not nothing"),
        (b"- just\n- a list\n", "line 1: must be a block of fields, not a list"),
        (b"slug: x\ncompany: \xff\xfe\n", "the file is not UTF-8 text"),
        (b"slug: a\nslug: b\n", "line 2: slug: appears twice in the same block"),
    ],
)
def test_files_that_are_not_guides_are_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)

    assert message in import_error(path)
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_missing_file_is_reported_without_a_traceback(tmp_path):
    assert import_error(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: no such file"


@pytest.mark.django_db
def test_first_import_of_a_bad_file_creates_nothing(seed_text, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(seed_text.replace("end_week: 8", "end_week: 12"), encoding="utf-8")

    import_error(path)

    assert not Guide.objects.exists()
    import_guide(SEED_FILE)
    assert Guide.objects.count() == 1


BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


@pytest.mark.django_db
def test_a_billion_laughs_file_is_refused_before_anything_expands(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")

    error = import_error(path)

    assert error == (
        f"{path}: nothing imported; 1 problem to fix:\n  line 1: YAML anchors and aliases "
        "(& and *) are not allowed in guide files; write the value out in full"
    )


@pytest.mark.django_db
def test_an_alias_anywhere_in_a_guide_names_its_line(seed_text, tmp_path):
    path = tmp_path / "alias.yaml"
    path.write_text(
        seed_text.replace("company: OKX", "company: &who OKX").replace(
            "category: Software Engineering Manager", "category: *who"
        ),
        encoding="utf-8",
    )

    error = import_error(path)

    assert f"line {line_of(seed_text, 'company: OKX')}: YAML anchors and aliases" in error
    assert not Guide.objects.exists()


@pytest.mark.django_db
def test_a_file_over_a_megabyte_is_refused_unread(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"summary: " + b"a" * 50_000_000)

    error = import_error(path)

    assert error == (
        f"{path}: nothing imported; the file is 50,000,009 bytes; "
        "guide files are at most 1,000,000 bytes"
    )


@pytest.mark.django_db
def test_deep_nesting_and_huge_values_give_short_errors(seed_text, tmp_path):
    nested = tmp_path / "nested.yaml"
    nested.write_text("a: " + "[" * 50_000 + "]" * 50_000, encoding="utf-8")
    long_kind = tmp_path / "kind.yaml"
    long_kind.write_text(
        seed_text.replace("kind: motivation", "kind: " + "m" * 900_000, 1), encoding="utf-8"
    )

    assert "nests lists or blocks too deeply" in import_error(nested)
    error = import_error(long_kind)
    assert len(error) < 1_000
    assert f'kind: "{"m" * 79}…" is not one of' in error


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("guide:\n  category: Design: how\n", "put the whole text in double quotes"),
        ("guide:\n\tcategory: x\n", "a tab: indent with spaces"),
        ('guide: "open\nslug: x\n', "a quote opened and never closed"),
        ("guide:\n  - x\n slug: 1\n", "a line indented differently"),
    ],
)
def test_a_yaml_syntax_error_says_what_usually_fixes_it(text, hint):
    """The parser's own words ("mapping values are not allowed here") were all a recruiter got."""
    from rounds.content_io.errors import ContentFileInvalid
    from rounds.content_io.loader import load_located

    with pytest.raises(ContentFileInvalid) as raised:
        load_located(text)

    assert hint in str(raised.value)
