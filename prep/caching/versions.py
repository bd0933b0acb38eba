"""The content versions and each candidate's version, and the signals that move them.

- The content version moves on any edit: pages listing several guides (home, search, the API's
  lists, dashboards) are built from it.
- Each guide has its own version, moved by edits to that guide's rows (its rounds, questions,
  regions, study plan...); a guide's own pages are built from it and from the shared version,
  which moves when rows every guide shows change (tags, regions) or when an edit cannot say
  which guides it touched. So a re-import of one guide rebuilds that guide's pages and the lists,
  and the other 99 guides' pages stay cached.
- Each of those versions has a visibility twin, moved only when a change can take something away
  from visitors: a guide or question unpublished, a page's row deleted, an address (slug)
  changed. A stale entry may be served while one request rebuilds it after an ordinary edit, but
  never once a visibility twin moved: the next request after an unpublish gets its 404.
"""

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save

from accounts.models import User

CONTENT_VERSION_KEY = "prep:content-version"
SHARED_VERSION_KEY = "prep:shared-version"
# A safety net only: the version in the entry already invalidates it.
DERIVED_TIMEOUT = 60 * 60
T = TypeVar("T")


def visibility_key(version_key: str) -> str:
    """The twin of `version_key` that only changes in what visitors may see move."""
    return f"{version_key}:visibility"


def guide_version_key(guide_slug: str) -> str:
    # By slug, because the page cache knows a page's guide from its URL before any query.
    return f"prep:guide-version:{guide_slug}"


def candidate_version_key(user_id: int) -> str:
    return f"prep:candidate-version:{user_id}"


def _new_version() -> str:
    # Random rather than a counter: a version that was evicted and recreated can never match an
    # entry built from its previous life.
    return uuid.uuid4().hex[:16]


def _bump(key: str) -> None:
    cache.set(key, _new_version(), None)


def _bump_now_and_after_commit(key: str) -> None:
    # Now, so the writer's own next read sees the change; again after commit, because a
    # concurrent reader may have cached the old rows under the first new version meanwhile.
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def content_changed(*, guide_slugs: Iterable[str] | None = None, visibility: bool = False) -> None:
    """Published content changed: the lists are stale, and the pages of `guide_slugs` (of every
    guide when None). With `visibility`, something was unpublished, deleted or moved to another
    address, so no stale copy of those pages may be served any more."""
    keys = [CONTENT_VERSION_KEY]
    if guide_slugs is None:
        keys.append(SHARED_VERSION_KEY)
    else:
        keys.extend(guide_version_key(slug) for slug in set(guide_slugs))
    for key in keys:
        _bump_now_and_after_commit(key)
        if visibility:
            _bump_now_and_after_commit(visibility_key(key))


def candidate_changed(user_id: int | None) -> None:
    """Something only `user_id`'s own pages show changed (ticks, enrolments, their account)."""
    if user_id is not None:
        _bump_now_and_after_commit(candidate_version_key(user_id))


def current_version(found: dict[str, Any], key: str) -> str:
    version = found.get(key)
    if version is None:
        cache.add(key, _new_version(), None)
        version = cache.get(key)
    return version


def _guide_slug_of(instance: Any) -> str | None:
    """The slug of the guide a content row belongs to, None for rows every guide shares."""
    from rounds.models import Guide
    from studyplan.models import StudyTask

    if isinstance(instance, Guide):
        return instance.slug
    if isinstance(instance, StudyTask):
        block = StudyTask._meta.get_field("block").get_cached_value(instance, default=None)
        if block is None:
            return (
                Guide.objects.filter(study_blocks__pk=instance.block_id)
                .values_list("slug", flat=True)
                .first()
            )
        instance = block
    guide_field = getattr(type(instance), "guide", None)
    if guide_field is None:
        return None
    guide = type(instance)._meta.get_field("guide").get_cached_value(instance, default=None)
    if guide is not None:
        return guide.slug
    return Guide.objects.filter(pk=instance.guide_id).values_list("slug", flat=True).first()


# The fields that decide whether a row is shown and at which address; a change to one of them
# (or a delete) may turn a page into a 404 or take a row off a list. Rows of other models have no
# page of their own and are only ever shown inside one.
VISIBILITY_FIELDS = {
    "rounds.guide": ("status", "slug"),
    "rounds.round": ("slug", "guide_id"),
    "rounds.region": ("slug",),
    "rounds.regionalvariant": ("region_id", "guide_id"),
    "questions.question": ("is_published", "slug", "guide_id"),
}
# Set on an instance when it is loaded: its visibility fields as read from the database.
_LOADED = "_prep_visibility_loaded"
# Set before a save of an instance built in code with a primary key rather than loaded: what its
# save overwrites was never read.
_UNREAD = "_prep_visibility_unread"
_MISSING = object()


def _visibility_fields(instance: Any) -> tuple[str, ...]:
    return VISIBILITY_FIELDS.get(instance._meta.label_lower, ())


def _on_content_loaded(sender: type, instance: Any, **kwargs: Any) -> None:
    # Remembered at load time rather than read again before saving, so a save costs no query.
    # A field left out by only()/defer() is absent, and counts as changed if it is saved.
    instance.__dict__[_LOADED] = {
        name: instance.__dict__[name]
        for name in _visibility_fields(instance)
        if name in instance.__dict__
    }


def _on_content_saving(sender: type, instance: Any, **kwargs: Any) -> None:
    instance.__dict__[_UNREAD] = instance._state.adding and instance.pk is not None


def _visibility_changed(instance: Any, update_fields: Any) -> bool:
    """Whether saving `instance` changed what it shows: unpublished, moved, at a new address."""
    if instance.__dict__.get(_UNREAD):
        return True
    loaded = instance.__dict__.get(_LOADED, {})
    for name in _visibility_fields(instance):
        if update_fields is not None and not {name, name.removesuffix("_id")} & set(update_fields):
            continue
        if name in instance.__dict__ and loaded.get(name, _MISSING) != instance.__dict__[name]:
            return True
    return False


def _on_content_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    slug = _guide_slug_of(instance)
    deleted = kwargs.get("signal") is post_delete
    visibility = deleted or (
        not kwargs.get("created", False)
        and _visibility_changed(instance, kwargs.get("update_fields"))
    )
    content_changed(guide_slugs=None if slug is None else [slug], visibility=visibility)
    if not deleted and visibility:
        # Moved to another guide: the guide it left must stop showing it too.
        old_guide = instance.__dict__.get(_LOADED, {}).get("guide_id")
        if old_guide is not None and old_guide != getattr(instance, "guide_id", old_guide):
            content_changed(guide_slugs=_slugs_of_guides([old_guide]), visibility=True)
    if not deleted and _visibility_fields(instance):
        _on_content_loaded(sender, instance)


def _slugs_of_guides(ids: list[int]) -> list[str]:
    from rounds.models import Guide

    return list(Guide.objects.filter(pk__in=ids).values_list("slug", flat=True))


def _on_guide_renamed(sender: type, instance: Any, **kwargs: Any) -> None:
    # A guide's old address must stop serving its pages at once: move the old slug's versions.
    if instance.pk is None:
        return
    old = type(instance).objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old is not None and old != instance.slug:
        content_changed(guide_slugs=[old], visibility=True)


def _on_content_m2m(sender: type, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        # question.tags.add(...) names its question; tag.questions.add(...) may touch any guide.
        slug = None if reverse else _guide_slug_of(instance)
        content_changed(guide_slugs=None if slug is None else [slug])


def _on_user_saved(sender: type, instance: User, **kwargs: Any) -> None:
    candidate_changed(instance.pk)


def _on_owned_row_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    candidate_changed(instance.user_id)


def _on_enrolment_row_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    from studyplan.models import Enrolment

    # The enrolment is usually loaded already (the tick service has it); a cascade may not.
    enrolment = sender._meta.get_field("enrolment").get_cached_value(instance, default=None)
    if enrolment is not None:
        candidate_changed(enrolment.user_id)
        return
    user_id = (
        Enrolment.objects.filter(pk=instance.enrolment_id).values_list("user_id", flat=True).first()
    )
    candidate_changed(user_id)


def connect_signals() -> None:
    """Wire the invalidation to every model a cached page shows; called from PrepConfig.ready()."""
    from accounts.models import ApiToken
    from mocks.models import Mock
    from practice.models import PracticeSettings, QuestionProgress, Review, ReviewCard
    from questions.models import Question, Tag
    from rounds.models import EvaluationCriterion, Guide, Region, RegionalVariant, Round
    from stories.models import Story
    from studyplan.models import (
        Enrolment,
        EnrolmentPeriod,
        RoundBooking,
        StudyBlock,
        StudyTask,
        TaskProgress,
    )

    content_models = [
        Guide,
        EvaluationCriterion,
        Round,
        Region,
        RegionalVariant,
        Tag,
        Question,
        StudyBlock,
        StudyTask,
    ]
    for model in content_models:
        uid = f"prep-caching-{model._meta.label_lower}"
        post_save.connect(_on_content_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_content_saved, sender=model, dispatch_uid=uid)
        if model._meta.label_lower in VISIBILITY_FIELDS:
            post_init.connect(_on_content_loaded, sender=model, dispatch_uid=uid)
            pre_save.connect(_on_content_saving, sender=model, dispatch_uid=uid)
    pre_save.connect(_on_guide_renamed, sender=Guide, dispatch_uid="prep-caching-guide-renamed")
    m2m_changed.connect(
        _on_content_m2m, sender=Question.tags.through, dispatch_uid="prep-caching-question-tags"
    )

    post_save.connect(_on_user_saved, sender=User, dispatch_uid="prep-caching-user")
    post_delete.connect(_on_user_saved, sender=User, dispatch_uid="prep-caching-user")
    # Every row a candidate's own pages show: a rating moves a review card without touching the
    # question's progress row, and the dashboard's "Due for review today" must follow it.
    owned = (
        Enrolment,
        QuestionProgress,
        ReviewCard,
        Review,
        PracticeSettings,
        ApiToken,
        Mock,
        Story,
    )
    for model in owned:
        uid = f"prep-caching-{model._meta.label_lower}"
        post_save.connect(_on_owned_row_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_owned_row_saved, sender=model, dispatch_uid=uid)
    for model in (TaskProgress, EnrolmentPeriod, RoundBooking):
        uid = f"prep-caching-{model._meta.label_lower}"
        post_save.connect(_on_enrolment_row_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_enrolment_row_saved, sender=model, dispatch_uid=uid)


def cached_for_content(name: str, build: Callable[[], T]) -> T:
    """`build()`'s result, computed once per content version and shared by every process.

    For values derived from all published content (the API's filter choices over every guide),
    which would otherwise be rebuilt on each request.
    """
    key = f"prep:content-derived:{name}"
    found = cache.get_many([CONTENT_VERSION_KEY, key])
    version = current_version(found, CONTENT_VERSION_KEY)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = build()
    cache.set(key, (version, value), DERIVED_TIMEOUT)
    return value


def cached_for_guide(guide_slug: str, name: str, build: Callable[[], T]) -> T:
    """`build()`'s result for one guide, computed once per version of that guide (and of the
    rows every guide shares) and shared by every process.

    For values derived from one guide's content that signed-in pages need on every request
    (the question bank's filter counts), since those pages never come from the page cache.
    """
    key = f"prep:guide-derived:{guide_slug}:{name}"
    version_keys = [guide_version_key(guide_slug), SHARED_VERSION_KEY]
    found = cache.get_many([*version_keys, key])
    versions = tuple(current_version(found, version_key) for version_key in version_keys)
    entry = found.get(key)
    if entry is not None and entry[0] == versions:
        return entry[1]
    value = build()
    cache.set(key, (versions, value), DERIVED_TIMEOUT)
    return value
