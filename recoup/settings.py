"""Settings, all from the environment (see .env.example for every one)."""

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
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    if DATABASE_URL
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "db.sqlite3",
        # Workers and the web process share the file: wait for locks instead of failing.
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
    }
}
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
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

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["recoup.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
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
    },
}

# Jobs: django-q2 on Redis when REDIS_URL is set, else on the database (ORM broker).
REDIS_URL = env_str("REDIS_URL", "")
RUN_TIMEOUT_SECONDS = env_int("RUN_TIMEOUT_SECONDS", 1800, minimum=10)
Q_CLUSTER = {
    "name": env_str("Q_CLUSTER_NAME", "recoup"),
    "workers": env_int("Q_WORKERS", 2, minimum=1),
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

# Content generation
CONTENT_PROVIDER = env_choice("CONTENT_PROVIDER", "local", {"local", "fal"})
FAL_KEY = env_str("FAL_KEY", "")
VIDEO_SECONDS = env_float("VIDEO_SECONDS", 8.0)
MAX_BATCH = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"httpx": {"level": "WARNING"}},
}
