"""Polling districts get a name, a boundary and their station, from a district GeoJSON."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0002_polling_stations_and_addresses"),
    ]

    operations = [
        migrations.AddField(
            model_name="pollingdistrict",
            name="name",
            field=models.CharField(blank=True, max_length=200, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="pollingdistrict",
            name="boundary",
            field=models.JSONField(blank=True, null=True, verbose_name="boundary"),
        ),
        migrations.AddField(
            model_name="pollingdistrict",
            name="station_council_id",
            field=models.CharField(
                blank=True, max_length=100, verbose_name="council's station reference"
            ),
        ),
    ]
