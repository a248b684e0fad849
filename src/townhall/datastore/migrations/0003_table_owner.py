"""Each DataStore table has an owner, the module whose manifest says who may read it.
Every table before this was loaded by open data, which becomes their owner."""

from django.db import migrations, models


def owned_by_open_data(apps, schema_editor) -> None:
    apps.get_model("datastore", "Table").objects.update(owner="opendata")


class Migration(migrations.Migration):
    dependencies = [("datastore", "0002_tables_in_their_own_file")]

    operations = [
        migrations.AddField(
            model_name="table",
            name="owner",
            field=models.CharField(
                default="",
                help_text="The app label of the module that loads the table and says who reads it.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(owned_by_open_data, migrations.RunPython.noop),
    ]
