"""HTTP Signatures as the fediverse uses them (ADR 0071).

Mastodon and the servers that talk to it sign requests with draft-cavage-http-signatures
(not RFC 9421, which no maintained Python library implements in the cavage form): an
RSA-SHA256 signature over `(request-target) host date digest`, the body's SHA-256 in a
`Digest` header and a `Date` a few minutes old at most. This module signs and checks
exactly that, with `cryptography`; it does no I/O (activitypub.py fetches keys).
"""

import base64
import hashlib
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

#: The headers a POST must sign; a GET signs the same without its (empty) body's digest.
POST_HEADERS = ("(request-target)", "host", "date", "digest")
GET_HEADERS = ("(request-target)", "host", "date")
#: How far a request's Date may be from our clock, either way.
MAX_SKEW = timedelta(minutes=5)
_PARAM = re.compile(r'\s*(\w+)="([^"]*)"\s*(?:,|$)')


class SignatureRefused(Exception):
    """A request whose signature is missing or does not hold; `code` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def new_keypair() -> tuple[str, str]:
    """A fresh RSA-2048 keypair as (public PEM, private PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return public, private


def digest(body: bytes) -> str:
    """The `Digest` header's value for `body`."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def sign(
    *, method: str, url: str, body: bytes | None, key_id: str, private_key: str
) -> dict[str, str]:
    """The headers (Host, Date, Digest for a body, Signature) that sign a request."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"host": parts.netloc, "date": format_datetime(datetime.now(UTC), usegmt=True)}
    names = GET_HEADERS
    if body is not None:
        headers["digest"], names = digest(body), POST_HEADERS
    text = _signing_text(method, target, headers, names)
    key = serialization.load_pem_private_key(private_key.encode("ascii"), password=None)
    signature = key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    headers["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode("ascii")}"'
    )
    return {name.title(): value for name, value in headers.items()}


def signature_key_id(headers) -> str:
    """The keyId a request's Signature header names. Raises SignatureRefused when the
    header is missing or cannot be read."""
    return _parse(headers)["keyId"]


def verify(*, method: str, target: str, headers, body: bytes, public_key: str) -> None:
    """Check a signed request: the Signature over at least `(request-target) host date
    digest` with `public_key`, the Digest against `body` and the Date against our clock.
    `headers` is case-insensitive (Django's request.headers). Raises SignatureRefused."""
    params = _parse(headers)
    if params.get("algorithm", "rsa-sha256") not in ("rsa-sha256", "hs2019"):
        raise SignatureRefused("signature_algorithm", "Only rsa-sha256 signatures are accepted.")
    names = params.get("headers", "date").lower().split()
    missing = [name for name in POST_HEADERS if name not in names]
    if missing:
        raise SignatureRefused(
            "signature_headers", f"The signature must cover: {' '.join(missing)}."
        )
    if headers.get("Digest", "") != digest(body):
        raise SignatureRefused("digest_mismatch", "The Digest header does not match the body.")
    try:
        sent = parsedate_to_datetime(headers.get("Date", ""))
    except (TypeError, ValueError):
        raise SignatureRefused("date_invalid", "The Date header cannot be read.") from None
    if sent.tzinfo is None or abs(datetime.now(UTC) - sent) > MAX_SKEW:
        raise SignatureRefused("date_out_of_range", "The Date header is too old or too new.")
    values = {name: headers.get(name, "") for name in names if name != "(request-target)"}
    text = _signing_text(method, target, values, names)
    try:
        key = serialization.load_pem_public_key(public_key.encode("ascii"))
        key.verify(
            base64.b64decode(params["signature"]),
            text.encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, ValueError, TypeError):
        raise SignatureRefused("signature_invalid", "The signature does not verify.") from None


def _parse(headers) -> dict[str, str]:
    header = headers.get("Signature", "")
    params = dict(_PARAM.findall(header))
    if not header:
        raise SignatureRefused("signature_missing", "The request is not signed.")
    if "keyId" not in params or "signature" not in params:
        raise SignatureRefused("signature_unreadable", "The Signature header cannot be read.")
    return params


def _signing_text(method: str, target: str, headers: dict[str, str], names) -> str:
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
        else:
            lines.append(f"{name}: {headers[name]}")
    return "\n".join(lines)
