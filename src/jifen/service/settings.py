"""Settings from the environment. SQLite in ./var by default; PostgreSQL through DATABASE_URL.

JIFEN_DATA_DIR   where the SQLite database, uploaded materials and the generated secret live (./var)
JIFEN_SECRET_KEY the secret key; generated once into the data directory when not set (development)
JIFEN_DEBUG      1 for debug pages
DATABASE_URL     e.g. postgres://user:pass@127.0.0.1:5432/jifen
JIFEN_ALLOWED_HOSTS comma-separated host names (default: localhost, 127.0.0.1)
JIFEN_NOW        pin the service's clock to this ISO date-time with offset (tests, demonstrations)
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

import dj_database_url

DATA_DIR = Path(os.environ.get("JIFEN_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("JIFEN_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("JIFEN_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("JIFEN_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' Swagger UI from local static files instead of a CDN
    "jifen.service.accounts",
    "jifen.service.audit",
    "jifen.service.applications",
    "jifen.service.notices",
    "jifen.service.notifications",
    "jifen.service.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from the application server itself
    "jifen.service.audit.middleware.RequestIdMiddleware",
    "jifen.service.request_limits.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jifen.service.web.security.ChineseFirstLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jifen.service.web.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "jifen.service.urls"
WSGI_APPLICATION = "jifen.service.wsgi.application"

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


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "jifen.sqlite3"),
        # WAL lets readers run beside the writer; IMMEDIATE takes the write lock when a transaction
        # starts, so two writers queue (busy timeout) instead of failing half-way.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # a set-password link is valid 3 days

LANGUAGE_CODE = "zh-hans"  # texts are written in Chinese; locale/en holds the English
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # collected by `jifen serve`; whitenoise serves it
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # a form's fields without its files (request_limits bounds the rest)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jifen"}}

EMAIL_BACKEND = os.environ.get("JIFEN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("JIFEN_FROM_EMAIL", "jifen@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = os.environ.get("JIFEN_SECURE_COOKIES", "") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Service rules that are not law: limits of this deployment.
JIFEN_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
JIFEN_MAX_JSON_BYTES = 1024 * 1024  # any other request body (jifen.service.request_limits)
JIFEN_LOGIN_FAILURES_ALLOWED = 5
JIFEN_LOGIN_LOCK_SECONDS = 15 * 60
JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE = int(os.environ.get("JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE", "60"))
JIFEN_DEADLINE_WARNING_WORKING_DAYS = 3  # reviewers are reminded from this many working days before
JIFEN_DEMO = os.environ.get("JIFEN_DEMO", "") == "1"  # the landing page lists the demo logins
JIFEN_BASE_URL = os.environ.get("JIFEN_BASE_URL", "http://127.0.0.1:8000")


def _pinned_now() -> datetime | None:
    text = os.environ.get("JIFEN_NOW")
    if not text:
        return None
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"JIFEN_NOW: {text!r} needs an offset, e.g. 2026-11-27T10:00:00+08:00")
    return value


JIFEN_NOW = _pinned_now()  # pins the service's clock (jifen.service.clock) for demonstrations and tests

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
