"""A polite crawler over Townhall's own pages, for the accessibility and link checks.

It follows every same-site link from a start page, so a page a module adds is checked
as soon as something links to it, without editing any test. To keep the run short it
visits at most `per_shape` pages of one shape: a path whose identifying parts (numbers,
UUIDs, long slugs) and query values are blanked out, so /data/a/ and /data/b/ count once
each up to the cap, and ?page=2, ?page=3 count as one.
"""

import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError

SKIPPED_PREFIXES = (
    "/admin/",
    "/cy/admin/",
    "/api/",
    "/openreferral/",  # JSON for programs (Open Referral UK), as /api/ is
    "/static/",
    "/media/",
    "/healthz",
)
SKIPPED_SUFFIXES = (
    ".csv",
    ".json",
    ".jsonld",
    ".ttl",
    ".xml",
    ".rdf",
    ".xlsx",
    ".atom",
    ".rss",
    ".geojson",
    ".pdf",
    ".zip",
    "/download/",
    "/logout/",
)
_IDENTIFYING = re.compile(r"\d|^[0-9a-f-]{32,36}$|^.{25,}$")
# Collections whose items have short slugs made from names (/wards/abbey/): one shape each.
_SHORT_SLUGGED = frozenset({"wards"})


@dataclass(frozen=True)
class Visit:
    url: str
    status: int


def shape(path_and_query: str) -> str:
    parts = urlsplit(path_and_query)
    path = parts.path.split("/")
    segments = [
        "*" if _IDENTIFYING.search(seg) or (seg and path[i - 1] in _SHORT_SLUGGED) else seg
        for i, seg in enumerate(path)
    ]
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


def _normalise(base: str, href: str, within: str) -> str | None:
    absolute, _fragment = urldefrag(urljoin(base, href))
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(base).netloc:
        return None
    path = parts.path or "/"
    if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
        return None
    if _language_prefix(path) != within:
        return None
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return path + ("?" + query if query else "")


def _language_prefix(path: str) -> str:
    return "/cy/" if path == "/cy/" or path.startswith("/cy/") else "/"


def crawl(page, start: str, *, per_shape: int = 2, limit: int = 120) -> Iterator[Visit]:
    """Visit pages breadth-first from `start` with a Playwright page, yielding each visit.

    The crawl stays in the start page's language (English at /, Welsh under /cy/). The
    caller inspects `page` (runs axe, reads the DOM) between visits.
    """
    within = _language_prefix(start)
    queue: deque[str] = deque([start])
    seen: set[str] = {start}
    per: Counter[str] = Counter()
    visited = 0
    while queue and visited < limit:
        path = queue.popleft()
        key = shape(path)
        if per[key] >= per_shape:
            continue
        per[key] += 1
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file to download, not a page
            raise
        if response and not response.headers.get("content-type", "").startswith("text/html"):
            continue  # a file the browser shows itself (a board paper's PDF), not a page
        visited += 1
        yield Visit(url=path, status=response.status if response else 0)
        current = page.url
        for href in page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.getAttribute('href'))"
        ):
            found = _normalise(current, href, within)
            if found and found not in seen:
                seen.add(found)
                queue.append(found)
