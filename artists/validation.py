"""Upload validation: the file's bytes decide, never its name or declared type."""

import hashlib
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from artists.models import FileKind
from content.media.ffmpeg import MediaError, decode_pcm, probe

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
AUDIO_CODECS = {"mp3", "aac", "flac", "vorbis", "opus", "alac"} | {
    f"pcm_{kind}" for kind in ("s16le", "s24le", "s32le", "f32le", "s16be", "u8", "f64le")
}
AUDIO_CONTAINERS = {
    "mp3": "audio/mpeg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "vorbis": "audio/ogg",
    "opus": "audio/ogg",
    "alac": "audio/mp4",
}


class FileRejected(Exception):
    """The upload is not acceptable; the message names the problem."""


@dataclass(frozen=True)
class FileFacts:
    content_type: str
    size: int
    checksum: str
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


def inspect_upload(kind: str, upload: UploadedFile) -> FileFacts:
    size = upload.size or 0
    if size == 0:
        raise FileRejected("The file is empty.")
    cap = settings.UPLOAD_MAX_SONG_BYTES if kind == FileKind.SONG else settings.UPLOAD_MAX_IMAGE_BYTES
    if size > cap:
        raise FileRejected(f"The file is {size} bytes; the limit for a {kind} is {cap} bytes.")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    if kind == FileKind.SONG:
        facts = _inspect_song(upload)
    else:
        facts = _inspect_image(upload)
    return FileFacts(size=size, checksum=digest.hexdigest(), **facts)


def _inspect_image(upload: UploadedFile) -> dict:
    # Pillow raises DecompressionBombError past twice this; we refuse at the cap itself.
    Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                    raise FileRejected(
                        f"The image is {width}x{height}; at most {settings.UPLOAD_MAX_IMAGE_PIXELS} pixels are allowed."
                    )
                image.load()
    except FileRejected:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise FileRejected(
            f"The image has more than {settings.UPLOAD_MAX_IMAGE_PIXELS} pixels; make it smaller."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise FileRejected("The file is not an image we can read (PNG, JPEG or WebP).") from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise FileRejected(f"{image_format} images are not accepted; upload PNG, JPEG or WebP.")
    low, high = settings.UPLOAD_MIN_IMAGE_SIDE, settings.UPLOAD_MAX_IMAGE_SIDE
    if min(width, height) < low or max(width, height) > high:
        raise FileRejected(f"The image is {width}x{height}; each side must be between {low} and {high} pixels.")
    return {"content_type": IMAGE_FORMATS[image_format], "width": width, "height": height}


def _inspect_song(upload: UploadedFile) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".upload") as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        upload.seek(0)
        try:
            facts = probe(Path(tmp.name))
        except MediaError:
            raise FileRejected("The file is not audio we can decode (MP3, WAV, AAC/M4A, FLAC or Ogg).") from None
        if facts.audio_codec not in AUDIO_CODECS or facts.video_codec not in (None, "mjpeg", "png"):
            raise FileRejected("The file is not an audio file we can decode (MP3, WAV, AAC/M4A, FLAC or Ogg).")
        # The decoded length is the truth: headers of a cut-off file still claim the full length.
        duration = _decoded_seconds(Path(tmp.name))
    if duration is None:
        raise FileRejected("The file is not audio we can decode (MP3, WAV, AAC/M4A, FLAC or Ogg).")
    if facts.duration and facts.duration - duration > max(0.5, 0.05 * facts.duration):
        raise FileRejected(
            f"The file looks truncated: it says it lasts {facts.duration:.1f} s but only {duration:.1f} s decode."
        )
    low, high = settings.UPLOAD_MIN_SONG_SECONDS, settings.UPLOAD_MAX_SONG_SECONDS
    if not low <= duration <= high:
        raise FileRejected(f"The song lasts {duration:.1f} s; it must last between {low:g} s and {high:g} s.")
    codec = facts.audio_codec or ""
    content_type = "audio/wav" if codec.startswith("pcm_") else AUDIO_CONTAINERS.get(codec, "audio/mpeg")
    return {"content_type": content_type, "duration_seconds": round(duration, 3)}


def _decoded_seconds(path: Path) -> float | None:
    rate = 8000
    try:
        samples = decode_pcm(path, rate=rate)
    except MediaError:
        return None
    return len(samples) / rate
