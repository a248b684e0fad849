"""The one rule harvesting adds to publishing: a harvested dataset is edited at its source.

The manifest's object check says so to role holders; administrators and superusers pass
every object check in the permission gate, so the services ask this as well.
"""

from typing import Any

from townhall.core.permissions import PermissionDenied, require


def require_editable(actor: Any, action: str, dataset: Any) -> None:
    """Raise PermissionDenied unless `actor` may do `action` to `dataset` and the dataset
    was made here rather than harvested from another catalogue."""
    require(actor, action, dataset)
    if getattr(dataset, "harvest_source_id", None) is not None:
        raise PermissionDenied(action)
