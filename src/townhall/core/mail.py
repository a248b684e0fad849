"""A console email backend a person can read: links printed whole, not quoted-printable.

Development and `make demo` print emails on the console so that someone trying
Townhall can follow the sign-up verification link. Django's own console backend prints
the encoded message, where a long link is wrapped with "=" and cannot be clicked.
"""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message) -> None:
        headers = (
            f"From: {message.from_email}\nTo: {', '.join(message.to)}\nSubject: {message.subject}\n"
        )
        self.stream.write(f"{headers}\n{message.body}\n{'-' * 79}\n")
