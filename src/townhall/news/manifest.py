"""What news adds to the platform: pages, feeds, a role, staff tools, follows and demo."""

from django.utils.translation import gettext_lazy as _

from townhall.core import roles
from townhall.core.registry import (
    Action,
    AssistedStart,
    DemoStep,
    Erasure,
    Followable,
    HomePanel,
    Manifest,
    Measure,
    NavigationEntry,
    OpenDataExport,
    PersonalRecords,
    ResidentForm,
    Role,
    SearchResource,
    StaffTool,
    TranslatedContent,
    WardPanel,
)

NEWS_EDITOR = "news_editor"
ROLES = (
    Role(
        slug=NEWS_EDITOR,
        name=_("News editor"),
        description=_(
            "Writes, publishes and archives the council's updates (officers and cabinet "
            "members who speak for the council)"
        ),
        staff=True,
    ),
)


def _selector(name: str):
    """A news selector called when used, so the manifest imports no models."""

    def call(*args):
        from . import selectors

        return getattr(selectors, name)(*args)

    return call


def _ward_panel(ward) -> dict | None:
    from .selectors import current_updates

    updates = list(current_updates(ward_code=ward.code)[:3])
    return {"updates": updates, "ward_code": ward.code} if updates else None


def _home_panel() -> dict | None:
    from .selectors import latest_updates

    updates = latest_updates(3)
    return {"updates": updates} if updates else None


def _update_page(update) -> str:
    from django.urls import reverse

    return reverse("news:manage_edit", args=[update.public_id])


def _load_demo(context) -> None:
    from .demo import build_news

    build_news(context)


def _news_to_fill_in():
    """Where a helper signs a resident up for all news, or a service's."""
    from django.urls import reverse

    from townhall.core.assisted import assisted_url

    from .selectors import ALL_NEWS_KEY, services

    starts = [
        AssistedStart(
            label=str(_("All news from the council")),
            url=assisted_url(reverse("core:follow", args=["news", ALL_NEWS_KEY])),
        )
    ]
    starts += [
        AssistedStart(
            label=str(_("News about %(service)s") % {"service": service.name}),
            url=assisted_url(reverse("core:follow", args=["news_service", service.slug])),
        )
        for service in services()
    ]
    return starts


MANIFEST = Manifest(
    app_label="news",
    name=_("News"),
    description=_("The council's updates, as pages, Atom and RSS feeds and emails."),
    roles=ROLES,
    home_panel=HomePanel(template="news/home_panel.html", context=_home_panel, order=20),
    ward_panel=WardPanel(template="news/ward_panel.html", context=_ward_panel, order=20),
    navigation=(
        NavigationEntry(
            label=_("News"),
            url_name="news:update_list",
            order=40,
            description=_(
                "Updates from the council about its services and your ward, by email or in "
                "a feed reader."
            ),
        ),
    ),
    actions=(
        Action(
            name="news.manage_updates",
            description=_("Write updates, publish them and archive them"),
            roles=(NEWS_EDITOR,),
        ),
        Action(
            name="news.manage_services",
            description=_("Keep the list of services that updates are tagged with"),
            roles=(NEWS_EDITOR,),
        ),
        Action(
            name="news.manage_channels",
            description=_(
                "Add and remove the council's social accounts that updates are cross-posted to"
            ),
            roles=(roles.ADMINISTRATOR,),
        ),
    ),
    staff_tools=(
        StaffTool(
            label=_("News"),
            url_name="news:manage_list",
            action="news.manage_updates",
            description=_("Write updates in English and Welsh, publish them and archive them."),
            order=10,
        ),
        StaffTool(
            label=_("News services"),
            url_name="news:manage_services",
            action="news.manage_services",
            description=_("The services and topics updates are tagged with."),
            order=20,
        ),
        StaffTool(
            label=_("Social accounts"),
            url_name="news:manage_channels",
            action="news.manage_channels",
            description=_("The council's Mastodon and Bluesky accounts that updates go to."),
            order=30,
        ),
        StaffTool(
            label=_("Fediverse account"),
            url_name="news:manage_fediverse",
            action="news.manage_channels",
            description=_(
                "The council's own fediverse account: its handle and how many follow it."
            ),
            order=40,
        ),
    ),
    translated_content=(
        TranslatedContent(
            label=_("News updates"),
            action="news.manage_updates",
            fields=("title", "summary", "body"),
            published=_selector("public_updates"),
            title=str,
            url=_update_page,
        ),
    ),
    search_resources=(
        SearchResource(
            kind="news_update",
            label=_("News"),
            model="news.Update",
            items=_selector("searchable_updates"),
            documents=_selector("update_search_documents"),
            key_field="public_id",
        ),
    ),
    open_data=(
        OpenDataExport(
            slug="news-updates",
            title=_("News updates"),
            description=_(
                "Every update the council has published: title and summary in English and "
                "Welsh, publish date, services and ward codes."
            ),
            fields=(
                "id",
                "url",
                "title",
                "title_cy",
                "summary",
                "summary_cy",
                "state",
                "published_at",
                "services",
                "wards",
            ),
            rows=_selector("updates_rows"),
        ),
    ),
    resident_forms=(
        ResidentForm(
            key="news.subscriptions",
            label=_("Get news by email"),
            description=_("All the council's news, or a service's or a ward's."),
            templates=("core/subscriptions/form.html",),
            assisted=_news_to_fill_in,
            followable_kinds=("news", "news_service", "news_ward"),
        ),
    ),
    followables=(
        Followable(kind="news", label=_("All news"), item=_selector("all_news_followed")),
        Followable(
            kind="news_service", label=_("News about a service"), item=_selector("service_followed")
        ),
        Followable(kind="news_ward", label=_("News for a ward"), item=_selector("ward_followed")),
    ),
    personal_records=(
        PersonalRecords(
            model="news.Update",
            owner_field="author",
            key="updates_written",
            label=_("News updates you wrote"),
            export=("public_id", "title", "state", "published_at"),
            erasure=Erasure.ANONYMISE,
            reason=_("The updates are the council's record and stay; your name goes."),
        ),
    ),
    # Written by the background tasks and by other servers, not by staff: their status and
    # count are shown on the staff pages. Fediverse followers are accounts' addresses
    # (public by the fediverse's design), not people's: they are not PersonalRecords, and
    # docs/modules/news.md declares what is kept, for how long and how it goes.
    unaudited_models=("news.crosspost", "news.follower", "news.delivery"),
    # Not personal data, but the same rule keeps the encrypted credentials out of the log.
    personal_fields={
        "news.SocialAccount": ("secret",),
        "news.FediverseActor": ("private_key",),
    },
    # Facts other modules read by key (leadership's scorecard and councillor's guide).
    measures=(
        Measure(
            key="news_posted_to_social",
            label=_("News updates of the past 90 days also posted to social media"),
            compute=_selector("updates_posted_to_social"),
            url_name="news:update_list",
        ),
    ),
    demo=(DemoStep(label="News updates", run=_load_demo, order=60),),
    urls="townhall.news.urls",
    url_prefix="news/",
    root_urls="townhall.news.root_urls",
)
