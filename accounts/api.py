"""A candidate's own account over the API: profile, reminder preferences and data export."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from prep.api_fields import (
    RefuseUnknownFieldsMixin,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictSlugRelatedField,
)
from rounds.models import Region

from . import services
from .export import user_export_data
from .models import User, Weekday
from .validators import validate_time_zone


class ProfileSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    """Serializers only shape and validate; accounts.services.user_update_settings saves."""

    region = StrictSlugRelatedField(
        slug_field="slug",
        queryset=Region.objects.all(),
        allow_null=True,
        required=False,
        help_text="Region slug whose interview focus is shown first; null for none.",
    )
    time_zone = StrictCharField(
        max_length=64,
        validators=[validate_time_zone],
        required=False,
        help_text="IANA time zone name, e.g. Asia/Singapore. Weeks and reminders follow it.",
    )
    display_name = StrictCharField(
        max_length=80, allow_blank=True, required=False, help_text="How Prep greets you."
    )
    reminders_enabled = StrictBooleanField(
        required=False, help_text="Whether weekly study reminders are e-mailed at all."
    )
    reminder_weekday = StrictChoiceField(
        choices=Weekday.choices, required=False, help_text="0 = Monday … 6 = Sunday."
    )
    reminder_hour = StrictIntegerField(
        min_value=0, max_value=23, required=False, help_text="Local hour (0-23) of reminders."
    )
    email = serializers.EmailField(
        read_only=True,
        help_text="The login address. Read-only: it changes only on the site's settings page, "
        "with the current password and a link e-mailed to the new address, so a token cannot "
        "move the account to another address. Sending it answers 400.",
    )
    email_confirmed = serializers.BooleanField(
        read_only=True, help_text="Reminders go only to confirmed addresses."
    )

    class Meta:
        model = User
        fields = [
            "email",
            "email_confirmed",
            "display_name",
            "time_zone",
            "region",
            "reminders_enabled",
            "reminder_weekday",
            "reminder_hour",
            "date_joined",
        ]
        read_only_fields = ["date_joined"]

    read_only_messages = {
        "email": "The address cannot be changed through the API. Change it on the settings "
        "page, with your password."
    }


class Profile(generics.RetrieveUpdateAPIView):
    """The signed-in candidate's profile and reminder preferences."""

    serializer_class = ProfileSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        return User.objects.select_related("region").get(pk=self.request.user.pk)

    def perform_update(self, serializer: ProfileSerializer) -> None:
        user = serializer.instance
        data: dict[str, Any] = {
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "region": user.region,
            "reminders_enabled": user.reminders_enabled,
            "reminder_weekday": user.reminder_weekday,
            "reminder_hour": user.reminder_hour,
        }
        data.update(serializer.validated_data)
        services.user_update_settings(user=user, **data)


class ExportProfileSerializer(serializers.Serializer):
    email = serializers.EmailField()
    pending_email = serializers.EmailField(
        allow_null=True, help_text="An address asked for but not confirmed yet."
    )
    email_confirmed_at = serializers.DateTimeField(allow_null=True)
    display_name = serializers.CharField()
    time_zone = serializers.CharField()
    region = serializers.CharField(allow_null=True, help_text="Region name.")
    reminders_enabled = serializers.BooleanField()
    reminder_weekday = serializers.CharField(help_text="Day name, e.g. Monday.")
    reminder_hour = serializers.IntegerField()
    date_joined = serializers.DateTimeField()


class ExportTaskSerializer(serializers.Serializer):
    task = serializers.CharField()
    block = serializers.CharField()
    weeks = serializers.CharField()
    done_at = serializers.DateTimeField()


class ExportPeriodSerializer(serializers.Serializer):
    block = serializers.CharField(help_text="Study block title.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(help_text="Last day (inclusive).")


class ExportRoundDateSerializer(serializers.Serializer):
    round = serializers.CharField(help_text="Round title.")
    date = serializers.DateField()
    time = serializers.CharField(allow_null=True, help_text="Local start time, HH:MM.")
    time_zone = serializers.CharField()
    result = serializers.CharField(allow_null=True, help_text="Null before the round.")


class ExportEnrolmentSerializer(serializers.Serializer):
    guide = serializers.CharField(help_text="Guide title.")
    guide_slug = serializers.CharField()
    status = serializers.CharField()
    start_date = serializers.DateField()
    target_interview_date = serializers.DateField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    reminders_enabled = serializers.BooleanField()
    reminders_off_at = serializers.DateTimeField(
        allow_null=True, help_text="When reminders were turned off; null while they are on."
    )
    enrolled_at = serializers.DateTimeField()
    tasks_done = ExportTaskSerializer(many=True)
    study_periods = ExportPeriodSerializer(
        many=True,
        help_text="Only for a plan fitted to an interview; otherwise weeks run from start_date.",
    )
    round_dates = ExportRoundDateSerializer(many=True)


class ExportNoteSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The question's text when last practised.")
    guide = serializers.CharField(allow_null=True, help_text="Guide title.")
    question_still_published = serializers.BooleanField()
    status = serializers.CharField()
    last_practised_at = serializers.DateTimeField(allow_null=True)
    answer_draft = serializers.CharField()
    updated_at = serializers.DateTimeField()


class ExportTokenSerializer(serializers.Serializer):
    name = serializers.CharField()
    starts_with = serializers.CharField(help_text="The key's first characters.")
    created_at = serializers.DateTimeField()


class ExportReviewSerializer(serializers.Serializer):
    rating = serializers.CharField(help_text="Again, Hard, Good or Easy.")
    reviewed_at = serializers.DateTimeField()
    interval_days = serializers.IntegerField()
    due_after = serializers.DateTimeField()
    capped_by_interview = serializers.BooleanField()


class ExportCardSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The question's text.")
    guide = serializers.CharField(help_text="Guide title.")
    state = serializers.CharField(help_text="Learning, Review or Relearning.")
    due = serializers.DateTimeField()
    last_review = serializers.DateTimeField()
    scheduler_card = serializers.DictField(help_text="The FSRS scheduler's own card.")
    reviews = ExportReviewSerializer(many=True, help_text="Oldest first.")


class ExportSpacedReviewSerializer(serializers.Serializer):
    desired_retention = serializers.FloatField()
    cards = ExportCardSerializer(many=True)


class ExportStoryLinkSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The question's text.")
    guide = serializers.CharField(help_text="Guide title.")


class ExportStoryCriterionSerializer(serializers.Serializer):
    criterion = serializers.CharField(help_text="The criterion's title.")
    guide = serializers.CharField(help_text="Guide title.")


class ExportStorySerializer(serializers.Serializer):
    title = serializers.CharField()
    situation = serializers.CharField()
    task = serializers.CharField()
    action = serializers.CharField()
    result = serializers.CharField()
    reflection = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    questions = ExportStoryLinkSerializer(many=True)
    criteria = ExportStoryCriterionSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ExportMockAnswerSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The question as asked.")
    notes = serializers.CharField()
    story = serializers.CharField(allow_null=True, help_text="Title of the story told.")
    shown_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    seconds_taken = serializers.IntegerField(allow_null=True)
    timed_out = serializers.BooleanField()
    outcome = serializers.CharField(allow_null=True, help_text="Nailed, shaky or missed.")


class ExportMockGradeSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    score = serializers.IntegerField()
    reason = serializers.CharField()


class ExportMockSerializer(serializers.Serializer):
    guide = serializers.CharField(help_text="Guide title.")
    round = serializers.CharField(help_text="Round title.")
    status = serializers.CharField()
    minutes_per_question = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    score = serializers.CharField(allow_null=True, help_text="Mean grade, e.g. 3.50.")
    answers = ExportMockAnswerSerializer(many=True)
    grades = ExportMockGradeSerializer(many=True)


class ExportSerializer(serializers.Serializer):
    """Documents the export document; accounts.export builds it."""

    format = serializers.CharField(help_text="Always `prep-export`.")
    version = serializers.IntegerField()
    exported_at = serializers.DateTimeField()
    profile = ExportProfileSerializer()
    enrolments = ExportEnrolmentSerializer(many=True)
    question_notes = ExportNoteSerializer(many=True)
    spaced_review = ExportSpacedReviewSerializer(help_text="Review cards and every rating.")
    stories = ExportStorySerializer(many=True)
    mock_interviews = ExportMockSerializer(many=True)
    api_tokens = ExportTokenSerializer(many=True, help_text="Names of your API tokens, never keys.")


class Export(APIView):
    """Everything Prep holds about the signed-in candidate, as one JSON document."""

    @extend_schema(responses=ExportSerializer)
    def get(self, request: Request) -> Response:
        response = Response(user_export_data(user=request.user))
        response["Content-Disposition"] = 'attachment; filename="prep-export.json"'
        return response
