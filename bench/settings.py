"""Benchmark settings: the service's own, plus a minimal view to compare against."""

from recoup.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
