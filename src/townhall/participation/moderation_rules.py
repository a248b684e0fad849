"""Spam and profanity heuristics: text they flag waits for a moderator instead of being
published at once. Deliberately simple and explainable; a council tunes the word lists
through settings (PARTICIPATION_BLOCKED_WORDS)."""

import re

from django.conf import settings

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
REPEATED = re.compile(r"(.)\1{9,}")
SPAM_PHRASES = ("buy now", "casino", "crypto", "free money", "click here", "viagra", "loan offer")
#: A short default list; councils extend it in settings.
BLOCKED_WORDS = ("fuck", "shit", "cunt", "bastard", "wanker")


def concerns(text: str) -> list[str]:
    """Why the text should be checked by a moderator first ("spam", "profanity"), if at all."""
    lowered = text.lower()
    found = []
    if (
        len(LINK.findall(text)) > 2
        or REPEATED.search(text)
        or any(p in lowered for p in SPAM_PHRASES)
    ):
        found.append("spam")
    words = set(re.findall(r"[a-z']+", lowered))
    blocked = set(BLOCKED_WORDS) | set(getattr(settings, "PARTICIPATION_BLOCKED_WORDS", ()))
    if words & blocked:
        found.append("profanity")
    return found
