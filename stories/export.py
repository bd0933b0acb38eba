"""The candidate's stories, for the data export."""

from accounts.models import User

from .models import Story


def stories_export(user: User) -> list[dict]:
    stories = Story.objects.of(user).prefetch_related("questions__guide", "criteria__guide")
    return [
        {
            "title": story.title,
            "situation": story.situation,
            "task": story.task,
            "action": story.action,
            "result": story.result,
            "reflection": story.reflection,
            "tags": story.tag_list(),
            "questions": [
                {"question": q.text, "guide": q.guide.title} for q in story.questions.all()
            ],
            "criteria": [
                {"criterion": c.title, "guide": c.guide.title} for c in story.criteria.all()
            ],
            "created_at": story.created_at.isoformat(),
            "updated_at": story.updated_at.isoformat(),
        }
        for story in stories
    ]
