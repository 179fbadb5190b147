"""Shapes shared by every endpoint, described once for the OpenAPI schema."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["error"])
    error = serializers.CharField()
    field = serializers.CharField(required=False, help_text="400 validation: the first failing field")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="400 validation: messages per field",
    )
    missing = serializers.ListField(
        child=serializers.ChoiceField(choices=["face_guide", "songs"]),
        required=False,
        help_text="400 artist not ready: the kinds of files that are missing",
    )
    failed = serializers.IntegerField(required=False, help_text="503: runs that could not be queued")


ERROR_DESCRIPTIONS = {
    400: "Invalid input",
    401: "Missing, unknown, revoked or expired API key",
    404: "Unknown or inaccessible resource",
    405: "Method not allowed",
    409: "Conflict",
    415: "Unsupported content type",
    429: "Rate limited (see Retry-After)",
    503: "Cannot enqueue",
}


def error_responses(*codes: int) -> dict:
    from drf_spectacular.utils import OpenApiResponse

    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in (401, *codes)}
