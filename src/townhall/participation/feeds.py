"""The Atom feed of open consultations, at /consultations/feed.atom."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from townhall.core.selectors.site import council_name

from . import selectors


class OpenConsultationsFeed(Feed):
    feed_type = Atom1Feed
    description = _("Consultations you can respond to now.")

    def title(self) -> str:
        return str(_("Open consultations: %(council)s") % {"council": council_name()})

    def link(self) -> str:
        return reverse("participation:consultation_list")

    def items(self):
        return selectors.open_consultations()[:50]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_link(self, item) -> str:
        return reverse("participation:consultation_detail", args=[item.slug])

    def item_guid(self, item) -> str:
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.opened_at or item.opens_at

    def item_updateddate(self, item):
        return item.updated_at
