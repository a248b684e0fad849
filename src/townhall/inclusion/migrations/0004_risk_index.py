"""The digital exclusion risk index: small areas (LSOAs) with their indicators, the record
of each import, and the versions of the components' weights (ADR 0104-0106)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inclusion", "0003_partners"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SmallArea",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=9, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "name_cy",
                    models.CharField(blank=True, max_length=200, verbose_name="name in Welsh"),
                ),
                (
                    "ward_code",
                    models.CharField(
                        blank=True, db_index=True, max_length=20, verbose_name="ward code"
                    ),
                ),
                ("geometry", models.JSONField(verbose_name="boundary (GeoJSON)")),
                ("centroid_latitude", models.FloatField(verbose_name="centroid latitude")),
                ("centroid_longitude", models.FloatField(verbose_name="centroid longitude")),
                (
                    "indicators",
                    models.JSONField(blank=True, default=dict, verbose_name="indicators"),
                ),
            ],
            options={
                "verbose_name": "small area",
                "verbose_name_plural": "small areas",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="RiskImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("boundaries", "Small area boundaries"),
                            ("indicators", "Indicators"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("source", models.CharField(max_length=300, verbose_name="source")),
                (
                    "file_name",
                    models.CharField(blank=True, max_length=200, verbose_name="file name"),
                ),
                (
                    "imported_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="imported at"
                    ),
                ),
                ("rows", models.PositiveIntegerField(default=0, verbose_name="rows")),
                ("summary", models.JSONField(blank=True, default=dict, verbose_name="summary")),
                (
                    "imported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="imported by",
                    ),
                ),
            ],
            options={
                "verbose_name": "risk index import",
                "verbose_name_plural": "risk index imports",
                "ordering": ["-imported_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="RiskWeights",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(unique=True, verbose_name="version")),
                (
                    "demography",
                    models.DecimalField(decimal_places=2, max_digits=5, verbose_name="demography"),
                ),
                (
                    "broadband",
                    models.DecimalField(decimal_places=2, max_digits=5, verbose_name="broadband"),
                ),
                (
                    "deprivation",
                    models.DecimalField(decimal_places=2, max_digits=5, verbose_name="deprivation"),
                ),
                (
                    "reason",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="reason for the change"
                    ),
                ),
                (
                    "set_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="set at"),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="set by",
                    ),
                ),
            ],
            options={
                "verbose_name": "risk index weights",
                "verbose_name_plural": "risk index weights",
                "ordering": ["-version"],
            },
        ),
    ]
