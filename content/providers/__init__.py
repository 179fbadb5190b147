from django.conf import settings

from content.providers.base import Provider, ProviderError, WaitHook

__all__ = ["Provider", "ProviderError", "get_provider"]


def get_provider(*, on_wait: WaitHook | None = None, name: str | None = None) -> Provider:
    name = name or settings.CONTENT_PROVIDER
    if name == "fal":
        from content.providers.fal import FalProvider

        return FalProvider(on_wait=on_wait)
    from content.providers.local import LocalProvider

    return LocalProvider(on_wait=on_wait)
