"""GET /api/v1/: where everything is, so a client needs to know only one address."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from .api_errors import PROBLEM_CHOICES, PROBLEMS

LINKS = {
    "guides": "api:guide-list",
    "regions": "api:region-list",
    "questions": "api:question-list",
    "tags": "api:tag-list",
    "me": "api:profile",
    "enrolments": "api:enrolment-list",
    "practice": "api:practice-list",
    "reviews_due": "api:review-queue",
    "review_cards": "api:review-card-list",
    "activity": "api:activity",
    "stories": "api:story-list",
    "mocks": "api:mock-list",
    "schema": "api:schema",
    "docs": "api:docs",
}


class ApiRootSerializer(serializers.Serializer):
    guides = serializers.URLField(help_text="Published interview guides.")
    regions = serializers.URLField(help_text="Regions and how interviews differ there.")
    questions = serializers.URLField(help_text="The question bank, with filters and search.")
    tags = serializers.URLField()
    me = serializers.URLField(help_text="Your profile (signed in).")
    enrolments = serializers.URLField(help_text="Your enrolments (signed in).")
    practice = serializers.URLField(help_text="Your practice notes (signed in).")
    reviews_due = serializers.URLField(help_text="Your reviews due today (signed in).")
    review_cards = serializers.URLField(
        help_text="Your spaced-review cards; POST a rating here (signed in)."
    )
    activity = serializers.URLField(help_text="Your streak, activity and readiness (signed in).")
    stories = serializers.URLField(help_text="Your story bank (signed in).")
    mocks = serializers.URLField(help_text="Your mock interviews; POST starts one (signed in).")
    schema = serializers.URLField(help_text="This API's OpenAPI 3 schema.")
    docs = serializers.URLField(help_text="Interactive documentation.")
    api_tokens = serializers.URLField(
        help_text="Not part of the API: the website's page, for signed-in candidates, where API "
        "tokens are created (the key is shown once) and revoked."
    )


class ApiRoot(APIView):
    """Links to every collection, the schema and the documentation."""

    # Open to anyone, whatever token comes with the request: a client whose token was revoked
    # must still find the documentation rather than a 401.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses=ApiRootSerializer, tags=["overview"])
    def get(self, request: Request) -> Response:
        links = {name: reverse(url, request=request) for name, url in LINKS.items()}
        # Tokens are made only on the website, with the password-protected session: the one
        # thing a client new to the API needs before any other link works.
        links["api_tokens"] = reverse("accounts:api_tokens", request=request)
        return Response(links)


class ProblemTypeSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=PROBLEM_CHOICES)
    status = serializers.IntegerField(help_text="The HTTP status this problem answers with.")
    title = serializers.CharField()
    description = serializers.CharField(help_text="What it means and what a client should do.")


class ProblemType(APIView):
    """What one problem `type` means: the address every error body's `type` points to."""

    # Open whatever token is sent: a client answered 401 for a revoked token reads here why.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        responses=ProblemTypeSerializer,
        tags=["overview"],
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, enum=list(PROBLEMS))],
    )
    def get(self, request: Request, code: str) -> Response:
        if code not in PROBLEMS:
            raise exceptions.NotFound()
        http_status, title, description = PROBLEMS[code]
        return Response(
            {"code": code, "status": http_status, "title": title, "description": description}
        )
