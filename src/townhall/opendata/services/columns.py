"""Writes to a resource's data dictionary: what each column of its table means."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from townhall.core.languages import english_columns
from townhall.core.text import multi_line_text, single_line_text

from ..harvest.guard import require_editable
from ..models import ColumnDescription, Resource

FIELDS = ("title", "title_cy", "description", "description_cy", "unit")
SINGLE_LINE = ("title", "title_cy", "unit")


def resource_describe_columns(
    *, actor: Any, resource: Resource, columns: list[str], entries: Mapping[str, Mapping[str, str]]
) -> list[ColumnDescription]:
    """Save the data dictionary of the resource's table and return its entries.

    `columns` are the table's column names; `entries` maps a column name to its `title`,
    `title_cy`, `description`, `description_cy` and `unit`. A column left all blank loses
    its entry. Each saved or removed entry reaches the audit log through core's signals.
    Raises ValidationError, storing nothing, for a column the table does not have or text
    that is not allowed.
    """
    require_editable(actor, "opendata.edit_dataset", resource.dataset)
    unknown = sorted(set(entries) - set(columns))
    if unknown:
        raise ValidationError(
            {"columns": _("The table has no column called %(name)s.") % {"name": unknown[0]}}
        )
    cleaned = {
        column: english_columns(ColumnDescription, _cleaned(column, values))
        for column, values in entries.items()
    }
    existing = {entry.column: entry for entry in resource.column_descriptions.all()}
    saved = []
    with transaction.atomic():
        for column, values in cleaned.items():
            entry = existing.get(column)
            if not any(values.values()):
                if entry is not None:
                    entry.delete()
                continue
            entry = entry or ColumnDescription(resource=resource, column=column)
            if entry.pk is None or any(getattr(entry, k) != v for k, v in values.items()):
                # Unchanged entries are not saved, so the audit log lists real changes.
                for name, value in values.items():
                    setattr(entry, name, value)
                entry.save()
            saved.append(entry)
    return saved


def _cleaned(column: str, values: Mapping[str, str]) -> dict[str, str]:
    cleaned = {name: (values.get(name) or "").strip() for name in FIELDS}
    for name, value in cleaned.items():
        check = single_line_text if name in SINGLE_LINE else multi_line_text
        try:
            check(value)
        except ValidationError as error:
            raise ValidationError({f"{column}:{name}": error.messages}) from error
    return cleaned
