import threading

from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import SimpleRateThrottle

# Requests this process may still let through in a window without asking the shared counter:
# "throttle_<scope>_<key hash>" -> (window, requests left). See ApiKeyRateThrottle.
_slices: dict[str, tuple[int, int]] = {}
_slices_lock = threading.Lock()


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Requests per API key (every endpoint), rate from settings (API_RATE_LIMIT).

    Counted in fixed windows of the rate's period (a minute for "1200/minute"), in one counter
    per key and window that every web process shares through the cache. Going to the cache on
    every request cost a third of a poll, so a process takes a slice of the budget at a time
    (a hundredth, at least one request) and lets that many requests through on its own. No
    window passes its budget; a key may be refused a little early while other processes hold
    unspent slices, at most a hundredth of the budget each. A client can spend its budget at
    the end of one window and again at the start of the next.
    """

    scope = "api_key"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None  # unauthenticated requests are answered 401 before this matters
        return self.cache_format % {"scope": self.scope, "ident": request.auth.key_hash}

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        counter = self.get_cache_key(request, view)
        if counter is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        with _slices_lock:
            held_window, left = _slices.get(counter, (window, 0))
            if held_window == window and left > 0:
                _slices[counter] = (window, left - 1)
                return True
        size = max(1, self.num_requests // 100)
        total = self._add(f"{counter}_{window}", size)
        granted = min(size, self.num_requests - (total - size))
        if granted <= 0:
            return False
        with _slices_lock:
            _slices[counter] = (window, granted - 1)  # this request is the first of the slice
        return True

    def _add(self, key: str, amount: int) -> int:
        """Adds to the window's shared counter; returns its new value."""
        # Kept a window longer than it lasts, so a host whose clock lags never finds it gone.
        timeout = 2 * self.duration
        if not isinstance(self.cache, RedisCache):
            # The file cache's incr() is a read and a write too, but gives the counter the
            # cache's default timeout (5 minutes), shorter than an hour or a day.
            total = self.cache.get(key, 0) + amount
            self.cache.set(key, total, timeout)
            return total
        try:
            return self.cache.incr(key, amount)  # atomic, and keeps the expiry
        except ValueError:  # the window's first slice
            if self.cache.add(key, amount, timeout):
                return amount
            return self.cache.incr(key, amount)  # another process took the first one meanwhile

    def wait(self) -> float:
        return self.window_ends - self.now


class CreateRateThrottle(ApiKeyRateThrottle):
    """Create requests per API key, a tighter budget since each one starts real work."""

    scope = "create"
