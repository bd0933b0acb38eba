"""The guide's Insight page in the admin, mounted by GuideAdmin."""

from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from rounds.models import Guide
from rounds.recruiters import GROUP

from .aggregates import guide_insight
from .charts import bar_chart
from .privacy import MIN_GROUP_SIZE


def may_view_insight(user) -> bool:
    """Recruiters (and superusers) read insight; other staff do not see candidates' activity."""
    # Kept on the user object: the changelist asks once per page and once per row's link.
    cached = getattr(user, "_may_view_insight", None)
    if cached is None:
        cached = user.is_active and (user.is_superuser or user.groups.filter(name=GROUP).exists())
        user._may_view_insight = cached
    return cached


def insight_view(request: HttpRequest, model_admin: ModelAdmin, object_id: str) -> HttpResponse:
    """Candidates' activity on one guide, in aggregate."""
    if not may_view_insight(request.user):
        raise PermissionDenied
    if not (object_id.isascii() and object_id.isdigit()):
        raise Http404("No guide has this id.")
    guide = get_object_or_404(Guide, pk=object_id)
    sections = [(section, bar_chart(section)) for section in guide_insight(guide)]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Guide._meta,
        "original": guide,
        "title": f"Insight: {guide}",
        "sections": sections,
        "min_group_size": MIN_GROUP_SIZE,
    }
    return TemplateResponse(request, "admin/rounds/guide/insight.html", context)
