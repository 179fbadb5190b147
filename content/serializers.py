from rest_framework import serializers

from content.models import DEFAULT_TEMPLATE, CaptionLength, Template
from recoup.lib.fields import (
    NoUnknownFieldsMixin,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictUUIDField,
)
from recoup.lib.urls import media_url


class HttpUrlField(serializers.URLField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Must be an http or https URL.")
        return value


class ContentCreateInputSerializer(NoUnknownFieldsMixin, serializers.Serializer):
    artist_account_id = StrictUUIDField(help_text="An artist this key's account can access")
    template = StrictCharField(required=False, default=DEFAULT_TEMPLATE, max_length=80)
    lipsync = StrictBooleanField(required=False, help_text="Defaults to the template's default_lipsync")
    caption_length = serializers.ChoiceField(choices=CaptionLength.choices, default=CaptionLength.SHORT)
    upscale = StrictBooleanField(required=False, default=False)
    batch = StrictIntegerField(required=False, default=1, min_value=1, max_value=30)
    songs = serializers.ListField(
        child=StrictCharField(max_length=200),
        required=False,
        allow_null=True,
        allow_empty=False,
        min_length=1,  # allow_empty alone is invisible to the OpenAPI schema
        max_length=200,
        help_text="Song ids or slugs the runs may pick from (default: all the artist's songs)",
    )
    callback_url = HttpUrlField(required=False, max_length=2000, help_text="POSTed the run object when each run ends")

    def validate_template(self, value: str) -> str:
        if not Template.objects.filter(pk=value).exists():
            raise serializers.ValidationError(f"Unknown template {value!r}; see GET /api/content/templates.")
        return value


class ContentCreateResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["triggered"])
    runIds = serializers.ListField(child=serializers.CharField())  # noqa: N815 - the contract's name
    artist_account_id = serializers.UUIDField()
    template = serializers.CharField()
    lipsync = serializers.BooleanField()
    caption_length = serializers.ChoiceField(choices=CaptionLength.choices)
    upscale = serializers.BooleanField()
    batch = serializers.IntegerField()
    failed = serializers.IntegerField(required=False, help_text="Runs that could not be queued; only when > 0")


class TemplateSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Template
        fields = ["id", "description", "default_lipsync", "uses_face_guide"]


class TemplateDetailSerializer(serializers.ModelSerializer):
    reference_images = serializers.SerializerMethodField()

    class Meta:
        model = Template
        fields = [
            "id",
            "description",
            "default_lipsync",
            "uses_face_guide",
            "uses_artist_image",
            "image_prompt",
            "style_rules",
            "moods",
            "movements",
            "caption_guide",
            "reference_images",
            "updated_at",
        ]

    def get_reference_images(self, obj: Template) -> list[dict]:
        request = self.context.get("request")
        return [
            {"id": image.pk, "title": image.title, "url": media_url(image.image.name, request)}
            for image in obj.reference_images.all()
        ]


class TemplateListResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success"])
    templates = TemplateSummarySerializer(many=True)


class TemplateDetailResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success"])
    template = TemplateDetailSerializer()


class ValidateQuerySerializer(NoUnknownFieldsMixin, serializers.Serializer):
    artist_account_id = serializers.UUIDField()
    template = StrictCharField(required=False, default=DEFAULT_TEMPLATE, max_length=80)

    validate_template = ContentCreateInputSerializer.validate_template


class ValidateResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success"])
    artist_account_id = serializers.UUIDField()
    ready = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.ChoiceField(choices=["face_guide", "songs"]))


class EstimateQuerySerializer(NoUnknownFieldsMixin, serializers.Serializer):
    batch = serializers.IntegerField(required=False, default=1, min_value=1, max_value=30)
    lipsync = serializers.BooleanField(required=False, default=False)
    upscale = serializers.BooleanField(required=False, default=False)


class EstimateStepSerializer(serializers.Serializer):
    name = serializers.CharField()
    costInCents = serializers.IntegerField()  # noqa: N815


class EstimateResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success"])
    provider = serializers.CharField()
    batch = serializers.IntegerField()
    lipsync = serializers.BooleanField()
    upscale = serializers.BooleanField()
    perRunCents = serializers.IntegerField()  # noqa: N815
    totalCents = serializers.IntegerField()  # noqa: N815
    steps = EstimateStepSerializer(many=True)
