"""Production: secrets are required, HTTPS everywhere, errors logged not shown."""

from .base import *  # noqa: F403
from .environment import mailer_from_url, setting

DEBUG = False
MAILERS = {"default": mailer_from_url(setting("EMAIL_URL", "email"))}
SECURE_SSL_REDIRECT = setting("SECURE_SSL_REDIRECT", bool, default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = setting("SECURE_HSTS_SECONDS", int, default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = setting("SECURE_HSTS_PRELOAD", bool, default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

if len(SECRET_KEY) < 50:  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "The environment variable SECRET_KEY must be at least 50 random characters in "
        'production. Generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )
if not ALLOWED_HOSTS:  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "The environment variable ALLOWED_HOSTS is required in production: the host names "
        "Townhall answers to, separated by commas."
    )
