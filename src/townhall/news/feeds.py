"""Atom (RFC 4287) and RSS 2.0 feeds of updates: all of them, one service's, one ward's.

Each feed is served in the language of its address (/news/feed.atom in English,
/cy/news/feed.atom in Welsh). An unknown service or ward is a 404, never an empty feed,
so that a mistyped address in a feed reader is noticed rather than silently quiet.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from townhall.core.selectors.site import council_name
from townhall.core.templatetags.townhall import markdown
from townhall.core.text import xml_text

from . import selectors

FEED_LENGTH = 50


class UpdatesAtomFeed(Feed):
    """Every published update, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj) -> str:
        return _("News from %(council)s") % {"council": council_name()}

    def subtitle(self, obj) -> str:
        return _("Updates from the council")

    description = subtitle

    def link(self, obj) -> str:
        return reverse("news:update_list")

    def feed_guid(self, obj) -> str:
        return self.link(obj)

    def items(self, obj):
        return selectors.current_updates(**self.filters(obj))[:FEED_LENGTH]

    def filters(self, obj) -> dict:
        return {}

    def item_title(self, item) -> str:
        return xml_text(item.title)

    def item_description(self, item) -> str:
        return xml_text(str(markdown(item.body)))

    def item_link(self, item) -> str:
        return reverse("news:update_detail", args=[item.slug])

    def item_guid(self, item) -> str:
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        return [service.name for service in item.services.all()]


class UpdatesRssFeed(UpdatesAtomFeed):
    feed_type = Rss201rev2Feed


class ServiceUpdatesAtomFeed(UpdatesAtomFeed):
    """One service's published updates; 404 for a service there is not."""

    def get_object(self, request, slug: str):
        service = selectors.service_by_slug(slug)
        if service is None:
            raise Http404
        return service

    def title(self, obj) -> str:
        return _("%(service)s: news from %(council)s") % {
            "service": obj.name,
            "council": council_name(),
        }

    def link(self, obj) -> str:
        return reverse("news:update_list") + f"?service={obj.slug}"

    def filters(self, obj) -> dict:
        return {"service": obj}


class ServiceUpdatesRssFeed(ServiceUpdatesAtomFeed):
    feed_type = Rss201rev2Feed


class WardUpdatesAtomFeed(UpdatesAtomFeed):
    """One ward's published updates; 404 for a ward there is not."""

    def get_object(self, request, code: str):
        ward = selectors.ward(code)
        if ward is None:
            raise Http404
        return ward

    def title(self, obj) -> str:
        return _("%(ward)s: news from %(council)s") % {"ward": obj.name, "council": council_name()}

    def link(self, obj) -> str:
        return reverse("news:update_list") + f"?ward={obj.code}"

    def filters(self, obj) -> dict:
        return {"ward_code": obj.code}


class WardUpdatesRssFeed(WardUpdatesAtomFeed):
    feed_type = Rss201rev2Feed
