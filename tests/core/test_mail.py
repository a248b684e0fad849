"""Emails printed on the console in development can be read and their links followed."""

import io

from django.core.mail import EmailMessage

from townhall.core.mail import ReadableConsoleBackend


def test_console_email_prints_a_long_link_whole():
    link = "http://127.0.0.1:8000/accounts/confirm-email/" + "Mg:1vBcdE:" + "x" * 90 + "/"
    stream = io.StringIO()
    backend = ReadableConsoleBackend(stream=stream, alias="default")
    backend.send_messages(
        [EmailMessage("Confirm", f"Follow {link}", "a@example.org", ["b@example.org"])]
    )
    printed = stream.getvalue()
    assert link in printed
    assert "Subject: Confirm" in printed
    assert "To: b@example.org" in printed
