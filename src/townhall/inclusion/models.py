"""The directory of digital help, in the shape of Open Referral UK 3.0 (the UK profile of
the Human Services Data Specification): organisations run services, offered at locations
(service at location), with contacts and phones, opening times (schedules, regular and
holiday closures), taxonomy terms, costs, languages and accessibility.

Every record has a UUID (the standard's id) and keeps its `source`: "townhall" for what
officers write here, or the address of the feed it was imported from. Only published
services are served to residents and to the API.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: The source of records written in Townhall itself (imports name their feed instead).
LOCAL_SOURCE = "townhall"


class _Record(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(_("source"), max_length=300, default=LOCAL_SOURCE)

    class Meta:
        abstract = True


class Taxonomy(_Record):
    """A vocabulary of terms (ours: the taxonomy of digital help)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    uri = models.URLField(_("address"), blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(_Record):
    """One kind of help (`free-wifi`), perhaps under a broader one (`skills-courses`)."""

    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.CASCADE, related_name="terms", verbose_name=_("taxonomy")
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("broader term"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Organization(_Record):
    """Who runs services: a library service, a school, a voluntary group, the job centre."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    last_modified = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(_Record):
    """A kind of help an organisation gives (free Wi-Fi, a device loan scheme, a class)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    eligibility = models.TextField(_("who can use it"), blank=True)
    alert = models.TextField(_("alert"), blank=True)
    terms = models.ManyToManyField(
        TaxonomyTerm, related_name="services", blank=True, verbose_name=_("kinds of help")
    )
    last_confirmed = models.DateField(_("last confirmed"), null=True, blank=True)
    last_modified = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        # No index on `state`: with one, SQLite's planner starts "help near me" from every
        # published service instead of from the places in the search circle (ADR 0100).

    def __str__(self) -> str:
        return self.name


class Location(_Record):
    """A place where help is given, with its address and position."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="locations",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("how to get there"), blank=True)
    address_1 = models.CharField(_("address"), max_length=200)
    address_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("town or city"), max_length=100)
    postal_code = models.CharField(_("postcode"), max_length=10)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    ward_code = models.CharField(_("ward code"), max_length=20, blank=True, db_index=True)
    uprn = models.CharField(_("UPRN"), max_length=12, blank=True)
    last_modified = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="inclusion_location_point")]

    def __str__(self) -> str:
        return self.name


class Accessibility(_Record):
    """What the location offers people with disabilities (step-free access, a hearing loop)."""

    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="accessibility",
        verbose_name=_("location"),
    )
    description = models.CharField(_("description"), max_length=300)
    details = models.TextField(_("details"), blank=True)

    class Meta:
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility")
        ordering = ["description"]

    def __str__(self) -> str:
        return self.description


class ServiceAtLocation(_Record):
    """A service given at a location; its opening times are its schedules."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="at_locations", verbose_name=_("service")
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="services_here",
        verbose_name=_("location"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")
        ordering = ["service__name", "location__name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="inclusion_one_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Schedule(_Record):
    """Regular weekly opening (`byday` "MO,WE", opens and closes) or a holiday closure
    (closed from `valid_from` to `valid_to`), of a service at one location."""

    class Kind(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        related_name="schedules",
        verbose_name=_("service at location"),
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind, default=Kind.OPEN)
    byday = models.CharField(_("days"), max_length=20, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["kind", "opens_at", "valid_from"]
        # No index on (kind, opens_at): SQLite's planner would prefer it to the index on
        # service_at_location in "open now", reading every schedule for every place.

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"


class Contact(_Record):
    """Someone to ask about a service."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("service")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.title


class Phone(_Record):
    """A telephone number for a service (or one of its contacts)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="phones", verbose_name=_("service")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        related_name="phones",
        null=True,
        blank=True,
        verbose_name=_("contact"),
    )
    number = models.CharField(_("number"), max_length=30)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class CostOption(_Record):
    """What the service costs (`amount` 0 is free)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="cost_options", verbose_name=_("service")
    )
    option = models.CharField(_("option"), max_length=200)
    amount = models.DecimalField(
        _("amount (£)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    amount_description = models.CharField(_("about the amount"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")
        ordering = ["amount", "option"]

    def __str__(self) -> str:
        return self.option


class Language(_Record):
    """A language the service is given in (ISO 639-1 code)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="languages", verbose_name=_("service")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=10)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="inclusion_language_once")
        ]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """A partner's account, allowed to keep an organisation's entries up to date (a
    library service's staff, a school's office, a voluntary group's volunteer)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="directory_partnerships",
        verbose_name=_("account"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["organization__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="inclusion_partner_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.organization}"


class ChangeRequest(models.Model):
    """Changes a partner proposed to one of its services, waiting for an officer's review.

    `proposed` holds the new details and `based_on` the details as they were when the
    partner proposed them (both in the shape of `selectors.entry_details`): an officer
    sees the difference, and an approval is refused when the entry changed since.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="changes", verbose_name=_("service")
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    proposed = models.JSONField(_("proposed details"))
    based_on = models.JSONField(_("details when proposed"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("change to an entry")
        verbose_name_plural = _("changes to entries")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(state="pending"),
                name="inclusion_one_pending_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.state})"


class StaleReminder(models.Model):
    """That an organisation's partners were reminded a service's details need confirming,
    once for each date it was last confirmed (`period`: that date, or "never")."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("service")
    )
    period = models.CharField(_("last confirmed"), max_length=10)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder to confirm")
        verbose_name_plural = _("reminders to confirm")
        constraints = [
            models.UniqueConstraint(fields=["service", "period"], name="inclusion_remind_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.period}"


# The digital exclusion risk index (ADR 0104-0106) -----------------------------------------


class SmallArea(models.Model):
    """A lower layer super output area (LSOA): the small area the risk index scores.

    `indicators` holds the latest imported value of each indicator by its code
    (risk_scoring.INDICATORS); an indicator the area has no value for is absent.
    The centroid is where "help within walking distance" is measured from.
    """

    code = models.CharField(_("code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    ward_code = models.CharField(_("ward code"), max_length=20, blank=True, db_index=True)
    geometry = models.JSONField(_("boundary (GeoJSON)"))
    centroid_latitude = models.FloatField(_("centroid latitude"))
    centroid_longitude = models.FloatField(_("centroid longitude"))
    indicators = models.JSONField(_("indicators"), default=dict, blank=True)

    class Meta:
        verbose_name = _("small area")
        verbose_name_plural = _("small areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RiskImport(models.Model):
    """One import of boundaries or indicators: who, when, from what, and what it did."""

    class Kind(models.TextChoices):
        BOUNDARIES = "boundaries", _("Small area boundaries")
        INDICATORS = "indicators", _("Indicators")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    source = models.CharField(_("source"), max_length=300)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("risk index import")
        verbose_name_plural = _("risk index imports")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.source}"


class RiskWeights(models.Model):
    """One version of the weights of the index's three components. The newest is in
    force; earlier ones are kept so that scores published with them can be explained."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    demography = models.DecimalField(_("demography"), max_digits=5, decimal_places=2)
    broadband = models.DecimalField(_("broadband"), max_digits=5, decimal_places=2)
    deprivation = models.DecimalField(_("deprivation"), max_digits=5, decimal_places=2)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("risk index weights")
        verbose_name_plural = _("risk index weights")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"
