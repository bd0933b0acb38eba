"""Study blocks know the rounds, question kinds and tags they prepare for: in the guide file,
in the admin, and on the candidate's dashboard."""

import re

import pytest
from django.urls import reverse

from rounds.content_io.exporter import guide_export
from studyplan.models import StudyBlock
from tests.admin.test_content_forms import block_form
from tests.factories import EnrolmentFactory, GuideFactory, RoundFactory, TagFactory

from .conftest import import_guide
from .test_import_errors import import_error


def links(block: StudyBlock) -> tuple[list[str], list[str]]:
    return [r.title for r in block.rounds.order_by("order")], block.question_kinds


@pytest.mark.django_db
def test_the_seed_links_each_block_to_the_round_it_prepares_for(seed_guide):
    blocks = list(seed_guide.study_blocks.order_by("start_week"))
    assert [links(b) for b in blocks] == [
        (["HR Screening"], ["motivation"]),
        (["Technical Leadership and System Design"], []),
        (["People and Strategy Leadership"], []),
        (["Executive Strategy and Vision"], ["behavioural"]),
    ]


@pytest.mark.django_db
def test_links_round_trip_through_export_and_import(seed_guide, seed_text, tmp_path):
    block = seed_guide.study_blocks.get(start_week=3)
    block.tags.add(TagFactory(name="distributed systems"))
    block.question_kinds = ["system_design", "technical"]
    block.save()
    exported = guide_export(guide=seed_guide)
    assert "kinds: [system_design, technical]" in exported
    assert "tags: [distributed systems]" in exported
    path = tmp_path / "guide.yaml"
    path.write_text(exported, encoding="utf-8")
    StudyBlock.objects.filter(pk=block.pk).update(question_kinds=[])
    block.tags.clear()
    summary = import_guide(path)
    assert "(updated 1 study block)" in summary
    block.refresh_from_db()
    assert block.question_kinds == ["system_design", "technical"]
    assert [t.name for t in block.tags.all()] == ["distributed systems"]
    assert guide_export(guide=seed_guide) == exported


@pytest.mark.django_db
def test_a_block_naming_an_unknown_round_or_kind_is_refused_by_line(seed_text, tmp_path):
    broken = seed_text.replace("rounds: [hr-screening]", "rounds: [hr-screeening]").replace(
        "kinds: [behavioural]", "kinds: [behavioral]"
    )
    path = tmp_path / "guide.yaml"
    path.write_text(broken, encoding="utf-8")
    error = import_error(path)
    assert "nothing imported" in error
    assert 'study_plan[0].rounds[0]: "hr-screeening" is not a round of this guide' in error
    assert 'study_plan[3].kinds[0]: "behavioral" is not a question kind' in error
    assert not StudyBlock.objects.exists()


@pytest.mark.django_db
def test_recruiter_links_a_block_to_rounds_and_kinds_in_the_admin(client, recruiter):
    guide = GuideFactory(status="draft")  # drafts are edited directly, published ones staged
    screening = RoundFactory(guide=guide, order=1, title="HR Screening")
    client.force_login(recruiter)
    data = block_form(guide, 1, 2, ["Tell your story."])
    data["rounds"] = [screening.pk]
    data["question_kinds"] = ["motivation"]
    response = client.post(reverse("admin:studyplan_studyblock_add"), data)
    assert response.status_code == 302
    assert links(StudyBlock.objects.get()) == (["HR Screening"], ["motivation"])


@pytest.mark.django_db
def test_a_round_of_another_guide_is_refused_in_the_admin(client, recruiter):
    guide, other = GuideFactory(), GuideFactory()
    theirs = RoundFactory(guide=other, title="Their round")
    client.force_login(recruiter)
    data = block_form(guide, 1, 2, [])
    data["rounds"] = [theirs.pk]
    response = client.post(reverse("admin:studyplan_studyblock_add"), data)
    assert response.status_code == 200
    assert not StudyBlock.objects.exists()
    # Only the block's own guide's rounds are offered; another's is not a valid choice.
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_dashboard_practice_links_follow_the_current_block(client, alice, seed_guide):
    import datetime
    import zoneinfo

    today = datetime.datetime.now(zoneinfo.ZoneInfo(alice.time_zone)).date()
    EnrolmentFactory(user=alice, guide=seed_guide, start_date=today - datetime.timedelta(days=45))
    client.force_login(alice)
    page = client.get(reverse("studyplan:dashboard")).content.decode()
    bank = reverse("questions:list", args=[seed_guide.slug])
    # Week 7: the block for round 4 and behavioural questions.
    assert f'href="{bank}?round=executive-strategy-and-vision"' in page
    assert f'href="{bank}?kind=behavioural"' in page
    text = re.sub(r"<[^>]+>", "", page)
    assert "Practise now: Executive Strategy and Vision questions · Behavioural questions" in text
