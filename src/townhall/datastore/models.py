"""Bookkeeping for DataStore tables. The rows themselves live in physical tables `ds_<hex>_<n>`.

A `Table`'s id is the public id other modules give it (open data uses its resource's UUID).
`physical_name` points at the table currently served; an ingest builds a new physical table
and moves the pointer in one transaction, so readers see the old rows or the new, never half.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Table(models.Model):
    """A served DataStore table: its columns (in order, with types) and cached row count."""

    id = models.UUIDField(primary_key=True)
    physical_name = models.CharField(max_length=63, unique=True)
    owner = models.CharField(
        max_length=100,
        help_text=_("The app label of the module that loads the table and says who reads it."),
    )
    columns = models.JSONField(
        default=list, help_text=_("[{id, type, label}] in file order; ids are column names.")
    )
    full_text = models.BooleanField(default=False)
    indexes_ready = models.BooleanField(
        default=True,
        help_text=_("False while the column and full-text indexes are built after a load."),
    )
    paired_indexes = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "[[filtered column, sorted column]] indexed together, learned from the pages "
            "asked for; every load builds them again (ADR 0025)."
        ),
    )
    row_count = models.PositiveBigIntegerField(default=0)
    generation = models.PositiveIntegerField(
        default=0, help_text=_("Raised by every load; invalidates cached totals and cursors.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("DataStore table")
        verbose_name_plural = _("DataStore tables")

    def __str__(self) -> str:
        return str(self.id)


class Ingest(models.Model):
    """One attempt to load a file into a table, with its report. Failed attempts are kept too.

    A load asked to hold its table when it finds problems ends "held": its `staging` table
    is complete and indexed but not served until `services.held_release` (ADR 0037).
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("Loaded")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Loaded, held until its owner releases it")
        DISCARDED = "discarded", _("Loaded, then discarded unserved")

    table_id = models.UUIDField(db_index=True)
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status, default=Status.RUNNING)
    report = models.JSONField(default=dict)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    owner = models.CharField(max_length=100, blank=True)
    staging = models.CharField(
        max_length=63, blank=True, help_text=_("The table the running load is filling.")
    )
    columns = models.JSONField(
        default=list,
        blank=True,
        help_text=_("The columns a held load's table is served with once it is released."),
    )
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Renewed while the load runs; see _recovery.")
    )

    class Meta:
        verbose_name = _("DataStore ingest")
        verbose_name_plural = _("DataStore ingests")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["table_id", "-started_at"], name="datastore_ingest_latest")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"
