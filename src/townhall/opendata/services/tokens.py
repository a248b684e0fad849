"""API tokens: secrets a publisher's scripts send to publish without a browser.

The secret is shown once, when made; only its SHA-256 is stored, so a leaked database
does not leak working tokens. A token acts as the person who made it, with their roles
at the time of each request, and stops working the moment it is revoked.
"""

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from townhall.core.permissions import can, require

from ..models import ApiToken

SECRET_PREFIX = "thd_"  # noqa: S105 - a label that marks our tokens, not a secret


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """Make a token for `actor`; returns it and its secret (which is never shown again)."""
    require(actor, "opendata.manage_api_tokens")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip()[:100], prefix=secret[:12], token_hash=_hash(secret)
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Stop a token working. A person revokes their own; an administrator anyone's."""
    if token.user_id != actor.pk:
        require(actor, "core.manage_people")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_holder(authorization: str) -> Any:
    """The active person an `Authorization: Token <secret>` header value names, or None
    for any other value. Only reads who it is: the caller decides what that allows."""
    scheme, _space, secret = authorization.partition(" ")
    return api_token_authenticate(secret.strip()) if scheme == "Token" else None


def api_token_authenticate(secret: str) -> Any:
    """The active person a live token belongs to, or None for an unknown or revoked one."""
    if not secret or not secret.startswith(SECRET_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not can(token.user, "opendata.manage_api_tokens"):
        return None
    # A plain update: using a token is not a change worth an audit entry.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
