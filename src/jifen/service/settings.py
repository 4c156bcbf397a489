"""Settings from the environment. SQLite in ./var by default; PostgreSQL through DATABASE_URL.

JIFEN_DATA_DIR   where the SQLite database, uploaded materials and the generated secret live (./var)
JIFEN_SECRET_KEY the secret key; generated once into the data directory when not set (development)
JIFEN_DEBUG      1 for debug pages
DATABASE_URL     e.g. postgres://user:pass@127.0.0.1:5432/jifen
JIFEN_ALLOWED_HOSTS comma-separated host names (default: localhost, 127.0.0.1)
JIFEN_NOW        pin the service's clock to this ISO date-time with offset (tests, demonstrations)
JIFEN_S3_BUCKET  uploads and notice PDFs in this S3-compatible bucket (and JIFEN_S3_*: object storage, below)
JIFEN_REDIS_URL  the throttling counts and the cache in Redis instead of the database
JIFEN_TASKS      immediate (default) or database, for `jifen worker` (background tasks, below)
Every setting for several nodes: docs/deploy.md, "Topology".
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
        import tempfile

        # Written owner-only (mkstemp: 0600) beside it, then linked into place whole: never readable by
        # others, never seen half-written, and of two processes starting together the first one's is kept.
        descriptor, written = tempfile.mkstemp(dir=DATA_DIR, prefix=".secret_key.")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(secrets.token_urlsafe(50))
            try:
                os.link(written, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(written)
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
    "jifen.service.web.no_store.NoStoreMiddleware",  # personal answers: Cache-Control no-store (issue 13.3)
    "jifen.service.api.json_only.JsonOnlyMiddleware",  # API: JSON only, session calls from this site (13.4)
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

# One cache for every worker and node (login lock-outs and API rates live there, issue 13.1): a table of the
# database (created by migrations), or Redis when JIFEN_REDIS_URL names one (pip install redis).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["JIFEN_REDIS_URL"]}
        if os.environ.get("JIFEN_REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "jifen_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},  # beyond, Django deletes a third of the keys: counts with them
        }
    )
}

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
JIFEN_LOGIN_FAILURES_ALLOWED = int(os.environ.get("JIFEN_LOGIN_FAILURES_ALLOWED", "5"))  # per user name and address
JIFEN_LOGIN_LOCK_SECONDS = int(os.environ.get("JIFEN_LOGIN_LOCK_SECONDS", str(15 * 60)))
JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE = int(os.environ.get("JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE", "60"))  # per address
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

# -- tokens and set-password links (issue 13.2)
JIFEN_TOKEN_HOURS = 12  # an API token's life, on the service's clock
JIFEN_TOKENS_PER_USER = 5  # live API tokens a user may hold; a new one revokes the oldest beyond
JIFEN_SET_PASSWORD_HOURS = 24  # a holder's one-time set-password link
PASSWORD_RESET_TIMEOUT = JIFEN_SET_PASSWORD_HOURS * 3600  # Django's token generator reads this one


# -- throttling (issue 13.1)
# Login failures are counted in the database by django-axes (accounts/lockout.py), API rates in the cache by
# django-ninja's throttles (api/throttles.py): every worker and node sees the same counts.
# JIFEN_LOGIN_FAILURES_ALLOWED wrong passwords for one user name from one address lock that pair for
# JIFEN_LOGIN_LOCK_SECONDS; JIFEN_LOGIN_FAILURES_PER_ADDRESS failures from one address, whatever the user names,
# lock the address. The owner signing in from elsewhere is not locked out by someone else's failures.
JIFEN_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("JIFEN_LOGIN_FAILURES_PER_ADDRESS", "20"))
JIFEN_USER_REQUESTS_PER_MINUTE = int(os.environ.get("JIFEN_USER_REQUESTS_PER_MINUTE", "600"))  # per account


def _trusted_proxies(text: str) -> list[str]:
    """JIFEN_TRUSTED_PROXIES: comma-separated addresses (or networks) of the reverse proxies in front of the
    service. Only a request from one of them has its client address taken from X-Forwarded-For."""
    import ipaddress

    out = []
    for entry in filter(None, (part.strip() for part in text.split(","))):
        try:
            out.append(str(ipaddress.ip_network(entry, strict=False)))
        except ValueError:
            raise ValueError(f"JIFEN_TRUSTED_PROXIES: {entry!r} is not an IP address or network") from None
    return out


JIFEN_TRUSTED_PROXIES = _trusted_proxies(os.environ.get("JIFEN_TRUSTED_PROXIES", ""))

INSTALLED_APPS = [*INSTALLED_APPS, "axes"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "jifen.service.accounts.lockout.LockoutHandler"  # axes' database handler, one limit per parameter
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_FAILURE_LIMIT = "jifen.service.accounts.lockout.failures_allowed"  # the settings above, read at each login
AXES_COOLOFF_TIME = "jifen.service.accounts.lockout.lock_time"
AXES_CLIENT_IP_CALLABLE = "jifen.service.client_address.client_address"
AXES_RESET_ON_SUCCESS = False  # accounts.services.login clears the user name's failures at its address itself
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # attempts while locked: refused, not counted
AXES_DISABLE_ACCESS_LOG = True  # successful logins: the audit log's business, not axes'
AXES_VERBOSE = False
# axes' middleware turns a request flagged "locked out" into its own answer; accounts.services.login answers
# instead, in our words (and the flag is already set on the last failure allowed, still answered "wrong").
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "axes.W002"]


# -- audit trail and deployment (issue 13.5-6)
# Production settings, documented in docs/deploy.md ("Security settings").
def _positive(name: str, default: int) -> int:
    text = os.environ.get(name, str(default))
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name}: expected a whole number of at least 1, got {text!r}")
    return int(text)


# Behind a reverse proxy that ends TLS and sets X-Forwarded-Proto (overwriting any the client sent): HTTPS only.
JIFEN_BEHIND_TLS = os.environ.get("JIFEN_BEHIND_TLS", "") == "1"
if JIFEN_BEHIND_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True  # JIFEN_SECURE_COOKIES=1 alone sets only these two
# A load balancer probes each node over plain HTTP behind the proxy: no redirect to HTTPS (web/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# A signed-in session ends after JIFEN_SESSION_IDLE_MINUTES without a request (Django's sliding expiry), and
# JIFEN_SESSION_HOURS after sign-in whatever happens (jifen.service.session_lifetime).
JIFEN_SESSION_HOURS = _positive("JIFEN_SESSION_HOURS", 8)
JIFEN_SESSION_IDLE_MINUTES = _positive("JIFEN_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = JIFEN_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "jifen.service.session_lifetime.SessionLifetimeMiddleware",
)
LOGIN_URL = "login"  # where a page sends whoever's session ended (Django's default, /accounts/login/, is no page)

# The database, the secret key (above) and uploaded materials are readable by the service's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700  # media/ and the folders in it, when the storage creates them
from jifen.service.files import owner_only_database  # noqa: E402

owner_only_database(DATABASES["default"])

# The notice PDF embeds a CJK TrueType font (jifen.service.notices.font): this .ttf/.ttc when set, else the first
# of Debian's fonts-wqy-zenhei / fonts-droid-fallback / fonts-wqy-microhei found on the machine.
JIFEN_NOTICE_FONT = os.environ.get("JIFEN_NOTICE_FONT", "")


# -- object storage (issue 16.1)
# Uploaded materials and notice PDFs go through Django's storage API: the folder MEDIA_ROOT by default, a private
# S3-compatible bucket when JIFEN_S3_BUCKET is set (django-storages with boto3). Files are never public: they are
# served by the application after its permission checks; no public-read ACL, no public URL. docs/deploy.md,
# "Object storage".
JIFEN_S3_URL_SECONDS = 60  # the life of a pre-signed URL, should anything ask the storage for one


def _object_storage() -> dict[str, Any] | None:
    """STORAGES["default"] for the bucket named by JIFEN_S3_BUCKET, or None for the local folder."""
    from urllib.parse import urlsplit

    names = ("ENDPOINT_URL", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "PREFIX", "ADDRESSING_STYLE")
    given = {name: os.environ.get(f"JIFEN_S3_{name}", "").strip() for name in names}
    bucket = os.environ.get("JIFEN_S3_BUCKET", "").strip()
    if not bucket:
        extra = [f"JIFEN_S3_{name}" for name, value in given.items() if value]
        if extra:
            raise ValueError(f"JIFEN_S3_BUCKET: not set, but {', '.join(extra)} is (the bucket is what turns S3 on)")
        return None
    if any(c in bucket for c in "/: "):
        raise ValueError(f"JIFEN_S3_BUCKET: expected the bucket's name alone, got {bucket!r}")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": None,  # no ACL sent: the bucket's own (private); never public-read
        "querystring_auth": True,  # a URL of a file is signed ...
        "querystring_expire": JIFEN_S3_URL_SECONDS,  # ... and short-lived
        "signature_version": "s3v4",
        "file_overwrite": False,  # a name already taken gets a new one, as in the local folder
    }
    endpoint = given["ENDPOINT_URL"]
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"JIFEN_S3_ENDPOINT_URL: expected an http(s) URL, e.g. https://s3.example.com; got {endpoint!r}"
            )
        options["endpoint_url"] = endpoint
    if given["REGION"]:
        options["region_name"] = given["REGION"]
    key, secret = given["ACCESS_KEY_ID"], given["SECRET_ACCESS_KEY"]
    if bool(key) != bool(secret):
        missing = "JIFEN_S3_SECRET_ACCESS_KEY" if key else "JIFEN_S3_ACCESS_KEY_ID"
        raise ValueError(f"{missing}: not set, but the other half of the credentials is (set both, or neither)")
    if key:
        options["access_key"], options["secret_key"] = key, secret  # else boto3's own chain (role, profile, ...)
    prefix = given["PREFIX"].strip("/")
    if prefix:
        if any(part in ("", ".", "..") for part in prefix.split("/")):
            raise ValueError(f"JIFEN_S3_PREFIX: expected a folder such as jifen/production, got {given['PREFIX']!r}")
        options["location"] = prefix
    style = given["ADDRESSING_STYLE"]
    if style:
        if style not in ("path", "virtual"):
            raise ValueError(f"JIFEN_S3_ADDRESSING_STYLE: expected path or virtual, got {style!r}")
        options["addressing_style"] = style
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


_bucket = _object_storage()
if _bucket is not None:
    STORAGES = {**STORAGES, "default": _bucket}


# -- background tasks (issue 16.2)
# Django's Tasks framework (the django-tasks backport for Django 5.2) with its ORM backend django-tasks-db:
# e-mail (with retries), notice PDFs, `jifen tick`'s per-holder reminders and the policy impact over the population
# run as tasks. JIFEN_TASKS=immediate (the default) runs each task in the process that enqueues it, so the embedded
# demo needs no worker; JIFEN_TASKS=database queues them in the database for `jifen worker` (production; SQLite or
# PostgreSQL, where two workers never claim one task: SELECT ... FOR UPDATE SKIP LOCKED). docs/deploy.md,
# "Background tasks".
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
JIFEN_TASKS = os.environ.get("JIFEN_TASKS", "immediate").strip() or "immediate"
if JIFEN_TASKS not in _TASK_BACKENDS:
    raise ValueError(f"JIFEN_TASKS: expected immediate or database, got {JIFEN_TASKS!r}")
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks", "django_tasks_db", "jifen.service.impact"]
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[JIFEN_TASKS]}}
# A failed e-mail is tried again after JIFEN_EMAIL_RETRY_SECONDS, then twice as long after each failure, up to
# JIFEN_EMAIL_ATTEMPTS attempts in all (a retry waits for the worker: the immediate backend retries at once).
JIFEN_EMAIL_ATTEMPTS = _positive("JIFEN_EMAIL_ATTEMPTS", 5)
JIFEN_EMAIL_RETRY_SECONDS = _positive("JIFEN_EMAIL_RETRY_SECONDS", 60)
JIFEN_IMPACT_PROGRESS_EVERY = 100  # holders between two progress updates of an impact run
JIFEN_IMPACT_REFRESH_SECONDS = 3  # an unfinished impact run's page reloads itself this often


# -- speed under load (issue 16.7)
# On SQLite each worker keeps its connection for ten minutes instead of opening one for every request and
# closing it after (closing the last one also checkpoints the WAL): together more than a /score costs. On
# PostgreSQL _database already keeps connections 60 s (conn_max_age). BENCHMARKS.md, "Speed under load".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 600
