"""Suppliers' documents move out of MEDIA_ROOT, which the web server publishes as it is,
to VAR_DIR/private/market, where only the view that checks who is asking reads them; new
documents get a random folder each."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import townhall.market.models


def move_documents(apps, schema_editor):
    published = Path(settings.MEDIA_ROOT) / "private" / "market"
    private = Path(settings.VAR_DIR) / "private" / "market"
    if not published.is_dir():
        return
    for document in sorted(path for path in published.rglob("*") if path.is_file()):
        target = private / document.relative_to(published)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(document, target)
    shutil.rmtree(published)


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
