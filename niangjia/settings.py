"""One settings module, driven by environment variables; SQLite by default so a checkout just runs."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


DEBUG = envbool("NIANGJIA_DEBUG", True)


def envsecret(name: str, dev_default: str) -> str:
    """A secret from the environment; outside debug a missing secret is refused."""
    value = os.environ.get(name)
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set when NIANGJIA_DEBUG is off")


SECRET_KEY = envsecret("NIANGJIA_SECRET_KEY", "dev-only-insecure-secret-key-for-niangjia-0123456789")
# Comma-separated Fernet keys, newest first; older keys still decrypt until rotated out.
FIELD_ENCRYPTION_KEYS = envsecret(
    "NIANGJIA_FIELD_KEYS", "Ulf9Q0ZgCKAnVxM1Yc5Kx0f8Lw0TOz5F0d8b9RkzX3E="
).split(",")
BLIND_INDEX_KEY = envsecret("NIANGJIA_BLIND_INDEX_KEY", "dev-only-blind-index-key")

ALLOWED_HOSTS = [h for h in os.environ.get("NIANGJIA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("NIANGJIA_CSRF_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "niangjia.core",
    "niangjia.org",
    "niangjia.people",
    "niangjia.accounts",
    "niangjia.stats",
    "niangjia.duties",
    "niangjia.fieldwork",
    "niangjia.contacts",
    "niangjia.needs",
    "niangjia.cases",
    "niangjia.participation",
    "niangjia.awards",
    "niangjia.selection",
    "niangjia.wechat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "niangjia.core.middleware.RequestContextMiddleware",
    "niangjia.core.http_errors.ApiErrorsMiddleware",  # /api/ answers every error as JSON
    "niangjia.core.input_guard.InputGuardMiddleware",  # NUL, control characters, ids and years out of range: 400
]

ROOT_URLCONF = "niangjia.urls"
WSGI_APPLICATION = "niangjia.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["niangjia.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "niangjia" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "niangjia.accounts.context.nav",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'niangjia.sqlite3'}",
        conn_max_age=envint("NIANGJIA_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("NIANGJIA_SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password policy: configurable length and character classes, common passwords refused.
PASSWORD_MIN_LENGTH = envint("NIANGJIA_PASSWORD_MIN_LENGTH", 10)
PASSWORD_MIN_CLASSES = envint("NIANGJIA_PASSWORD_MIN_CLASSES", 3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "niangjia.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "niangjia.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
]
LOGIN_MAX_FAILURES = envint("NIANGJIA_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = envint("NIANGJIA_LOGIN_LOCK_MINUTES", 30)

# Idle sessions expire: the cookie age restarts on every request.
SESSION_COOKIE_AGE = envint("NIANGJIA_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("NIANGJIA_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
API_TOKEN_TTL_HOURS = envint("NIANGJIA_API_TOKEN_TTL_HOURS", 12)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "niangjia" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "niangjia" / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = BASE_DIR / "var" / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "NIANGJIA_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Every asset is served locally; nothing from a CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NIANGJIA_LOG_LEVEL", "WARNING")},
}
