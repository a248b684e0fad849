"""The demo council on this machine (`make demo`): served as production serves it.

DEBUG stays off, so a visitor sees Townhall's own error pages, never Django's debug page,
and static files are hashed, compressed and cached for a year as in production (`townhall
serve` collects them first). What differs from production is only what a laptop can
afford: a published secret key, loopback host names, the demo accounts (check E002 allows
them only while every allowed host is loopback), emails printed to the console, uploaded
files served by Django itself, and plain HTTP.
"""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("TOWNHALL_DEMO_ACCOUNTS", "true")

from .base import *  # noqa: F403

SERVE_MEDIA = True
