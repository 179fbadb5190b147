from django.conf import settings
from django.core.files.storage import default_storage


def media_url(name: str | None, request=None) -> str | None:
    """An absolute URL a client can GET for a file in storage."""
    if not name:
        return None
    url = default_storage.url(name)
    if url.startswith(("http://", "https://")):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.PUBLIC_BASE_URL + url
