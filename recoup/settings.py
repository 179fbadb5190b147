"""Settings, all from the environment (see .env.example for every one)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from recoup.lib.env import env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set")
    # A stable development key: fine for a laptop, refused above in production.
    SECRET_KEY = "dev-insecure-recoup-secret-key-change-me-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "recoup",
    "artists",
    "content",
    "tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "recoup.urls"
WSGI_APPLICATION = "recoup.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", "")
DATABASES = {
    # Health checks: a connection the database dropped (a restart, a fail-over) is replaced
    # before a request uses it, instead of failing that request.
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if DATABASE_URL
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "db.sqlite3",
        # Workers and the web process share the file: wait for locks instead of failing.
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        # A file, not memory, so worker processes started by tests (tests/reliability) share it.
        "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Serve MEDIA_URL from Django itself (development and single-host installs).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Used to make absolute URLs where there is no request (webhooks, the CLI).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

STORAGES = {
    "default": {"BACKEND": env_str("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_IMAGE_BYTES = env_int("UPLOAD_MAX_IMAGE_BYTES", 20 * 1024 * 1024, minimum=1)
UPLOAD_MAX_SONG_BYTES = env_int("UPLOAD_MAX_SONG_BYTES", 50 * 1024 * 1024, minimum=1)
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000, minimum=1)
UPLOAD_MIN_IMAGE_SIDE = env_int("UPLOAD_MIN_IMAGE_SIDE", 64, minimum=1)
UPLOAD_MAX_IMAGE_SIDE = env_int("UPLOAD_MAX_IMAGE_SIDE", 12000, minimum=1)
UPLOAD_MIN_SONG_SECONDS = env_float("UPLOAD_MIN_SONG_SECONDS", 5.0)
UPLOAD_MAX_SONG_SECONDS = env_float("UPLOAD_MAX_SONG_SECONDS", 900.0)

# API keys are stored as HMAC-SHA256(API_KEY_PEPPER, key).
API_KEY_PEPPER = env_str("API_KEY_PEPPER", SECRET_KEY)
# Each web process remembers a key it read for this long: a revoked key may work that much longer.
API_KEY_CACHE_SECONDS = env_int("API_KEY_CACHE_SECONDS", 5, minimum=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["recoup.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["recoup.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # DRF's format: "<count>/<second|minute|hour|day>".
        "api_key": env_str("API_RATE_LIMIT", "1200/minute"),
        "create": env_str("CREATE_RATE_LIMIT", "60/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "recoup.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Recoup content service",
    "DESCRIPTION": "Turns an artist's face guide and songs into short-form vertical promo videos.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RunStatusEnum": "tasks.models.RunStatus.choices",
        "StepStatusEnum": "tasks.models.StepStatus.choices",
        "FileKindEnum": "artists.models.FileKind.choices",
        "CaptionLengthEnum": "content.models.CaptionLength.choices",
        "SuccessStatusEnum": ["success"],
        "ErrorStatusEnum": ["error"],
        "TriggeredStatusEnum": ["triggered"],
        "MissingFileEnum": ["face_guide", "songs"],
    },
}

# Jobs: django-q2 on Redis when REDIS_URL is set, else on the database (ORM broker).
REDIS_URL = env_str("REDIS_URL", "")
RUN_TIMEOUT_SECONDS = env_int("RUN_TIMEOUT_SECONDS", 1800, minimum=10)
CONTENT_PROVIDER = env_choice("CONTENT_PROVIDER", "local", {"local", "fal"})
# Heavy media work (encoding, drawing) on one machine at once, whatever the number of workers:
# see content/media/cpu.py.
CPU_SLOTS = env_int("CPU_SLOTS", os.cpu_count() or 1, minimum=1)
Q_CLUSTER = {
    "name": env_str("Q_CLUSTER_NAME", "recoup"),
    # A worker runs one run at a time. The local provider keeps it on the CPU, so one worker a
    # CPU; the fal provider mostly waits on fal.ai, so workers are many and CPU_SLOTS bounds the
    # CPU work (a waiting worker costs ~50 MB; see docs/running.md).
    "workers": env_int("Q_WORKERS", CPU_SLOTS if CONTENT_PROVIDER == "local" else 32, minimum=1),
    # A job that outlives its timeout is killed; retry must come later or the job runs twice at once.
    "timeout": RUN_TIMEOUT_SECONDS,
    "retry": RUN_TIMEOUT_SECONDS + 120,
    "max_attempts": env_int("Q_MAX_ATTEMPTS", 3, minimum=1),
    "ack_failures": True,
    "save_limit": env_int("Q_SAVE_LIMIT", 1000),
    "catch_up": False,
    "poll": 0.2,
    "sync": env_bool("Q_SYNC", False),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# Shared by the web processes and workers (throttling, fal upload URLs).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}
}

# Webhooks (SPEC section 8)
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 10.0)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6, minimum=1)
WEBHOOK_BACKOFF_SECONDS = env_float("WEBHOOK_BACKOFF_SECONDS", 30.0)
# Callbacks to private or loopback addresses are refused unless allowed (SSRF).
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", False)

# Runs QUEUED or EXECUTING at once per account; a create that would pass it gets 429.
MAX_RUNS_IN_FLIGHT = env_int("MAX_RUNS_IN_FLIGHT", 200, minimum=1)
# Liveness of runs (docs/reliability.md). The runner writes Run.heartbeat_at every HEARTBEAT_SECONDS;
# the reaper (tasks.reaper, a django-q2 schedule, every minute) queues again a run whose heartbeat is
# older than REAPER_STALE_SECONDS (its worker died), up to RUN_MAX_ATTEMPTS claims in all, then fails
# it; and enqueues again a run still QUEUED REAPER_QUEUED_SECONDS after its last enqueue (a job the
# broker lost). A duplicate job is harmless: the runner claims a run only while it is QUEUED.
HEARTBEAT_SECONDS = env_float("HEARTBEAT_SECONDS", 5.0)
REAPER_STALE_SECONDS = env_float("REAPER_STALE_SECONDS", 60.0)
REAPER_QUEUED_SECONDS = env_float("REAPER_QUEUED_SECONDS", 600.0)
RUN_MAX_ATTEMPTS = env_int("RUN_MAX_ATTEMPTS", 3, minimum=1)
# Missing a beat or two (a busy host, a database hiccup) must not get a live run taken away.
if not 0 < 3 * HEARTBEAT_SECONDS <= REAPER_STALE_SECONDS:
    raise ImproperlyConfigured("HEARTBEAT_SECONDS must be > 0 and REAPER_STALE_SECONDS at least 3 times it")

# Content generation (CONTENT_PROVIDER is set with the job queue, above)
FAL_KEY = env_str("FAL_KEY", "")
VIDEO_SECONDS = env_float("VIDEO_SECONDS", 8.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"httpx": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------
# fal.ai provider (CONTENT_PROVIDER=fal, with FAL_KEY above); see docs/fal.md.
# ---------------------------------------------------------------------------
# Model ids by role. Changing one may need FAL_ARGUMENTS and FAL_PRICES_CENTS to follow.
FAL_MODELS = {
    "transcribe": env_str("FAL_MODEL_TRANSCRIBE", "fal-ai/whisper"),
    "llm": env_str("FAL_MODEL_LLM", "openrouter/router"),
    "image": env_str("FAL_MODEL_IMAGE", "fal-ai/nano-banana-2/edit"),
    "video": env_str("FAL_MODEL_VIDEO", "fal-ai/veo3.1/fast/image-to-video"),
    "lipsync": env_str("FAL_MODEL_LIPSYNC", "fal-ai/ltx-2-19b/audio-to-video"),
    "upscale_image": env_str("FAL_MODEL_UPSCALE_IMAGE", "fal-ai/seedvr/upscale/image"),
    "upscale_video": env_str("FAL_MODEL_UPSCALE_VIDEO", "fal-ai/seedvr/upscale/video"),
}
FAL_UPSCALE_FACTOR = env_float("FAL_UPSCALE_FACTOR", 2.0)
# Sent with every request of a role; the provider adds the prompts, file URLs and seeds.
FAL_ARGUMENTS = {
    "transcribe": {"task": "transcribe", "chunk_level": "word", "version": "3"},
    "llm": {"model": env_str("FAL_LLM", "google/gemini-2.5-flash")},
    "image": {
        "num_images": 1,
        "aspect_ratio": "9:16",
        "output_format": "png",
        "resolution": env_str("FAL_IMAGE_RESOLUTION", "1K"),
    },
    "video": {
        "duration": "8s",
        "resolution": env_str("FAL_VIDEO_RESOLUTION", "720p"),
        "aspect_ratio": "9:16",
        "generate_audio": False,
    },
    "lipsync": {},
    "upscale_image": {"upscale_factor": FAL_UPSCALE_FACTOR},
    "upscale_video": {"upscale_factor": FAL_UPSCALE_FACTOR},
}
# What fal.ai charges, in cents, by model: per call, plus per second of video made.
FAL_PRICES_CENTS = {
    FAL_MODELS["transcribe"]: {"per_call": env_float("FAL_PRICE_TRANSCRIBE_CENTS", 1.0)},
    FAL_MODELS["llm"]: {"per_call": env_float("FAL_PRICE_LLM_CENTS", 1.0)},
    FAL_MODELS["image"]: {"per_call": env_float("FAL_PRICE_IMAGE_CENTS", 8.0)},
    FAL_MODELS["video"]: {"per_second": env_float("FAL_PRICE_VIDEO_CENTS_PER_SECOND", 10.0)},
    FAL_MODELS["lipsync"]: {"per_second": env_float("FAL_PRICE_LIPSYNC_CENTS_PER_SECOND", 10.0)},
    FAL_MODELS["upscale_image"]: {"per_call": env_float("FAL_PRICE_UPSCALE_IMAGE_CENTS", 1.0)},
    FAL_MODELS["upscale_video"]: {"per_second": env_float("FAL_PRICE_UPSCALE_VIDEO_CENTS_PER_SECOND", 9.0)},
}
# A request still unfinished after its step's limit is cancelled at fal.ai. Together they
# stay under RUN_TIMEOUT_SECONDS, past which the worker is killed without cancelling anything.
FAL_STEP_TIMEOUT_SECONDS = {
    "transcribe": env_int("FAL_TIMEOUT_TRANSCRIBE_SECONDS", 180, minimum=10),
    "clip": env_int("FAL_TIMEOUT_CLIP_SECONDS", 60, minimum=10),
    "image": env_int("FAL_TIMEOUT_IMAGE_SECONDS", 180, minimum=10),
    "upscale_image": env_int("FAL_TIMEOUT_UPSCALE_IMAGE_SECONDS", 180, minimum=10),
    "video": env_int("FAL_TIMEOUT_VIDEO_SECONDS", 600, minimum=10),
    "upscale_video": env_int("FAL_TIMEOUT_UPSCALE_VIDEO_SECONDS", 420, minimum=10),
    "caption": env_int("FAL_TIMEOUT_CAPTION_SECONDS", 60, minimum=10),
}
# Transient failures (429, 5xx, time-outs, lost connections) one call may absorb, with
# exponential backoff from FAL_BACKOFF_SECONDS up to FAL_BACKOFF_MAX_SECONDS, jittered.
FAL_MAX_RETRIES = env_int("FAL_MAX_RETRIES", 3, minimum=0)
FAL_BACKOFF_SECONDS = env_float("FAL_BACKOFF_SECONDS", 2.0)
FAL_BACKOFF_MAX_SECONDS = env_float("FAL_BACKOFF_MAX_SECONDS", 30.0)
# Status polls are spaced by a twentieth of the time waited, within these bounds (fal-client's
# own default is every 0.1 s): a poll costs about half a millisecond of CPU, and a result is
# noticed at most FAL_POLL_MAX_SECONDS late.
FAL_POLL_MIN_SECONDS = env_float("FAL_POLL_MIN_SECONDS", 0.1)
FAL_POLL_MAX_SECONDS = env_float("FAL_POLL_MAX_SECONDS", 0.15)
FAL_HTTP_TIMEOUT_SECONDS = env_float("FAL_HTTP_TIMEOUT_SECONDS", 60.0)
FAL_MAX_IMAGE_BYTES = env_int("FAL_MAX_IMAGE_BYTES", 50 * 1024 * 1024, minimum=1024)
FAL_MAX_VIDEO_BYTES = env_int("FAL_MAX_VIDEO_BYTES", 500 * 1024 * 1024, minimum=1024)
# Uploaded inputs expire at fal.ai after this; their cached URLs are dropped well before.
FAL_UPLOAD_EXPIRES_SECONDS = env_int("FAL_UPLOAD_EXPIRES_SECONDS", 7 * 24 * 3600, minimum=3600)
FAL_UPLOAD_CACHE_SECONDS = FAL_UPLOAD_EXPIRES_SECONDS * 3 // 4
FAL_TRANSCRIPT_CACHE_SECONDS = env_int("FAL_TRANSCRIPT_CACHE_SECONDS", 30 * 24 * 3600, minimum=60)
