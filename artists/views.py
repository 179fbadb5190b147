from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from artists.selectors import artist_get, artists_for
from artists.serializers import (
    ArtistCreateInputSerializer,
    ArtistDetailSerializer,
    ArtistFileResponseSerializer,
    ArtistFileSerializer,
    ArtistFileUploadInputSerializer,
    ArtistListResponseSerializer,
    ArtistResponseSerializer,
    ArtistSerializer,
)
from artists.services import artist_create, artist_file_add
from artists.validation import FileRejected
from recoup.lib.serializers import error_responses


def _artist_or_404(request, artist_id):
    artist = artist_get(account=request.user, artist_id=artist_id)
    if artist is None:
        raise NotFound()
    return artist


class ArtistListView(APIView):
    @extend_schema(operation_id="artists_list", responses={200: ArtistListResponseSerializer, **error_responses()})
    def get(self, request):
        artists = artists_for(request.user)
        data = ArtistSerializer(artists, many=True, context={"request": request}).data
        return Response({"status": "success", "artists": data})

    @extend_schema(
        operation_id="artists_create",
        request=ArtistCreateInputSerializer,
        responses={201: ArtistResponseSerializer, **error_responses(400, 415)},
    )
    def post(self, request):
        serializer = ArtistCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        artist = artist_create(account=request.user, name=serializer.validated_data["name"].strip())
        artist = artist_get(account=request.user, artist_id=artist.pk)
        data = ArtistDetailSerializer(artist, context={"request": request}).data
        return Response({"status": "success", "artist": data}, status=status.HTTP_201_CREATED)


class ArtistDetailView(APIView):
    @extend_schema(operation_id="artists_retrieve", responses={200: ArtistResponseSerializer, **error_responses(404)})
    def get(self, request, artist_id):
        artist = _artist_or_404(request, artist_id)
        data = ArtistDetailSerializer(artist, context={"request": request}).data
        return Response({"status": "success", "artist": data})


class ArtistFileUploadView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="artists_files_create",
        request={"multipart/form-data": ArtistFileUploadInputSerializer},
        responses={201: ArtistFileResponseSerializer, **error_responses(400, 404, 415)},
    )
    def post(self, request, artist_id):
        artist = _artist_or_404(request, artist_id)
        serializer = ArtistFileUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            record = artist_file_add(
                artist=artist,
                kind=data["kind"],
                upload=data["file"],
                title=data.get("title", "").strip(),
                lyrics=data.get("lyrics", ""),
            )
        except FileRejected as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        body = ArtistFileSerializer(record, context={"request": request}).data
        return Response({"status": "success", "file": body}, status=status.HTTP_201_CREATED)
