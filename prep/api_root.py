"""GET /api/v1/: where everything is, so a client needs to know only one address."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

LINKS = {
    "guides": "api:guide-list",
    "regions": "api:region-list",
    "questions": "api:question-list",
    "tags": "api:tag-list",
    "me": "api:profile",
    "enrolments": "api:enrolment-list",
    "practice": "api:practice-list",
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
    schema = serializers.URLField(help_text="This API's OpenAPI 3 schema.")
    docs = serializers.URLField(help_text="Interactive documentation.")


class ApiRoot(APIView):
    """Links to every collection, the schema and the documentation."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ApiRootSerializer, tags=["overview"])
    def get(self, request: Request) -> Response:
        return Response({name: reverse(url, request=request) for name, url in LINKS.items()})
