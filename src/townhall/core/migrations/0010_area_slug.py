"""Areas get a stable address for their public page (/wards/<slug>/), made from their name."""

from django.db import migrations, models


def fill_slugs(apps, schema_editor):
    from townhall.core.services.geography import area_slug

    Area = apps.get_model("core", "Area")
    taken: dict[str, set[str]] = {}
    for area in Area.objects.order_by("kind", "code").only("pk", "kind", "name", "code"):
        area.slug = area_slug(area.name, area.code, taken.setdefault(area.kind, set()))
        area.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("core", "0009_audit_log_indexes")]

    operations = [
        migrations.AddField(
            model_name="area",
            name="slug",
            field=models.SlugField(blank=True, max_length=200, verbose_name="address"),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="area",
            constraint=models.UniqueConstraint(
                condition=models.Q(("slug", ""), _negated=True),
                fields=("kind", "slug"),
                name="core_area_unique_slug",
            ),
        ),
    ]
