from datetime import timedelta
from time import monotonic

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import authentication, exceptions

from recoup.models import KEY_PREFIX, Account, ApiKey, hash_api_key

# Updating last_used_at on every request would turn each read into a write.
LAST_USED_GRANULARITY = timedelta(minutes=5)

# Keys this process read lately, with their account: key_hash -> (monotonic() when read, key).
# Reading the key on every request was a third of what a poll cost; a key revoked in another
# process stops working here within API_KEY_CACHE_SECONDS (docs/running.md).
_recent_keys: dict[str, tuple[float, ApiKey]] = {}


def forget_api_keys() -> None:
    """Makes this process read keys from the database again, so a revoke counts at once here."""
    _recent_keys.clear()


@receiver([post_save, post_delete], sender=ApiKey)
def _api_key_changed(**kwargs) -> None:
    forget_api_keys()


def _api_key(key_hash: str) -> ApiKey | None:
    now = monotonic()
    recent = _recent_keys.get(key_hash)
    if recent is not None and now - recent[0] < settings.API_KEY_CACHE_SECONDS:
        return recent[1]
    try:
        key = ApiKey.objects.select_related("account").get(key_hash=key_hash)
    except ApiKey.DoesNotExist:
        # Unknown keys are not remembered: anyone could fill the memory with them.
        _recent_keys.pop(key_hash, None)
        return None
    _recent_keys[key_hash] = (now, key)
    return key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`x-api-key: <key>` or `Authorization: Bearer <key>`, never both.

    request.user becomes the key's Account; request.auth the ApiKey.
    """

    def authenticate(self, request):
        header_key = request.META.get("HTTP_X_API_KEY")
        authorization = request.META.get("HTTP_AUTHORIZATION")
        bearer = None
        if authorization:
            scheme, _, value = authorization.partition(" ")
            if scheme.lower() == "bearer":
                bearer = value.strip()
        if header_key is not None and authorization is not None:
            raise exceptions.AuthenticationFailed("Unauthorized")
        raw = header_key if header_key is not None else bearer
        if not raw:
            return None
        raw = raw.strip()
        if not raw.startswith(KEY_PREFIX) or len(raw) > 200:
            raise exceptions.AuthenticationFailed("Unauthorized")
        key = _api_key(hash_api_key(raw))
        # Checked on every request, so a key expires on time even while it is remembered.
        if key is None or not key.is_active:
            raise exceptions.AuthenticationFailed("Unauthorized")
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_GRANULARITY:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now  # the remembered key too, or it would write on every request
        account: Account = key.account
        account.is_authenticated = True
        return account, key

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) when no key is given.
        return "x-api-key"
