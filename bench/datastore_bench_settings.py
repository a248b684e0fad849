"""Settings for the DataStore benchmarks: production-like (DEBUG off), on loopback only.

The database comes from DATABASE_URL or TOWNHALL_VAR_DIR as usual. Each gunicorn worker
caches totals in its own memory, as a single machine without Redis would.
"""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from townhall.settings.base import *  # noqa: F403
from townhall.settings.base import INSTALLED_APPS, STORAGES

DEBUG = False
# The benchmark is one loopback client making thousands of calls: no API rate limit.
TOWNHALL_API_RATE = "1000000/s"
INSTALLED_APPS = [*INSTALLED_APPS, "datastore_bench_visibility"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# A variant of the ingest benchmark loads without indexes, to compare like with like.
DATASTORE_MAX_INDEXED_COLUMNS = int(os.environ.get("BENCH_INDEXED_COLUMNS", "32"))
DATASTORE_FULL_TEXT = os.environ.get("BENCH_FULL_TEXT", "1") == "1"
# BENCH_EXACT_TOTALS=1: every filtered total counted exactly, as before ADR 0038.
if os.environ.get("BENCH_EXACT_TOTALS") == "1":
    DATASTORE_TOTAL_ESTIMATION_THRESHOLD = None
