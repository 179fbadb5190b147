from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from artists.selectors import artist_get, artist_missing
from content.models import Template
from content.serializers import (
    ContentCreateInputSerializer,
    ContentCreateResponseSerializer,
    EstimateQuerySerializer,
    EstimateResponseSerializer,
    TemplateDetailResponseSerializer,
    TemplateDetailSerializer,
    TemplateListResponseSerializer,
    TemplateSummarySerializer,
    ValidateQuerySerializer,
    ValidateResponseSerializer,
)
from content.services import (
    content_create,
    content_estimate,
    idempotency_begin,
    idempotency_finish,
    request_fingerprint,
)
from recoup.lib.serializers import error_responses
from recoup.throttling import ApiKeyRateThrottle, CreateRateThrottle

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    # The view's own length check, stated in the schema so SDKs can check it first.
    {"type": "string", "minLength": 1, "maxLength": 255},
    OpenApiParameter.HEADER,
    required=False,
    description="Repeating a key within 24 hours returns the first answer and triggers nothing.",
)


class ContentCreateView(APIView):
    throttle_classes = [ApiKeyRateThrottle, CreateRateThrottle]

    @extend_schema(
        operation_id="content_create",
        request=ContentCreateInputSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={202: ContentCreateResponseSerializer, **error_responses(400, 404, 409, 415, 429, 503)},
    )
    def post(self, request):
        serializer = ContentCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key")
        if key is None:
            body = content_create(account=request.user, **serializer.validated_data)
            return Response(body, status=status.HTTP_202_ACCEPTED)
        # NUL never reaches a real server's headers, but in-process callers can send it and
        # PostgreSQL refuses to store it.
        if not 1 <= len(key) <= 255 or "\x00" in key:
            raise ValidationError({"Idempotency-Key": ["Must be 1 to 255 characters, none of them NUL."]})
        replay = idempotency_begin(account=request.user, key=key, fingerprint=request_fingerprint(request.data))
        if replay is not None:
            return Response(replay, status=status.HTTP_202_ACCEPTED)
        body = None
        try:
            body = content_create(account=request.user, **serializer.validated_data)
        finally:
            idempotency_finish(account=request.user, key=key, response=body)
        return Response(body, status=status.HTTP_202_ACCEPTED)


def _is_template_id(value: str) -> bool:
    """Whether a template could have this id: its form is the model's (a slug)."""
    # Anything else names no template, and PostgreSQL refuses text with NUL in it (a 500).
    try:
        Template._meta.get_field("id").run_validators(value)
    except DjangoValidationError:
        return False
    return True


class TemplateListView(APIView):
    @extend_schema(operation_id="content_templates_list", responses={200: TemplateListResponseSerializer, **error_responses()})
    def get(self, request):
        data = TemplateSummarySerializer(Template.objects.all(), many=True).data
        return Response({"status": "success", "templates": data})


class TemplateDetailView(APIView):
    @extend_schema(
        operation_id="content_templates_retrieve",
        responses={200: TemplateDetailResponseSerializer, **error_responses(404)},
    )
    def get(self, request, template_id: str):
        template = None
        if _is_template_id(template_id):
            template = Template.objects.prefetch_related("reference_images").filter(pk=template_id).first()
        if template is None:
            raise NotFound()
        data = TemplateDetailSerializer(template, context={"request": request}).data
        return Response({"status": "success", "template": data})


class ValidateView(APIView):
    @extend_schema(
        operation_id="content_validate",
        parameters=[ValidateQuerySerializer],
        responses={200: ValidateResponseSerializer, **error_responses(400, 404)},
    )
    def get(self, request):
        query = ValidateQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        artist = artist_get(account=request.user, artist_id=query.validated_data["artist_account_id"])
        if artist is None:
            raise NotFound()
        template = Template.objects.get(pk=query.validated_data["template"])
        missing = artist_missing(artist, uses_face_guide=template.uses_face_guide)
        return Response(
            {"status": "success", "artist_account_id": str(artist.pk), "ready": not missing, "missing": missing}
        )


class EstimateView(APIView):
    @extend_schema(
        operation_id="content_estimate",
        parameters=[EstimateQuerySerializer],
        responses={200: EstimateResponseSerializer, **error_responses(400)},
        description="What a batch would cost with the configured provider (0 for local), before triggering it.",
    )
    def get(self, request):
        query = EstimateQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        return Response(content_estimate(**query.validated_data))
