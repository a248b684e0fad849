"""Files residents uploaded as answers move out of MEDIA_ROOT, which the web server
publishes as it is, to VAR_DIR/private/participation, keeping their names."""

from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import townhall.participation.models
from townhall.core.uploads import move_tree

FOLDER = "participation/answers"


def move_answer_files(apps, schema_editor):
    move_tree(
        Path(settings.MEDIA_ROOT) / FOLDER,
        Path(settings.VAR_DIR) / "private" / "participation" / FOLDER,
    )


class Migration(migrations.Migration):
    dependencies = [("participation", "0009_remove_pre_election_periods")]

    operations = [
        migrations.AlterField(
            model_name="answer",
            name="file",
            field=models.FileField(
                blank=True,
                storage=townhall.participation.models.answer_files_storage,
                upload_to="participation/answers/",
            ),
        ),
        migrations.RunPython(move_answer_files, migrations.RunPython.noop, elidable=True),
    ]
