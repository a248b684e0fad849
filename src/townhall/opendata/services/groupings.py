"""Writes to the catalogue's groupings: publishers (CKAN's organizations) and themes (CKAN's
groups), for those who may set up the catalogue (`opendata.manage_catalogue`).

A grouping's short name (slug) is fixed once it is made: it is the `name` of
`organization_show` and `group_show`, a filter in the catalogue's addresses (`/data/?theme=`)
and part of the DCAT catalogue's URIs, which harvesters keep. Renaming is done on the name,
in English and Welsh. A change is followed at once by every dataset that names the grouping:
their "metadata updated" time moves on (CKAN's `metadata_modified`, DCAT's `dct:modified`,
so harvesters fetch them again) and the published ones are indexed again for site search.

A publisher or theme that any dataset uses (drafts and archived ones too) is not deleted:
the refusal says how many datasets use it, and they are moved first on their own pages.
Saves and deletes reach the audit log through core's signals.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townhall.core.languages import english_columns
from townhall.core.permissions import require
from townhall.core.services.search import search_index_update

from ..ids import as_uuid
from ..models import Dataset, Organisation, Theme

MANAGE_CATALOGUE = "opendata.manage_catalogue"

#: Short names a publisher or theme may not take: "new" is the address of the page that
#: adds one (/data/publish/publishers/new/).
RESERVED_GROUPING_SLUGS = frozenset({"new"})

#: What the publisher services take; `title` and `description` are the English.
ORGANISATION_FIELDS = ("title", "title_cy", "description", "description_cy", "email", "url")
THEME_FIELDS = ("title", "title_cy", "description", "description_cy")


@transaction.atomic
def organisation_create(*, actor: Any, title: str, slug: str = "", **fields: str) -> Organisation:
    """Add a publisher and return it. Without a `slug`, one is made from the English title.
    A slug another publisher has, a reserved one or one shaped like a UUID (the CKAN API
    reads those as ids) raises ValidationError on `slug`; so does bad text on its field."""
    require(actor, MANAGE_CATALOGUE)
    return _create(
        Organisation,
        slug=slug,
        values={"title": title, **_checked(fields, ORGANISATION_FIELDS)},
        taken=_("Another publisher already uses this short name."),
    )


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, **fields: str) -> Organisation:
    """Change a publisher's names, description, email or web page (fields not given keep
    their values; the slug cannot change). Its datasets follow the change."""
    require(actor, MANAGE_CATALOGUE, organisation)
    return _update(
        organisation,
        _checked(fields, ORGANISATION_FIELDS),
        Dataset.objects.filter(publisher=organisation),
        gone=_("This publisher has been deleted by someone else."),
    )


@transaction.atomic
def organisation_delete(*, actor: Any, organisation: Organisation) -> None:
    """Delete a publisher that no dataset names; ValidationError says how many do, or that
    it was already deleted."""
    require(actor, MANAGE_CATALOGUE, organisation)
    _lock(organisation, gone=_("This publisher has already been deleted."))
    used = Dataset.objects.filter(publisher=organisation).count()
    in_use = ngettext(
        "%(count)s dataset is published by %(name)s. Choose another publisher for it "
        "before you delete this one.",
        "%(count)s datasets are published by %(name)s. Choose another publisher for them "
        "before you delete this one.",
        used,
    ) % {"count": used, "name": organisation.title}
    if used:
        raise ValidationError(in_use, code="in_use")
    try:
        organisation.delete()
    except ProtectedError as error:  # a dataset was given this publisher meanwhile
        raise ValidationError(in_use, code="in_use") from error


@transaction.atomic
def theme_create(*, actor: Any, title: str, slug: str = "", **fields: str) -> Theme:
    """Add a theme and return it; the slug is made and checked as organisation_create's."""
    require(actor, MANAGE_CATALOGUE)
    return _create(
        Theme,
        slug=slug,
        values={"title": title, **_checked(fields, THEME_FIELDS)},
        taken=_("Another theme already uses this short name."),
    )


@transaction.atomic
def theme_update(*, actor: Any, theme: Theme, **fields: str) -> Theme:
    """Change a theme's names or description (the slug cannot change); its datasets follow."""
    require(actor, MANAGE_CATALOGUE, theme)
    return _update(
        theme,
        _checked(fields, THEME_FIELDS),
        Dataset.objects.filter(themes=theme),
        gone=_("This theme has been deleted by someone else."),
    )


@transaction.atomic
def theme_delete(*, actor: Any, theme: Theme) -> None:
    """Delete a theme that no dataset is filed under; ValidationError says how many are,
    or that it was already deleted."""
    require(actor, MANAGE_CATALOGUE, theme)
    _lock(theme, gone=_("This theme has already been deleted."))
    used = Dataset.objects.filter(themes=theme).count()
    if used:
        raise ValidationError(
            ngettext(
                "%(count)s dataset is filed under %(name)s. Take the theme off it before "
                "you delete the theme.",
                "%(count)s datasets are filed under %(name)s. Take the theme off them before "
                "you delete the theme.",
                used,
            )
            % {"count": used, "name": theme.title},
            code="in_use",
        )
    theme.delete()


# --- Set-up from code --------------------------------------------------------------------


@transaction.atomic
def organisation_ensure(*, slug: str, title: str, **fields: str) -> Organisation:
    """The publisher with this slug, added with these values when there is none. For set-up
    from code (the demo): it checks no permission and, with no staff actor, is not audited."""
    values = english_columns(
        Organisation, {"title": title, **_checked(fields, ORGANISATION_FIELDS)}
    )
    return Organisation.objects.get_or_create(slug=slug, defaults=values)[0]


@transaction.atomic
def theme_ensure(*, slug: str, title: str, **fields: str) -> Theme:
    """The theme with this slug, added when there is none (as organisation_ensure)."""
    values = english_columns(Theme, {"title": title, **_checked(fields, THEME_FIELDS)})
    return Theme.objects.get_or_create(slug=slug, defaults=values)[0]


# --- Internals ---------------------------------------------------------------------------


def _checked(fields: dict[str, str], allowed: tuple[str, ...]) -> dict[str, str]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    return {
        name: value.strip() if name.startswith("title") else value for name, value in fields.items()
    }


def _create(model: type[models.Model], *, slug: str, values: dict[str, str], taken: str):
    row = model(**english_columns(model, values))
    row.title_en_gb = (row.title_en_gb or "").strip()
    row.slug = slug or slugify(row.title_en_gb)[:100]
    # Text is checked before the slug is looked up: PostgreSQL refuses a query with NUL.
    _clean(row, exclude=["slug"])
    if not row.slug:
        raise ValidationError({"slug": _("Enter a short name of letters, numbers and hyphens.")})
    row.clean_fields(exclude=[field.name for field in model._meta.fields if field.name != "slug"])
    if row.slug in RESERVED_GROUPING_SLUGS or as_uuid(row.slug) is not None:
        raise ValidationError({"slug": _("This short name is kept for the site; choose another.")})
    if model.objects.filter(slug=row.slug).exists():
        raise ValidationError({"slug": taken})
    row.save()
    return row


def _update(row, fields: dict[str, str], datasets, *, gone: str):
    _lock(row, gone=gone)
    columns = english_columns(type(row), fields)
    before = {name: getattr(row, name) for name in columns}
    for name, value in columns.items():
        setattr(row, name, value)
    _clean(row, exclude=["slug"])
    if all(getattr(row, name) == value for name, value in before.items()):
        return row
    row.save()
    _datasets_follow(datasets)
    return row


def _lock(row, *, gone: str) -> None:
    """Hold the row until the transaction ends; ValidationError when it is gone."""
    if not type(row).objects.select_for_update().filter(pk=row.pk).exists():
        raise ValidationError(gone, code="gone")


def _clean(row, *, exclude: list[str]) -> None:
    """The model's own checks, with errors named as the services' arguments are (the
    English `title`, not its column `title_en_gb`)."""
    try:
        row.clean_fields(exclude=exclude)
    except ValidationError as error:
        raise ValidationError(
            {name.removesuffix("_en_gb"): problems for name, problems in error.error_dict.items()}
        ) from error


def _datasets_follow(datasets) -> None:
    """The datasets naming a changed publisher or theme: their metadata time moves on, so
    CKAN and DCAT harvesters fetch them again, and site search reads the new names."""
    ids = list(datasets.values_list("pk", flat=True))
    Dataset.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    published = (
        Dataset.objects.filter(pk__in=ids, status=Dataset.Status.PUBLISHED)
        .select_related("publisher")
        .prefetch_related("keywords")
    )
    for dataset in published:
        search_index_update("dataset", dataset)
