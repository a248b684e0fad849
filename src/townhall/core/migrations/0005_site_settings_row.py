"""Create the one SiteSettings row at install, so no visitor's first page creates it."""

from django.db import migrations


def create_site_settings(apps, schema_editor):
    SiteSettings = apps.get_model("core", "SiteSettings")
    if not SiteSettings.objects.exists():
        SiteSettings.objects.create(council_name="Townhall")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_search_fulltext")]

    operations = [migrations.RunPython(create_site_settings, migrations.RunPython.noop)]
