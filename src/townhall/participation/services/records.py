"""A resident's record of what they sent: the response's reference, the email receipt
with a copy of the answers, and the "save and come back later" link sent by email.

Neither email keeps anything new about the person: a signed-in resident's receipt goes to
their account's address, looked up when it is sent; an address typed in for one email
travels only in that email's background task (kept as long as task results are,
RETENTION_TASK_RESULTS_DAYS) and is stored nowhere else.
"""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from townhall.core.languages import translated
from townhall.core.tasks import enqueue_on_commit, retrying_task

from .. import selectors
from ..models import Response

#: Crockford's base 32 without the letters that read as digits (I, L, O, U).
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def reference_draw(choose: Callable[[str], str] = secrets.choice) -> str:
    """A reference: the council's prefix (PARTICIPATION_REFERENCE_PREFIX) and two groups of
    four characters drawn with `choose` (the demo passes its seeded generator's)."""
    prefix = getattr(settings, "PARTICIPATION_REFERENCE_PREFIX", "TH")
    code = "".join(choose(REFERENCE_ALPHABET) for _ in range(8))
    return "-".join(part for part in (prefix, code[:4], code[4:]) if part)


def reference_new() -> str:
    """A fresh, unused reference.

    Forty random bits: guessing one is hopeless, and a reference alone opens nothing (the
    copy needs the respondent signed in or the secret link). One already taken is drawn
    again, so a response is never refused over a clash.
    """
    while True:
        reference = reference_draw()
        if not Response.objects.filter(reference=reference).exists():
            return reference


def response_reference_renew(*, response: Response) -> None:
    """Give a response a new reference, so that its old reference and secret link (in a
    receipt the person may still hold) no longer lead to it. Used when a person's
    account is erased: the answers stay, unlinked from anything the person has."""
    Response.objects.filter(pk=response.pk).update(reference=reference_new())


def receipt_request(*, response: Response, address: str = "", language: str) -> None:
    """Email the respondent a copy of their answers once the response is committed.

    A signed-in respondent's receipt goes to their account's address; anyone else's to
    the `address` they typed (none, no email). Call inside the response's transaction.
    """
    if response.respondent_id is None and not address:
        return
    enqueue_on_commit(
        response_receipt_send,
        reference=response.reference,
        address="" if response.respondent_id else address,
        language=language,
    )


@retrying_task
def response_receipt_send(*, reference: str, address: str, language: str) -> None:
    """The receipt: the reference, every answer, and the secret link to the printable copy."""
    response = selectors.response_by_reference(reference)
    if response is None:
        return
    to = address or (response.respondent.email if response.respondent else "")
    if not to:
        return
    with translation.override(language):
        title = translated(response.consultation, "title").text
        link = _site_url(selectors.response_copy_url(response, secret=True))
        lines = [
            _("Thank you for responding to “%(title)s”.") % {"title": title},
            _("Your reference is %(reference)s.") % {"reference": response.reference},
            _("This is a copy of your answers:"),
        ]
        for row in selectors.response_answers(response):
            lines.append(f"{row.question}\n{row.text or _('Not answered')}")
        lines.append(
            _(
                "To see or print your answers, open this link (keep it private: anyone "
                "with it can read them):\n%(link)s"
            )
            % {"link": link}
        )
        subject = _("Your response to “%(title)s”: %(reference)s") % {
            "title": title,
            "reference": response.reference,
        }
    EmailMessage(subject, "\n\n".join(lines), None, [to]).send()


def resume_link_email(*, address: str, consultation_title: str, link: str, language: str) -> None:
    """Email the "come back later" link to the address a resident typed on the saved page."""
    resume_link_send.enqueue(
        address=address, consultation_title=consultation_title, link=link, language=language
    )


@retrying_task
def resume_link_send(*, address: str, consultation_title: str, link: str, language: str) -> None:
    with translation.override(language):
        subject = _("Your saved answers to “%(title)s”") % {"title": consultation_title}
        text = _(
            "Use this link to come back to your answers to “%(title)s” and send them:\n"
            "%(link)s\n\nKeep it private: anyone with the link can see and change your "
            "answers. If you did not ask for this email, you can ignore it."
        ) % {"title": consultation_title, "link": link}
    EmailMessage(subject, text, None, [address]).send()


def _site_url(path: str) -> str:
    return settings.TOWNHALL_SITE_URL.rstrip("/") + path
