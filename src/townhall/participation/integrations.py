"""What participation needs from other modules, behind small functions.

Each function is the one place that knows how another module is reached: core's services
and selectors, or an interface core declares and an optional module provides (evidence,
through the registry), so participation never imports the module behind it.
"""

from typing import Any

from django.urls import reverse

from townhall.core.registry import Evidence, registry
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


def dataset_cite(*, actor: Any, consultation: Any, dataset_slug: str) -> Evidence | None:
    """Record with the installed evidence provider (the open data catalogue) that a
    consultation cites one of its datasets, in the caller's transaction.

    Returns the dataset as `Evidence`, or None when no provider is installed or it does not
    have the dataset: the reference is then kept by slug and address only.
    """
    provider = registry.evidence_provider()
    if provider is None:
        return None
    evidence = provider.find(dataset_slug, user=actor)
    if evidence is None:
        return None
    provider.cite(
        evidence.key,
        cited_by_app="participation",
        cited_by_key=str(consultation.public_id),
        cited_by_title=consultation.title,
        cited_by_url=reverse("participation:consultation_detail", args=[consultation.slug]),
    )
    return evidence


def evidence_available() -> bool:
    """Whether a module offering evidence to cite (open data) is installed."""
    return registry.evidence_provider() is not None


def open_data_url(export_slug: str) -> str | None:
    """The open data catalogue's page for one of participation's exports, once it is
    published there; None when it is not, or when open data is not installed."""
    from django.apps import apps

    if not apps.is_installed("townhall.opendata"):
        return None
    from townhall.opendata.selectors import platform_dataset_url

    return platform_dataset_url(export_slug)
