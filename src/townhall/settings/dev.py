"""Development and demo: safe defaults under var/, emails printed to the console."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("TOWNHALL_DEMO_ACCOUNTS", "true")

from .base import *  # noqa: F403
from .base import STORAGES

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
