"""Writes to the catalogue: datasets and their publication state (publishers and themes are
in groupings.py)."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townhall.core import audit
from townhall.core.languages import english_columns, welsh_required_message
from townhall.core.permissions import require
from townhall.core.services.search import search_index_update
from townhall.core.text import single_line_text
from townhall.datastore import services as datastore

from ..harvest.guard import require_editable
from ..licences import LICENCES_BY_ID
from ..models import Dataset, Keyword, Organisation, Theme
from ..selectors import load_problems

#: Dataset fields a publisher may set through dataset_create / dataset_update.
EDITABLE_FIELDS = (
    "title",
    "title_cy",
    "description",
    "description_cy",
    "publisher",
    "licence",
    "update_frequency",
    "temporal_start",
    "temporal_end",
    "spatial_coverage",
    "spatial_area_code",
    "contact_name",
    "contact_email",
    "transparency_code",
)


#: Words a dataset's slug may not be, because they are pages of their own under /data/ or
#: /data/publish/ (the publishing pages of a dataset are /data/publish/<slug>/).
RESERVED_SLUGS = frozenset(
    {
        "publish",
        "platform",
        "transparency",
        "catalog",
        "api",
        "new",
        "tokens",
        "publishers",
        "themes",
        "harvest",
    }
)


def unique_slug(model, text: str, *, fallback: str = "item") -> str:
    """A slug made from `text` that no row of `model` uses yet ("spend", "spend-2", ...)."""
    base = slugify(text)[:90] or fallback
    if base in RESERVED_SLUGS:
        base = f"{base}-data"
    candidate, number = base, 1
    while model.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def dataset_create(
    *,
    actor: Any,
    title: str,
    publisher: Organisation,
    slug: str = "",
    themes: Iterable[Theme] = (),
    keywords: Iterable[str] = (),
    **fields: Any,
) -> Dataset:
    """Create a draft dataset and return it.

    Submitting the same form twice must not make two datasets: when no slug is given and
    the slug made from the title belongs to a draft this person made with the same title
    and publisher, that draft is returned unchanged. A slug given explicitly must be free.
    """
    require(actor, "opendata.edit_dataset")
    _check_fields(fields)
    keywords = _checked_keywords(keywords)
    dataset = Dataset(
        slug=slug,
        publisher=publisher,
        created_by=actor if getattr(actor, "pk", None) else None,
        **english_columns(Dataset, {"title": title.strip(), **fields}),
    )
    # Checked before the title or slug is looked up: PostgreSQL refuses a query with NUL.
    dataset.clean_fields(exclude=[] if slug else ["slug"])
    if slug:
        if slug in RESERVED_SLUGS or Dataset.objects.filter(slug=slug).exists():
            raise ValidationError({"slug": _("Another dataset already uses this short name.")})
    else:
        duplicate = Dataset.objects.filter(
            slug=slugify(dataset.title_en_gb)[:90],
            title_en_gb=dataset.title_en_gb,
            publisher=publisher,
            created_by=dataset.created_by,
            status=Dataset.Status.DRAFT,
        ).first()
        if duplicate is not None:
            return duplicate
        dataset.slug = unique_slug(Dataset, dataset.title_en_gb, fallback="dataset")
    dataset.full_clean()
    dataset.save()
    dataset.themes.set(themes)
    _set_keywords(dataset, keywords)
    return dataset


@transaction.atomic
def dataset_update(
    *,
    actor: Any,
    dataset: Dataset,
    themes: Iterable[Theme] | None = None,
    keywords: Iterable[str] | None = None,
    **fields: Any,
) -> Dataset:
    """Change a dataset's metadata; fields not given keep their values."""
    require_editable(actor, "opendata.edit_dataset", dataset)
    _check_fields(fields)
    keywords = None if keywords is None else _checked_keywords(keywords)
    for name, value in english_columns(Dataset, fields).items():
        setattr(dataset, name, value.strip() if name.startswith("title") else value)
    dataset.full_clean(exclude=["slug"])
    dataset.save()
    if themes is not None:
        dataset.themes.set(themes)
    if keywords is not None:
        _set_keywords(dataset, keywords)
    search_index_update("dataset", dataset)
    return dataset


@transaction.atomic
def dataset_publish(*, actor: Any, dataset: Dataset, confirm_problems: bool = False) -> Dataset:
    """Make a dataset public: listed, readable through every API, in site search.

    When the load of any of its tables found problems (cells that did not fit their
    column's type, ragged rows), the publisher must have seen them: without
    `confirm_problems` a ValidationError on `confirm_problems` (code "unconfirmed_problems")
    says how many there are, and nothing changes. The audit entry records the count confirmed.
    """
    return _change_status(
        actor=actor,
        dataset=dataset,
        status=Dataset.Status.PUBLISHED,
        action="opendata.publish",
        confirm_problems=confirm_problems,
    )


@transaction.atomic
def dataset_unpublish(*, actor: Any, dataset: Dataset) -> Dataset:
    """Take a dataset back to draft: it disappears from the catalogue and the APIs."""
    return _change_status(
        actor=actor, dataset=dataset, status=Dataset.Status.DRAFT, action="opendata.unpublish"
    )


@transaction.atomic
def dataset_archive(*, actor: Any, dataset: Dataset) -> Dataset:
    """Keep a dataset readable at its address but out of the catalogue's lists."""
    return _change_status(
        actor=actor, dataset=dataset, status=Dataset.Status.ARCHIVED, action="opendata.archive"
    )


def _change_status(
    *, actor: Any, dataset: Dataset, status: str, action: str, confirm_problems: bool = False
) -> Dataset:
    require_editable(actor, "opendata.publish_dataset", dataset)
    if dataset.status == status:
        return dataset
    after: dict[str, Any] = {"status": status}
    if status == Dataset.Status.PUBLISHED:
        _check_publishable(dataset)
        confirmed = _check_problems_confirmed(dataset, confirm_problems)
        if confirmed:
            after["problems_confirmed"] = confirmed
    before = {"status": dataset.status}
    dataset.status = status
    if status == Dataset.Status.PUBLISHED and dataset.published_at is None:
        dataset.published_at = timezone.now()
    # A status change is recorded once, as the named action, not also as a plain save.
    with audit.acting_as(None):
        dataset.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        actor=actor,
        operation="action",
        action=action,
        instance=dataset,
        before=before,
        after=after,
    )
    search_index_update("dataset", dataset)
    datastore.sql_access_refresh(table_ids=dataset.resources.values_list("pk", flat=True))
    return dataset


def _check_publishable(dataset: Dataset) -> None:
    """Refuse to publish a Transparency Code dataset whose data does not meet its schema,
    or, when the council requires Welsh, a dataset whose Welsh is missing."""
    from ..transparency import check_publishable

    problems = check_publishable(dataset)
    welsh = welsh_required_message(
        [
            (dataset, ("title", "description")),
            *((resource, ("name", "description")) for resource in dataset.resources.all()),
        ]
    )
    if welsh:
        problems = [*problems, welsh]
    if problems:
        raise ValidationError({"status": [str(problem) for problem in problems]})


def _check_problems_confirmed(dataset: Dataset, confirmed: bool) -> int:
    """Refuse to publish data loaded with problems unless the publisher confirmed seeing
    them; return how many there are."""
    total = sum(found.total for found in load_problems(dataset))
    if total and not confirmed:
        raise unconfirmed_problems(total)
    return total


def unconfirmed_problems(total: int) -> ValidationError:
    """The refusal to publish data loaded with `total` problems that nobody confirmed
    (on the field `confirm_problems`, code "unconfirmed_problems")."""
    return ValidationError(
        {
            "confirm_problems": [
                ValidationError(
                    ngettext(
                        "The data was loaded with %(count)s problem. Check it, then "
                        "confirm that you want to publish it as it is.",
                        "The data was loaded with %(count)s problems. Check them, then "
                        "confirm that you want to publish it as it is.",
                        total,
                    )
                    % {"count": f"{total:,}"},
                    code="unconfirmed_problems",
                )
            ]
        }
    )


def dataset_touch(*, dataset: Dataset, when=None) -> None:
    """Record that the dataset's data changed (a version loaded), for 'last updated'."""
    Dataset.objects.filter(pk=dataset.pk).update(
        last_updated=when or timezone.now(), updated_at=timezone.now()
    )


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable dataset fields: {', '.join(sorted(unknown))}")
    licence = fields.get("licence")
    if licence is not None and licence not in LICENCES_BY_ID:
        raise ValidationError({"licence": _("Choose a licence from the list.")})
    start, end = fields.get("temporal_start"), fields.get("temporal_end")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise ValidationError(
            {"temporal_end": _("The end of the period must be on or after its start.")}
        )


def _checked_keywords(keywords: Iterable[str]) -> list[str]:
    """The keywords, refused (as the field "keywords") when one holds a control character;
    Keyword rows are made with get_or_create, which runs no validators."""
    keywords = [str(keyword) for keyword in keywords]
    try:
        for keyword in keywords:
            single_line_text(keyword)
    except ValidationError as error:
        raise ValidationError({"keywords": error.messages}) from error
    return keywords


def _set_keywords(dataset: Dataset, keywords: Iterable[str]) -> None:
    names = []
    for keyword in keywords:
        name = " ".join(str(keyword).split())[:100]
        if name and name.lower() not in (n.lower() for n in names):
            names.append(name)
    objects = [Keyword.objects.get_or_create(name=name)[0] for name in names]
    dataset.keywords.set(objects)
