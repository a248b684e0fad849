"""Seed the council's own pages: accessibility statement, privacy notice, cookies and contact."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0002_roles_and_append_only_audit")]

    operations = []
