"""GOV.UK Notify as a Django email backend, behind the same interface as SMTP.

Choose it with EMAIL_URL=notify://<api key>@?template_id=<template uuid> (see
settings/environment.py), which gives the mailer

    {"BACKEND": "townhall.core.notify.NotifyEmailBackend",
     "OPTIONS": {"api_key": "<key from Notify>", "template_id": "<template uuid>"}}

The Notify template must have two placeholders, ((subject)) and ((body)); every email
the platform sends (sign-in links, notifications) fills them. An email to a follower
carries its one-click unsubscribe link to Notify as `one_click_unsubscribe_url`, from
which Notify writes the RFC 8058 headers. Each recipient is one
POST to Notify's v2 API, authenticated with a short-lived JWT signed with the key's
secret, exactly as Notify's own clients do.
"""

import json
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

import jwt
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

NOTIFY_API = "https://api.notifications.service.gov.uk"


class NotifyError(Exception):
    """Notify refused or failed a message. `status` is the HTTP status, `errors` its list."""

    def __init__(self, status: int, errors: list) -> None:
        super().__init__(f"GOV.UK Notify answered {status}: {errors}")
        self.status, self.errors = status, errors


def _key_parts(api_key: str) -> tuple[str, str]:
    """(service id, secret): a Notify key ends "-<service id>-<secret>", both UUIDs."""
    if len(api_key) < 74:
        raise ValueError("That is not a GOV.UK Notify API key.")
    return api_key[-73:-37], api_key[-36:]


def _one_click_unsubscribe_url(message: EmailMessage) -> str:
    """The https link of a message's RFC 8058 one-click unsubscribe headers, or "".

    Notify does not pass on a message's own headers; given this link it adds
    List-Unsubscribe and List-Unsubscribe-Post itself (its `one_click_unsubscribe_url`).
    """
    headers = {name.lower(): value for name, value in message.extra_headers.items()}
    if headers.get("list-unsubscribe-post") != "List-Unsubscribe=One-Click":
        return ""
    for part in headers.get("list-unsubscribe", "").split(","):
        link = part.strip().removeprefix("<").removesuffix(">")
        if link.startswith(("https://", "http://")):
            return link
    return ""


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(
        self,
        *,
        api_key: str,
        template_id: str,
        base_url: str = NOTIFY_API,
        timeout: float = 20,
        fail_silently: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.fail_silently = fail_silently
        self.service_id, self.secret = _key_parts(api_key)
        self.template_id, self.base_url, self.timeout = template_id, base_url.rstrip("/"), timeout

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Send each message to each recipient; returns how many emails Notify accepted."""
        accepted = 0
        for message in email_messages:
            for recipient in message.recipients():
                try:
                    self._send(message, recipient)
                except (NotifyError, OSError):
                    if not self.fail_silently:
                        raise
                else:
                    accepted += 1
        return accepted

    def _token(self) -> str:
        return jwt.encode(
            {"iss": self.service_id, "iat": int(time.time())}, self.secret, algorithm="HS256"
        )

    def _send(self, message: EmailMessage, recipient: str) -> dict:
        payload = {
            "email_address": recipient,
            "template_id": self.template_id,
            "personalisation": {"subject": message.subject, "body": message.body},
        }
        if unsubscribe := _one_click_unsubscribe_url(message):
            payload["one_click_unsubscribe_url"] = unsubscribe
        request = urllib.request.Request(  # noqa: S310 - the configured Notify address
            f"{self.base_url}/v2/notifications/email",
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self._token()}",
                "Content-Type": "application/json",
                "User-Agent": "townhall-notify",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                return json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            try:
                errors = json.loads(error.read() or b"{}").get("errors", [])
            except ValueError:
                errors = []
            raise NotifyError(error.code, errors) from None
