from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A ward, the council's own boundary, or another area, with its GeoJSON boundary.

    Boundaries are kept as GeoJSON (WGS84) and tested with shapely; the bounding box
    columns let the database discard most areas before any geometry is read.
    """

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        WARD = "ward", _("Ward")
        PARISH = "parish", _("Parish")
        DIVISION = "division", _("Electoral division")
        POLLING_DISTRICT = "polling_district", _("Polling district")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    # Made from the English name when the area is first imported and kept through renames,
    # so that a ward page's address (/wards/<slug>/) never breaks.
    slug = models.SlugField(_("address"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, db_index=True)
    geometry = models.JSONField(_("boundary (GeoJSON)"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "slug"], condition=~Q(slug=""), name="core_area_unique_slug"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A postcode from the ONS Postcode Directory: where it is and which areas it is in."""

    postcode = models.CharField(_("postcode"), max_length=8, unique=True)
    latitude = models.FloatField(_("latitude"), null=True)
    longitude = models.FloatField(_("longitude"), null=True)
    local_authority_code = models.CharField(_("local authority code"), max_length=9, db_index=True)
    ward_code = models.CharField(_("ward code"), max_length=9, blank=True, db_index=True)
    terminated = models.DateField(_("terminated"), null=True, blank=True)

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode


class Address(models.Model):
    """A property address with its Unique Property Reference Number."""

    uprn = models.CharField(_("UPRN"), max_length=12, unique=True)
    address = models.CharField(_("address"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=8, db_index=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["postcode", "address"]

    def __str__(self) -> str:
        return self.address
