"""Suppliers' documents move out of MEDIA_ROOT, which the web server publishes as it is,
to VAR_DIR/private/market, where only the view that checks who is asking reads them; new
documents get a random folder each."""

from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import townhall.market.models
from townhall.core.uploads import move_tree


def move_documents(apps, schema_editor):
    move_tree(
        Path(settings.MEDIA_ROOT) / "private" / "market",
        Path(settings.VAR_DIR) / "private" / "market",
    )


class Migration(migrations.Migration):
    dependencies = [("market", "0003_events_evaluation")]

    operations = [
        migrations.AlterField(
            model_name="expressionofinterest",
            name="attachment",
            field=models.FileField(
                blank=True,
                storage=townhall.market.models._private_storage,
                upload_to=townhall.market.models._response_upload_to,
                verbose_name="supporting document",
            ),
        ),
        migrations.RunPython(move_documents, migrations.RunPython.noop, elidable=True),
    ]
