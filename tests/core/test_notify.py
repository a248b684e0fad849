"""GOV.UK Notify as the email backend, checked against a local fake of Notify's API."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from django.core.mail import EmailMessage

from townhall.core.notify import NotifyEmailBackend, NotifyError

SERVICE_ID = str(uuid.UUID(int=1))
SECRET = str(uuid.UUID(int=2))
API_KEY = f"townhall_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.UUID(int=3))


class FakeNotify(BaseHTTPRequestHandler):
    """Answers like Notify's POST /v2/notifications/email, keeping what it was sent."""

    received: list[dict] = []
    answer_status = 201

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeNotify.received.append(
            {"path": self.path, "authorization": self.headers["Authorization"], "body": body}
        )
        if FakeNotify.answer_status == 201:
            reply = {
                "id": str(uuid.uuid4()),
                "content": {"subject": body["personalisation"]["subject"]},
            }
        else:
            reply = {
                "status_code": FakeNotify.answer_status,
                "errors": [{"error": "BadRequestError", "message": "Can't send to this recipient"}],
            }
        payload = json.dumps(reply).encode()
        self.send_response(FakeNotify.answer_status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def notify_server():
    FakeNotify.received, FakeNotify.answer_status = [], 201
    server = HTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _backend(url, **options):
    return NotifyEmailBackend(api_key=API_KEY, template_id=TEMPLATE_ID, base_url=url, **options)


def test_notify_backend_sends_each_recipient_with_a_signed_token(notify_server):
    message = EmailMessage(
        "Your code", "Use 123456", "council@example.org", ["a@example.org", "b@example.org"]
    )
    assert _backend(notify_server).send_messages([message]) == 2
    first = FakeNotify.received[0]
    assert first["path"] == "/v2/notifications/email"
    assert first["body"] == {
        "email_address": "a@example.org",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "Your code", "body": "Use 123456"},
    }
    scheme, token = first["authorization"].split(" ")
    assert scheme == "Bearer"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID


def test_notify_backend_raises_notifys_errors_unless_told_to_fail_silently(notify_server):
    FakeNotify.answer_status = 400
    message = EmailMessage("Subject", "Body", None, ["a@example.org"])
    with pytest.raises(NotifyError) as refused:
        _backend(notify_server).send_messages([message])
    assert refused.value.status == 400
    assert refused.value.errors[0]["error"] == "BadRequestError"
    assert _backend(notify_server, fail_silently=True).send_messages([message]) == 0


def test_notify_backend_refuses_a_key_that_is_not_a_notify_key():
    with pytest.raises(ValueError):
        NotifyEmailBackend(api_key="nonsense", template_id=TEMPLATE_ID)


def test_email_url_chooses_notify_with_its_key_and_template(monkeypatch):
    from townhall.settings.environment import mailer_from_url, setting

    monkeypatch.setenv("EMAIL_URL", f"notify://{API_KEY}@?template_id={TEMPLATE_ID}")
    mailer = mailer_from_url(setting("EMAIL_URL", "email"))
    assert mailer == {
        "BACKEND": "townhall.core.notify.NotifyEmailBackend",
        "OPTIONS": {"api_key": API_KEY, "template_id": TEMPLATE_ID},
    }


def test_email_url_for_notify_without_a_template_is_named_in_the_error(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from townhall.settings.environment import setting

    monkeypatch.setenv("EMAIL_URL", f"notify://{API_KEY}@")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        setting("EMAIL_URL", "email")
