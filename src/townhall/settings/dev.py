"""Development: the demo's local defaults, with DEBUG on and static files read from source."""

import os

os.environ.setdefault("DEBUG", "true")

from .demo import *  # noqa: F403
from .demo import STORAGES

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
