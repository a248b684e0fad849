"""Load the taxonomy of digital help (townhall.inclusion.taxonomy); running it again
brings the terms up to date."""

from django.db import migrations


def load_taxonomy(apps, schema_editor):
    from townhall.inclusion.taxonomy import load

    load(apps.get_model("inclusion", "Taxonomy"), apps.get_model("inclusion", "TaxonomyTerm"))


class Migration(migrations.Migration):
    dependencies = [("inclusion", "0001_directory")]

    operations = [migrations.RunPython(load_taxonomy, migrations.RunPython.noop)]
