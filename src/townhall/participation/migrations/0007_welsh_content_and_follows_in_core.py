"""Joins two branches of work made side by side: content in Welsh (0005_content...) and
follows moved to core (0005, 0006). Nothing to do but order them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0005_content_in_english_and_welsh"),
        ("participation", "0006_remove_follows_now_in_core"),
    ]

    operations = []
