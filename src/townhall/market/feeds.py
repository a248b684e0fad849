"""An Atom feed of the challenges open to suppliers, newest first, in the language of its
address (/market/opportunities.atom, /cy/market/opportunities.atom)."""

from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from townhall.core.formats import govuk_datetime
from townhall.core.selectors.site import council_name
from townhall.core.text import xml_text

from . import selectors

FEED_LENGTH = 50


class _AtomWithEmails(Atom1Feed):
    """Atom with a link to the page where readers can have new challenges emailed."""

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        emails = urljoin(self.feed["link"], self.feed["emails_path"])
        handler.addQuickElement("link", "", {"rel": "related", "href": emails})


class OpportunitiesAtomFeed(Feed):
    feed_type = _AtomWithEmails

    def feed_extra_kwargs(self, obj) -> dict:
        return {"emails_path": reverse("market:challenge_emails")}

    def title(self) -> str:
        return _("Opportunities for suppliers from %(council)s") % {"council": council_name()}

    def subtitle(self) -> str:
        return _(
            "Challenges the council wants suppliers' ideas on. To have new ones emailed to "
            "you, see the related link."
        )

    def link(self) -> str:
        return reverse("market:challenge_list")

    def feed_guid(self) -> str:
        return self.link()

    def items(self):
        return selectors.open_challenges()[:FEED_LENGTH]

    def item_title(self, item) -> str:
        return xml_text(item.title)

    def item_description(self, item) -> str:
        deadline = _("Respond by %(when)s.") % {"when": govuk_datetime(item.response_deadline)}
        return xml_text(f"{item.problem}\n\n{deadline}")

    def item_link(self, item) -> str:
        return reverse("market:challenge_detail", args=[item.slug])

    def item_guid(self, item) -> str:
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        return [item.service_area, *selectors.capability_labels(item.capabilities)]
