"""Writes to the council's identity for administrators: its pages, its site settings and
the names of its areas.

Each service checks the permission again (the pages that call them check it first),
validates the whole record with `full_clean()` and saves inside a transaction; the save
reaches the audit log through core.audit's signals, attributed to the person acting
(AuditActorMiddleware, or `acting_as` in commands and tasks).
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from ..models import Area, Page, SiteSettings
from ..permissions import require
from ..selectors.site import (
    REQUIRED_PAGE_SLUGS,
    forget_footer_pages,
    forget_site_settings,
    site_settings,
)
from ..text import multi_line_text, single_line_text
from .search import search_index_remove, search_index_update

EDIT_SITE = "core.edit_site"
IMPORT_GEOGRAPHY = "core.import_geography"

#: What an administrator may set on a page (title and body also in Welsh, `_cy`).
PAGE_FIELDS = frozenset(
    {"slug", "title", "title_cy", "body", "body_cy", "show_in_footer", "footer_order"}
)

#: The columns those fields are stored in.
PAGE_COLUMNS = (
    "slug",
    "title_en_gb",
    "title_cy",
    "body_en_gb",
    "body_cy",
    "show_in_footer",
    "footer_order",
)

#: What an administrator may set in the site settings, in the order the form shows them.
SITE_SETTINGS_FIELDS = (
    "council_name",
    "council_name_cy",
    "service_name",
    "phase",
    "logo",
    "brand_colour",
    "feedback_url",
    "contact_email",
    "contact_phone",
    "contact_address",
    "local_authority_code",
)

SLUG_TAKEN = _("Another page already has this address. Choose a different one.")
SLUG_RESERVED = _("This address is used by another part of the site. Choose a different one.")
SLUG_REQUIRED = _("The site links to this page by its address, so the address cannot be changed.")


class PageDeletionRefused(Exception):
    """The page cannot be deleted, and nothing was changed; `reason` says why."""

    reason = _(
        "The site needs this page: the law asks for it, or other pages link to it. "
        "You can change its words but not delete it."
    )


# Checks shared by the services ----------------------------------------------------------


def _refuse_control_characters(
    values: dict[str, Any], *, lines: tuple[str, ...] = (), paragraphs: tuple[str, ...] = ()
) -> None:
    """Refuse tabs, line breaks and control characters in one-line fields, and control
    characters in paragraphs (see core.text), naming each field that holds them."""
    problems: dict[str, list] = {}
    for names, validator in ((lines, single_line_text), (paragraphs, multi_line_text)):
        for name in names:
            try:
                validator(values.get(name) or "")
            except ValidationError as error:
                problems[name] = error.messages
    if problems:
        raise ValidationError(problems)


def _slug_reserved(slug: str) -> bool:
    """Whether `/<slug>/` is another page of the site (search, manage, a module's pages) or
    a language's prefix, so that a council page there could never be reached."""
    if slug in {code for code, _name in settings.LANGUAGES}:
        return True
    with override(settings.LANGUAGE_CODE):
        try:
            match = resolve(f"/{slug}/")
        except Resolver404:
            return False
    return match.view_name != "core:page"


def _check_slug(page: Page, previous_slug: str | None) -> None:
    if previous_slug in REQUIRED_PAGE_SLUGS and page.slug != previous_slug:
        raise ValidationError({"slug": [SLUG_REQUIRED]})
    if page.slug != previous_slug and _slug_reserved(page.slug):
        raise ValidationError({"slug": [SLUG_RESERVED]})
    if Page.objects.filter(slug=page.slug).exclude(pk=page.pk).exists():
        raise ValidationError({"slug": [SLUG_TAKEN]})


def _save_page(page: Page, previous_slug: str | None) -> Page:
    _refuse_control_characters(
        {name: getattr(page, name) for name in ("title_en_gb", "title_cy", "slug")},
        lines=("title_en_gb", "title_cy", "slug"),
    )
    _refuse_control_characters(
        {"body_en_gb": page.body_en_gb, "body_cy": page.body_cy},
        paragraphs=("body_en_gb", "body_cy"),
    )
    _check_slug(page, previous_slug)
    page.full_clean()
    try:
        with transaction.atomic():
            page.save()
    except IntegrityError as clash:  # another administrator took the address just now
        raise ValidationError({"slug": [SLUG_TAKEN]}) from clash
    if previous_slug and previous_slug != page.slug:
        search_index_remove("page", previous_slug)
    search_index_update("page", page)
    transaction.on_commit(forget_footer_pages)
    return page


def _apply_page_fields(page: Page, fields: dict[str, Any]) -> None:
    unknown = set(fields) - PAGE_FIELDS
    if unknown:
        raise ValueError(f"Not a field of a council page: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        if name in ("title", "title_cy", "slug"):
            value = (value or "").strip()
        # The English has its own column: `title` would be whichever language is active.
        column = f"{name}_en_gb" if name in ("title", "body") else name
        setattr(page, column, value)


# Council pages ----------------------------------------------------------------------------


@transaction.atomic
def page_create(*, actor: Any, fields: dict[str, Any]) -> Page:
    """Add a council page from `fields` (keys of PAGE_FIELDS, English as `title` and `body`,
    Welsh as `title_cy` and `body_cy`); return it, indexed for site search.

    Raises ValidationError (by field) for a bad, reserved or taken address, a missing
    English title or body, or control characters.
    """
    require(actor, EDIT_SITE)
    page = Page()
    _apply_page_fields(page, fields)
    return _save_page(page, None)


@transaction.atomic
def page_update(*, actor: Any, page: Page, fields: dict[str, Any]) -> Page:
    """Change a council page; return the saved page, re-indexed under its (new) address.

    The stored page is what is changed, locked for the transaction. Raises
    Page.DoesNotExist when it has been deleted meanwhile, and ValidationError as
    page_create does, or when the address of a page the site needs would change.
    """
    require(actor, EDIT_SITE)
    stored = Page.objects.select_for_update().get(pk=page.pk)
    previous_slug = stored.slug
    before = [getattr(stored, column) for column in PAGE_COLUMNS]
    _apply_page_fields(stored, fields)
    if [getattr(stored, column) for column in PAGE_COLUMNS] == before:
        return stored  # unchanged: its "Last updated" date stays, and nothing is audited
    return _save_page(stored, previous_slug)


@transaction.atomic
def page_delete(*, actor: Any, page: Page) -> None:
    """Delete a council page and take it out of site search.

    Raises PageDeletionRefused, changing nothing, for a page the site needs
    (REQUIRED_PAGE_SLUGS). A page someone else has just deleted is already gone: that
    is not an error.
    """
    require(actor, EDIT_SITE)
    stored = Page.objects.select_for_update().filter(pk=page.pk).first()
    if stored is None:
        return
    if stored.slug in REQUIRED_PAGE_SLUGS:
        raise PageDeletionRefused
    stored.delete()
    search_index_remove("page", stored.slug)
    transaction.on_commit(forget_footer_pages)


# Site settings ----------------------------------------------------------------------------


@transaction.atomic
def site_settings_update(*, actor: Any, changes: dict[str, Any]) -> SiteSettings:
    """Change the council's site settings (keys of SITE_SETTINGS_FIELDS); return the row.

    `logo` takes an uploaded file, or "" to show the name alone. The model's checks
    apply: a hex brand colour with a contrast of at least 4.5:1 against white text, a
    safe SVG or a real PNG of at most 1 MB. Every page sees the change at once: the
    cached settings are forgotten when the transaction commits.
    """
    require(actor, EDIT_SITE)
    unknown = set(changes) - set(SITE_SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not a site setting: {', '.join(sorted(unknown))}")
    site_settings()  # makes the row if there is none yet
    row = SiteSettings.objects.select_for_update().order_by("pk").first()
    changed = False
    for name, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if name == "logo":
            changed = changed or bool(value) or bool(row.logo)
        else:
            changed = changed or getattr(row, name) != value
        setattr(row, name, value)
    _refuse_control_characters(
        {name: getattr(row, name) for name in SITE_SETTINGS_FIELDS if name != "logo"},
        lines=(
            "council_name",
            "council_name_cy",
            "service_name",
            "feedback_url",
            "contact_email",
            "contact_phone",
            "local_authority_code",
        ),
        paragraphs=("contact_address",),
    )
    row.full_clean()
    if not changed:  # nothing to save, and nothing for the audit log
        return row
    row.save()
    # Forgotten now, for this request's next read, and again once committed, in case
    # another request cached the old row meanwhile.
    forget_site_settings()
    transaction.on_commit(forget_site_settings)
    return row


# Areas ------------------------------------------------------------------------------------


@transaction.atomic
def area_rename(*, actor: Any, area: Area, name: str, name_cy: str = "") -> Area:
    """Correct an area's English and Welsh names; return the area.

    Only the names change: the code, kind and boundary come from imports. Raises
    Area.DoesNotExist when the area has been removed meanwhile, and ValidationError for
    an empty or too long name or control characters.
    """
    require(actor, IMPORT_GEOGRAPHY)
    stored = Area.objects.select_for_update().defer("geometry").get(pk=area.pk)
    if (stored.name, stored.name_cy) == (name.strip(), name_cy.strip()):
        return stored
    stored.name, stored.name_cy = name.strip(), name_cy.strip()
    _refuse_control_characters(
        {"name": stored.name, "name_cy": stored.name_cy}, lines=("name", "name_cy")
    )
    stored.full_clean(exclude=["geometry", "min_lon", "min_lat", "max_lon", "max_lat"])
    stored.save(update_fields=["name", "name_cy", "updated_at"])
    return stored
