"""Reading settings from the environment, failing loudly with the variable's name.

A council's operator sets these through systemd, a container or a `.env` file. A
missing or malformed value must stop start-up with a message that names the
variable, not surface later as a confusing error in a request.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[3]

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


NOTIFY_BACKEND = "townhall.core.notify.NotifyEmailBackend"
SUPPORTED_DATABASE_ENGINES = {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _strict_bool(name: str, default=environ.Env.NOTSET) -> bool:
    """Like env.bool, but "perhaps" is an error rather than quietly False."""
    if name not in os.environ:
        return default
    text = os.environ[name].strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("use true or false")


def _email_url(name: str, default=environ.Env.NOTSET) -> dict:
    """EMAIL_URL as django-environ reads it, plus notify://<api key>@?template_id=<id>
    for GOV.UK Notify (optionally with a host, for Notify's own test environments)."""
    url = os.environ.get(name, default)
    if not str(url).startswith("notify://"):
        return env.email_url(name, default=default)
    parts = urlsplit(url)
    template = parse_qs(parts.query).get("template_id", [""])[0]
    if not parts.username or not template:
        raise ValueError("notify:// needs the API key before @ and ?template_id=")
    options = {"api_key": unquote(parts.username), "template_id": template}
    if parts.hostname:
        options["base_url"] = f"https://{parts.hostname}"
    return {"EMAIL_BACKEND": NOTIFY_BACKEND, "OPTIONS": options}


def setting(name: str, cast=str, default=environ.Env.NOTSET):
    """Return the environment variable `name` cast to `cast`.

    Raises ImproperlyConfigured naming the variable when it is required and absent,
    or when its value cannot be read as `cast`.
    """
    readers = {
        str: env.str,
        bool: _strict_bool,
        int: env.int,
        list: env.list,
        "db": env.db_url,
        "email": _email_url,
        "cache": env.cache_url,
    }
    if name not in os.environ and default is environ.Env.NOTSET:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required but not set. "
            f"See .env.example for what it means."
        )
    try:
        value = readers[cast](name, default=default)
        if cast == "db" and value.get("ENGINE") not in SUPPORTED_DATABASE_ENGINES:
            raise ValueError("the scheme must be sqlite:// or postgres://")
        return value
    except (ImproperlyConfigured, ValueError, TypeError, KeyError) as error:
        raise ImproperlyConfigured(
            f"The environment variable {name} has a value Townhall cannot read ({error}). "
            f"See .env.example for the expected form."
        ) from None


def mailer_from_url(config: dict) -> dict:
    """Turn django-environ's EMAIL_URL reading into a Django 6.1 MAILERS entry."""
    backend = config["EMAIL_BACKEND"]
    if backend == NOTIFY_BACKEND:
        return {"BACKEND": backend, "OPTIONS": config["OPTIONS"]}
    if backend == "django.core.mail.backends.console.EmailBackend":
        return {"BACKEND": "townhall.core.mail.ReadableConsoleBackend"}
    if not backend.endswith("smtp.EmailBackend"):
        return {"BACKEND": backend}
    options = {
        "host": config.get("EMAIL_HOST"),
        "port": config.get("EMAIL_PORT"),
        "username": config.get("EMAIL_HOST_USER") or None,
        "password": config.get("EMAIL_HOST_PASSWORD") or None,
        "use_tls": config.get("EMAIL_USE_TLS", False),
        "use_ssl": config.get("EMAIL_USE_SSL", False),
        "timeout": 20,
    }
    return {"BACKEND": backend, "OPTIONS": {k: v for k, v in options.items() if v is not None}}
