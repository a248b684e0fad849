"""Where published updates are cross-posted: a small interface and its adapters.

A channel posts one text (already shortened to fit) and returns the post's address, or
raises ChannelError; the task in tasks.py retries it. Adapters use each network's
maintained client library (Mastodon.py, the AT Protocol SDK), never hand-made HTTP.
The log channel writes the post to the log: for development and the demo.
"""

import logging
from dataclasses import dataclass

logger = logging.getLogger("townhall.news.channels")


class ChannelError(Exception):
    """The network refused or could not be reached; the post may be tried again."""


@dataclass(frozen=True)
class Post:
    text: str
    link: str
    language: str
    key: str
    """Stable for the update and the account: a network that supports it posts once
    however many times a retry sends it (Mastodon's Idempotency-Key)."""


class Channel:
    """One of the council's social accounts. `limit` is the network's post length."""

    limit = 500

    def post(self, post: Post) -> str:
        """Publish `post`; return its address (or "" when the network gives none)."""
        raise NotImplementedError


class LogChannel(Channel):
    def __init__(self, name: str) -> None:
        self.name = name

    def post(self, post: Post) -> str:
        logger.info("Cross-post to %s (%s): %s", self.name, post.language, post.text)
        return ""


class MastodonChannel(Channel):
    def __init__(self, *, server: str, token: str) -> None:
        self.server, self.token = server, token

    def post(self, post: Post) -> str:
        from mastodon import Mastodon, MastodonError

        client = Mastodon(
            access_token=self.token,
            api_base_url=self.server,
            version_check_mode="none",
            request_timeout=15,
        )
        try:
            status = client.status_post(
                post.text, language=post.language[:2], idempotency_key=post.key
            )
        except MastodonError as error:
            raise ChannelError(f"Mastodon: {error}") from error
        return str(status.get("url") or "")


class BlueskyChannel(Channel):
    limit = 300

    def __init__(self, *, server: str, handle: str, password: str) -> None:
        self.server, self.handle, self.password = server, handle, password

    def post(self, post: Post) -> str:
        from atproto import Client, client_utils
        from atproto.exceptions import AtProtocolError

        text = post.text.removesuffix(post.link).rstrip()
        rich = client_utils.TextBuilder().text(text + "\n\n").link(post.link, post.link)
        try:
            client = Client(base_url=self.server or None)
            client.login(self.handle, self.password)
            created = client.send_post(rich, langs=[post.language[:2]])
        except AtProtocolError as error:
            raise ChannelError(f"Bluesky: {error}") from error
        return f"https://bsky.app/profile/{self.handle}/post/{created.uri.rsplit('/', 1)[-1]}"


def shorten(*, title: str, summary: str, link: str, limit: int) -> str:
    """The post's text: title, summary and link, the summary cut to fit `limit`."""
    fixed = f"{title}\n\n\n\n{link}"
    room = limit - len(fixed)
    if room <= 1:
        return f"{title[: max(limit - len(link) - 3, 1)]}…\n\n{link}"
    if len(summary) > room:
        summary = summary[: room - 1].rstrip() + "…"
    return f"{title}\n\n{summary}\n\n{link}"
