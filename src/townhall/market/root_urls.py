"""Open contracting data at the addresses OCDS publishers use, at the site's root in every
language: release packages and record packages, all or one process (ocid)."""

from django.urls import path

from .views_ocds import record, records, release, releases

urlpatterns = [
    path("ocds/releases", releases, name="market-ocds-releases"),
    path("ocds/releases/<str:ocid>", release, name="market-ocds-release"),
    path("ocds/records", records, name="market-ocds-records"),
    path("ocds/records/<str:ocid>", record, name="market-ocds-record"),
]
