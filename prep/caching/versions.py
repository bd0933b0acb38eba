"""The content version and each candidate's version, and the signals that move them."""

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import User

CONTENT_VERSION_KEY = "prep:content-version"
# A safety net only: the version in the entry already invalidates it.
DERIVED_TIMEOUT = 60 * 60
T = TypeVar("T")


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


def content_changed() -> None:
    """Published content changed: every cached page and API answer is stale."""
    _bump_now_and_after_commit(CONTENT_VERSION_KEY)


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


def _on_content_saved(sender: type, **kwargs: Any) -> None:
    content_changed()


def _on_content_m2m(sender: type, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed()


def _on_user_saved(sender: type, instance: User, **kwargs: Any) -> None:
    candidate_changed(instance.pk)


def _on_owned_row_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    candidate_changed(instance.user_id)


def _on_task_progress_saved(sender: type, instance: Any, **kwargs: Any) -> None:
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
    from questions.models import Question, QuestionProgress, Tag
    from rounds.models import EvaluationCriterion, Guide, Region, RegionalVariant, Round
    from studyplan.models import Enrolment, StudyBlock, StudyTask, TaskProgress

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
    m2m_changed.connect(
        _on_content_m2m, sender=Question.tags.through, dispatch_uid="prep-caching-question-tags"
    )

    post_save.connect(_on_user_saved, sender=User, dispatch_uid="prep-caching-user")
    post_delete.connect(_on_user_saved, sender=User, dispatch_uid="prep-caching-user")
    for model in (Enrolment, QuestionProgress):
        uid = f"prep-caching-{model._meta.label_lower}"
        post_save.connect(_on_owned_row_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_owned_row_saved, sender=model, dispatch_uid=uid)
    post_save.connect(
        _on_task_progress_saved, sender=TaskProgress, dispatch_uid="prep-caching-taskprogress"
    )
    post_delete.connect(
        _on_task_progress_saved, sender=TaskProgress, dispatch_uid="prep-caching-taskprogress"
    )


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
