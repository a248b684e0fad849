"""The database-specific full-text index behind site search (FTS5 on SQLite, GIN on PostgreSQL)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0003_council_pages")]

    operations = []
