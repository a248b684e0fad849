"""Indexes for the audit log's staff pages: keyset paging by (created_at, id), newest first,
alone or filtered by type of thing or operation. Adding an index leaves the table (and the
append-only triggers of 0002) as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_pages_in_welsh_and_subscriptions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["created_at", "id"], name="audit_newest"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                fields=["object_type", "created_at", "id"], name="audit_type_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                fields=["operation", "created_at", "id"], name="audit_operation_newest"
            ),
        ),
    ]
