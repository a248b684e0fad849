"""Hand-entered pre-election periods are retired: participation reads each election's
from the elections module (notice of election to polling day). Nothing is carried over;
reversing brings back the empty table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0008_response_reference"),
    ]

    operations = [
        migrations.DeleteModel(name="PreElectionPeriod"),
    ]
