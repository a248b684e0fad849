"""What participation needs from other modules, behind small functions.

Each function is the one place that knows how another module is reached, so when the
open data module's evidence services land (or change) only this file moves.
"""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import reverse

from townhall.core.selectors import geography as geography_selectors
from townhall.core.services import geography as geography_services


def ward_choices() -> list[tuple[str, str]]:
    """(code, name) of every ward, for "wards affected" and the analysis by ward."""
    return [
        (area.code, geography_selectors.area_name(area)) for area in geography_selectors.wards()
    ]


def ward_names() -> dict[str, str]:
    return dict(ward_choices())


def normalise_postcode(text: str) -> str:
    """The postcode in standard form; ValueError (with a message) when it cannot be one."""
    try:
        return geography_services.normalise_postcode(text)
    except geography_services.PostcodeError as error:
        raise ValueError(str(error.message)) from None


def ward_for_postcode(postcode: str) -> str:
    """The code of the ward a postcode is in, or "" when it is unknown or outside the council."""
    try:
        return geography_services.find_by_postcode(postcode).ward_code
    except geography_services.PostcodeError:
        return ""


def _opendata(part: str) -> Any | None:
    if not apps.is_installed("townhall.opendata"):
        return None
    try:
        return import_module(f"townhall.opendata.{part}")
    except ImportError:
        return None


def dataset_cite(*, actor: Any, consultation: Any, dataset_slug: str) -> dict[str, str] | None:
    """Record in the open data catalogue that a consultation cites one of its datasets.

    Returns {"title", "url"} of the catalogue's dataset, or None when the catalogue does
    not have it (or the open data module is not installed): the reference is then kept
    by slug and address only, and shown as such.
    """
    opendata_selectors = _opendata("selectors")
    opendata_services = _opendata("services")
    if opendata_selectors is None or opendata_services is None:
        return None
    dataset = opendata_selectors.dataset_by_id_or_name(dataset_slug, user=actor)
    if dataset is None:
        return None
    opendata_services.evidence_cite(
        dataset_id=dataset.pk,
        cited_by_app="participation",
        cited_by_key=str(consultation.public_id),
        cited_by_title=consultation.title,
        cited_by_url=reverse("participation:consultation_detail", args=[consultation.slug]),
    )
    return {
        "title": dataset.title,
        "url": opendata_selectors.saved_view_url(dataset_id=dataset.pk),
    }
