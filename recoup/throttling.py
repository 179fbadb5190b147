from rest_framework.throttling import SimpleRateThrottle


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Requests per API key (every endpoint), rate from settings (API_RATE_LIMIT)."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None  # unauthenticated requests are answered 401 before this matters
        return self.cache_format % {"scope": self.scope, "ident": request.auth.key_hash}


class CreateRateThrottle(ApiKeyRateThrottle):
    """Create requests per API key, a tighter budget since each one starts real work."""

    scope = "create"
