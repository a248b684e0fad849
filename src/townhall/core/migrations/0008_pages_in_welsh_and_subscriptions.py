"""Joins two branches of work made side by side: council pages in Welsh (0007_page...) and
subscriptions in core (0007_subscriptions). Nothing to do but order them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_page_in_english_and_welsh"),
        ("core", "0007_subscriptions"),
    ]

    operations = []
