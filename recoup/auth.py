from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from recoup.models import KEY_PREFIX, Account, ApiKey, hash_api_key

# Updating last_used_at on every request would turn each read into a write.
LAST_USED_GRANULARITY = timedelta(minutes=5)


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
        try:
            key = ApiKey.objects.select_related("account").get(key_hash=hash_api_key(raw))
        except ApiKey.DoesNotExist:
            raise exceptions.AuthenticationFailed("Unauthorized") from None
        if not key.is_active:
            raise exceptions.AuthenticationFailed("Unauthorized")
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_GRANULARITY:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        account: Account = key.account
        account.is_authenticated = True
        return account, key

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) when no key is given.
        return "x-api-key"
