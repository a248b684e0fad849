"""The data catalogue: publishers, themes, datasets, their resources and every upload kept.

Public identifiers are UUIDs (the CKAN API and the DataStore use them); pages use slugs.
A resource's DataStore table is named by the resource's UUID.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core.text import multi_line_text, single_line_text

from .licences import DEFAULT_LICENCE, LICENCE_CHOICES


class Organisation(models.Model):
    """A council department or other body that publishes datasets (CKAN's organization)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    title = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), blank=True, validators=[multi_line_text])
    email = models.EmailField(_("contact email"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    """A subject area datasets are grouped by (CKAN's group)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    title = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), blank=True, validators=[multi_line_text])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Keyword(models.Model):
    """A free tag on datasets (CKAN's tag)."""

    name = models.CharField(
        _("keyword"), max_length=100, unique=True, validators=[single_line_text]
    )

    class Meta:
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    """A published collection of data with its metadata (CKAN's package, DCAT's Dataset)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Frequency(models.TextChoices):
        CONTINUOUS = "continuous", _("Continuously updated")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUAL = "annual", _("Annually")
        IRREGULAR = "irregular", _("Irregularly")
        ONE_OFF = "one-off", _("Once only")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown."), validators=[multi_line_text]
    )
    publisher = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("publisher"),
    )
    licence = models.CharField(
        _("licence"), max_length=40, choices=LICENCE_CHOICES, default=DEFAULT_LICENCE
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="datasets", verbose_name=_("themes")
    )
    keywords = models.ManyToManyField(
        Keyword, blank=True, related_name="datasets", verbose_name=_("keywords")
    )
    update_frequency = models.CharField(
        _("update frequency"), max_length=20, choices=Frequency, default=Frequency.IRREGULAR
    )
    temporal_start = models.DateField(_("covers from"), null=True, blank=True)
    temporal_end = models.DateField(_("covers to"), null=True, blank=True)
    spatial_coverage = models.CharField(
        _("area covered"), max_length=200, blank=True, validators=[single_line_text]
    )
    spatial_area_code = models.CharField(
        _("area code"),
        max_length=20,
        blank=True,
        help_text=_("An ONS GSS code, when known."),
        validators=[single_line_text],
    )
    contact_name = models.CharField(
        _("contact name"), max_length=200, blank=True, validators=[single_line_text]
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    transparency_code = models.CharField(
        _("Transparency Code dataset"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("The Local Government Transparency Code dataset this publishes, if any."),
    )
    platform_export = models.CharField(
        _("platform export"),
        max_length=100,
        blank=True,
        help_text=_("Set when the dataset is generated from another module's open data."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("metadata updated"), auto_now=True, db_index=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    last_updated = models.DateTimeField(
        _("data last updated"), null=True, blank=True, help_text=_("When new data was last added.")
    )
    harvest_source = models.ForeignKey(
        "HarvestSource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("harvested from"),
    )
    harvest_identifier = models.CharField(_("identifier at the source"), max_length=300, blank=True)
    harvest_url = models.URLField(_("page at the source"), max_length=1000, blank=True)
    harvest_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["harvest_source", "harvest_identifier"],
                condition=models.Q(harvest_source__isnull=False),
                name="opendata_dataset_harvested_once",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_harvested(self) -> bool:
        """Gathered from another catalogue: edited there, not here."""
        return self.harvest_source_id is not None


class Resource(models.Model):
    """One file or link in a dataset. Tabular uploads are also loaded into the DataStore."""

    class Format(models.TextChoices):
        CSV = "CSV", "CSV"
        TSV = "TSV", "TSV"
        XLSX = "XLSX", "XLSX"
        JSON = "JSON", "JSON"
        GEOJSON = "GeoJSON", "GeoJSON"
        PDF = "PDF", "PDF"
        HTML = "HTML", "HTML"
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="resources", verbose_name=_("dataset")
    )
    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), blank=True, validators=[multi_line_text])
    format = models.CharField(_("format"), max_length=10, choices=Format)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    position = models.PositiveIntegerField(default=0)
    current_version = models.ForeignKey(
        "ResourceVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The upload that is served: the newest one that loaded without failing."),
    )
    column_types = models.JSONField(
        _("column types"),
        default=dict,
        blank=True,
        help_text=_("Types the publisher chose for columns, overriding the inferred ones."),
    )
    datastore_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return self.name


class ColumnDescription(models.Model):
    """One entry of a resource's data dictionary: what a column of its table means.

    Keyed by the DataStore column's name, so an entry outlives new uploads that keep the
    column; the column's type is the table's (inferred or chosen), not repeated here.
    """

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="column_descriptions"
    )
    column = models.CharField(_("column"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[single_line_text])
    description = models.TextField(_("description"), blank=True, validators=[multi_line_text])
    unit = models.CharField(_("unit"), max_length=50, blank=True, validators=[single_line_text])

    class Meta:
        verbose_name = _("column description")
        verbose_name_plural = _("column descriptions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "column"], name="opendata_column_once")
        ]

    def __str__(self) -> str:
        return self.column

    @property
    def is_money(self) -> bool:
        """Pounds: a unit of "£" or "GBP" shows the column's numbers as money."""
        return self.unit.strip().upper() in MONEY_UNITS


MONEY_UNITS = frozenset({"£", "GBP"})


def _version_upload_to(version: "ResourceVersion", filename: str) -> str:
    # Every version lives in its own folder, so no upload can overwrite an older one.
    return f"opendata/{version.resource_id}/{version.id}/{filename}"


class ResourceVersion(models.Model):
    """One uploaded file of a resource. Versions are kept; none is ever overwritten.

    A version of a published dataset whose load found problems is "held": loaded but not
    served until a publisher publishes it (services.version_publish) or discards it.
    """

    class Ingest(models.TextChoices):
        NOT_TABULAR = "not_tabular", _("Not loaded (not a table)")
        WAITING = "waiting", _("Waiting to load")
        RUNNING = "running", _("Loading")
        DONE = "done", _("Loaded")
        FAILED = "failed", _("Failed to load")
        HELD = "held", _("Loaded with problems, waiting for you to confirm")
        DISCARDED = "discarded", _("Not published")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    file = models.FileField(_("file"), upload_to=_version_upload_to, max_length=500)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ingest_status = models.CharField(
        _("loading"), max_length=20, choices=Ingest, default=Ingest.NOT_TABULAR
    )
    ingest_key = models.CharField(max_length=100, blank=True)
    ingest_message = models.TextField(blank=True)
    row_count = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"


class Citation(models.Model):
    """A place in another module (a decision, a report) that cites a dataset as evidence.

    A citation may point at the whole dataset, one resource, or a saved filtered view of
    a resource (`filters`, as the DataStore's filters), or a chart of one (`chart`, the
    preview's chart settings). `view_key` makes one module's
    citation of one view unique, so citing twice changes nothing.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="citations")
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    filters = models.JSONField(default=dict, blank=True)
    chart = models.JSONField(default=dict, blank=True)
    view_key = models.CharField(max_length=64)
    cited_by_app = models.CharField(max_length=50)
    cited_by_key = models.CharField(max_length=100)
    cited_by_title = models.CharField(max_length=300)
    cited_by_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "view_key", "cited_by_app", "cited_by_key"],
                name="opendata_citation_unique_per_citer",
            )
        ]

    def __str__(self) -> str:
        return self.cited_by_title


class ApiToken(models.Model):
    """A secret a publisher's script sends as `Authorization: Token <secret>`.

    Only a SHA-256 hash of the secret is stored; the secret is shown once, when made.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opendata_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class HarvestSource(models.Model):
    """Another catalogue (a CKAN API or a DCAT document) whose datasets Townhall gathers.

    Harvested datasets are filed under `publisher`, link to the source's files rather than
    copying them, and are edited only at their source (ADR 0033).
    """

    class Kind(models.TextChoices):
        CKAN = "ckan", _("CKAN API")
        DCAT = "dcat", _("DCAT catalogue (RDF/XML, Turtle or JSON-LD)")

    class Schedule(models.TextChoices):
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week")
        MANUAL = "manual", _("Only when asked")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    kind = models.CharField(_("type of catalogue"), max_length=10, choices=Kind)
    url = models.URLField(_("address"), max_length=1000, unique=True)
    organisation_filter = models.CharField(
        _("only this organisation"),
        max_length=100,
        blank=True,
        help_text=_("CKAN only: the short name of one organisation to gather from."),
        validators=[single_line_text],
    )
    publisher = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="harvest_sources",
        verbose_name=_("file datasets under"),
    )
    schedule = models.CharField(
        _("how often"), max_length=10, choices=Schedule, default=Schedule.DAILY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the last run that finished started.")
    )
    last_full_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class HarvestRun(models.Model):
    """One gathering of a source's datasets, and its report."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        STOPPED = "stopped", _("Stopped")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="runs")
    full = models.BooleanField(_("full run"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.WAITING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    #: Each a list of {"identifier", "title"} (and "reason" for refused); errors are strings.
    added = models.JSONField(default=list, blank=True)
    changed = models.JSONField(default=list, blank=True)
    removed = models.JSONField(default=list, blank=True)
    refused = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("harvest run")
        verbose_name_plural = _("harvest runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.created_at:%Y-%m-%d %H:%M}"
