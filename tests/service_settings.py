"""Settings for the tests: a throwaway data directory, e-mail kept in memory."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("JIFEN_DATA_DIR", tempfile.mkdtemp(prefix="jifen-test-"))

from jifen.service.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE = 1000

# A file, not Django's shared in-memory database: concurrent tests then see SQLite's real locking
# (WAL, busy timeout, IMMEDIATE transactions) as the service does.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["JIFEN_DATA_DIR"], "test.sqlite3")}  # noqa: F405

# Argon2 still (the tests check it is used), with the cheapest parameters: tests create many users.
PASSWORD_HASHERS = ["tests.fast_argon2.FastArgon2PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # tasks run where enqueued
