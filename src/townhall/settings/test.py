"""Tests: the database comes from DATABASE_URL (SQLite unless the runner starts PostgreSQL)."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault("ALLOWED_HOSTS", "*")
os.environ.setdefault("TOWNHALL_VAR_DIR", tempfile.mkdtemp(prefix="townhall-test-"))

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Browser tests' live server shares the in-memory test database's one connection with
    # its request threads; kept open between requests, two threads would use it at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEBUG = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Kept public answers are checked against their generation on every request, so a test
# sees a change at once; tests of the once-a-second check set it themselves.
RESPONSE_CACHE_CHECK_SECONDS = 0
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
