"""Each load records the process running it, a heartbeat and its staging table, so that
the worker can tell a load killed midway from one still running (ADR 0038). Loads
recorded before this have none; one still "running" then is taken as stopped. A table
says whether its indexes are built, as a load now builds most of them once it is served."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("datastore", "0003_table_owner")]

    operations = [
        migrations.AddField(
            model_name="table",
            name="indexes_ready",
            field=models.BooleanField(
                default=True,
                help_text="False while the column and full-text indexes are built after a load.",
            ),
        ),
        migrations.AddField(
            model_name="ingest",
            name="owner",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="ingest",
            name="staging",
            field=models.CharField(
                blank=True, help_text="The table the running load is filling.", max_length=63
            ),
        ),
        migrations.AddField(
            model_name="ingest",
            name="host",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="ingest",
            name="pid",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="ingest",
            name="heartbeat_at",
            field=models.DateTimeField(
                blank=True, help_text="Renewed while the load runs; see _recovery.", null=True
            ),
        ),
    ]
