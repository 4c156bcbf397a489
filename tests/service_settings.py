"""Settings for the tests: a throwaway data directory, e-mail kept in memory."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("JIFEN_DATA_DIR", tempfile.mkdtemp(prefix="jifen-test-"))

from jifen.service.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE = 1000
