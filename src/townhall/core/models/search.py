from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One published thing in the site search index.

    The full-text index itself is database-specific (an FTS5 table on SQLite, a GIN
    index over a tsvector on PostgreSQL) and is built by migration 0002; see
    core.services.search for the one interface over both.
    """

    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=100)
    language = models.CharField(max_length=8, default="en-gb")
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "language"], name="search_entry_unique")
        ]

    def __str__(self) -> str:
        return self.title
