"""Start-up fails with a message naming the variable when a setting is missing or wrong."""

import os
import subprocess
import sys

import pytest


def _start(settings_module: str, **environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(environment, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "-m", "townhall", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _start(
        "townhall.settings.prod",
        ALLOWED_HOSTS="council.example",
        EMAIL_URL="smtp://localhost:25",
        TOWNHALL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "required but not set" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "nonsense://x"),
        ("DEBUG", "perhaps"),
        ("RETENTION_UNVERIFIED_ACCOUNT_DAYS", "thirty"),
    ],
)
def test_an_unreadable_setting_is_named_in_the_error(tmp_path, variable, value):
    result = _start("townhall.settings.dev", TOWNHALL_VAR_DIR=str(tmp_path), **{variable: value})
    assert result.returncode != 0
    assert f"The environment variable {variable} has a value Townhall cannot read" in result.stderr


def test_production_refuses_to_start_with_demo_accounts_switched_on(tmp_path):
    result = _start(
        "townhall.settings.prod",
        ALLOWED_HOSTS="council.example",
        EMAIL_URL="smtp://localhost:25",
        SECRET_KEY="k" * 64,
        TOWNHALL_VAR_DIR=str(tmp_path),
        TOWNHALL_DEMO_ACCOUNTS="true",
    )
    assert result.returncode != 0
    assert "townhall.core.E002" in result.stderr


def test_development_settings_switch_demo_accounts_on(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TOWNHALL_DEMO_ACCOUNTS"}
    env.update(DJANGO_SETTINGS_MODULE="townhall.settings.dev", TOWNHALL_VAR_DIR=str(tmp_path))
    code = "from django.conf import settings; print(settings.TOWNHALL_DEMO_ACCOUNTS)"
    result = subprocess.run(
        [sys.executable, "-m", "townhall", "shell", "-v", "0", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "True", result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "townhall", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
            },
            "EMAIL_URL": "smtp+tls://mailer:secret@smtp.council.example:587",
            "DJANGO_SETTINGS_MODULE": "townhall.settings.prod",
            "SECRET_KEY": "k" * 20
            + "a-much-longer-random-looking-secret-for-the-test-only-0123456789",
            "ALLOWED_HOSTS": "council.example",
            "TOWNHALL_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
