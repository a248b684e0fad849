"""Channel credentials encrypted at rest (ADR 0070).

A Fernet key is derived from SECRET_KEY with HKDF, so a copy of the database alone (a
backup, a read replica, a dump sent to a supplier) does not hand over the council's
social accounts. Keys from SECRET_KEY_FALLBACKS still decrypt, so rotating the secret key
keeps saved credentials working until they are saved again.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"townhall.news.channel-credentials"


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret) for secret in secrets])


def encrypt(text: str) -> str:
    """The text encrypted with the current secret key, as ASCII to store."""
    return _keys().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The text again. Raises CredentialsUnreadable when no current or fallback key opens
    it (the secret key changed without keeping the old one as a fallback)."""
    try:
        return _keys().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise CredentialsUnreadable from None


class CredentialsUnreadable(Exception):
    """Stored credentials that no current secret key decrypts: enter them again."""
