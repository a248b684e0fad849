"""Who may read a resource's DataStore table: everyone once its dataset is public.

The DataStore knows tables by id only; it asks the check open data's manifest declares
(`datastore_readers`) whether a person may read one of the tables open data loads. A table whose resource the catalogue does
not know is not readable; a draft's table only by those who may edit the dataset.
"""

from typing import Any

from townhall.core.permissions import can


def table_readable(table_id: Any, user: Any) -> bool:
    """True when the resource's dataset is published or archived, or the person may edit it."""
    from .ids import as_uuid
    from .models import Dataset, Resource

    resource = Resource.objects.filter(pk=as_uuid(table_id)).select_related("dataset").first()
    if resource is None:
        return False
    if resource.dataset.status != Dataset.Status.DRAFT:
        return True
    return can(user, "opendata.edit_dataset", resource.dataset)
