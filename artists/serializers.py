from rest_framework import serializers

from artists.models import Artist, ArtistFile, FileKind
from artists.selectors import artist_missing
from recoup.lib.fields import NoUnknownFieldsMixin, StrictCharField
from recoup.lib.urls import media_url


class ArtistFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ArtistFile
        fields = [
            "id",
            "kind",
            "title",
            "slug",
            "size",
            "content_type",
            "checksum",
            "duration_seconds",
            "width",
            "height",
            "url",
            "created_at",
        ]

    def get_url(self, obj: ArtistFile) -> str | None:
        return media_url(obj.file.name, self.context.get("request"))


class ArtistSerializer(serializers.ModelSerializer):
    account_id = serializers.UUIDField(source="id", read_only=True, help_text="Same as id: the artist account id")
    image = serializers.SerializerMethodField(help_text="URL of the artist's picture (an image file, else the face guide)")
    ready = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    class Meta:
        model = Artist
        fields = ["id", "account_id", "name", "slug", "image", "ready", "missing"]

    def get_image(self, obj: Artist) -> str | None:
        files = obj.files.all()
        picked = next((f for f in files if f.kind == FileKind.IMAGE), None) or next(
            (f for f in files if f.kind == FileKind.FACE_GUIDE), None
        )
        return media_url(picked.file.name, self.context.get("request")) if picked else None

    def get_ready(self, obj: Artist) -> bool:
        return not artist_missing(obj)

    def get_missing(self, obj: Artist) -> list[str]:
        return artist_missing(obj)


class ArtistDetailSerializer(ArtistSerializer):
    files = ArtistFileSerializer(many=True, read_only=True)

    class Meta(ArtistSerializer.Meta):
        fields = [*ArtistSerializer.Meta.fields, "files"]


class ArtistCreateInputSerializer(NoUnknownFieldsMixin, serializers.Serializer):
    name = StrictCharField(max_length=200)


class ArtistFileUploadInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FileKind.choices)
    file = serializers.FileField(allow_empty_file=True, max_length=255)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    lyrics = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, help_text="Songs only: lyrics, plain text or LRC"
    )


class ArtistListResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success"])
    artists = ArtistSerializer(many=True)


class ArtistResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success"])
    artist = ArtistDetailSerializer()


class ArtistFileResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success"])
    file = ArtistFileSerializer()
