"""The Open Referral UK 3.0 API, at /openreferral/ in every language (a standard's path)."""

from django.urls import path

from . import openreferral

urlpatterns = [
    path("openreferral/", openreferral.api_root, name="inclusion-or-root"),
    path("openreferral/services", openreferral.services, name="inclusion-or-services"),
    path("openreferral/services/<uuid:pk>", openreferral.service, name="inclusion-or-service"),
    path(
        "openreferral/service_at_locations",
        openreferral.service_at_locations,
        name="inclusion-or-service-at-locations",
    ),
    path(
        "openreferral/service_at_locations/<uuid:pk>",
        openreferral.service_at_location,
        name="inclusion-or-service-at-location",
    ),
    path("openreferral/taxonomies", openreferral.taxonomies, name="inclusion-or-taxonomies"),
    path("openreferral/taxonomies/<uuid:pk>", openreferral.taxonomy, name="inclusion-or-taxonomy"),
    path(
        "openreferral/taxonomy_terms",
        openreferral.taxonomy_terms,
        name="inclusion-or-taxonomy-terms",
    ),
    path(
        "openreferral/taxonomy_terms/<uuid:pk>",
        openreferral.taxonomy_term,
        name="inclusion-or-taxonomy-term",
    ),
    path(
        "openreferral/organizations",
        openreferral.organizations,
        name="inclusion-or-organizations",
    ),
    path(
        "openreferral/organizations/<uuid:pk>",
        openreferral.organization,
        name="inclusion-or-organization",
    ),
]
