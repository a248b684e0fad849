"""Every response gets a reference its respondent can quote (services.records): added
empty, filled for the responses already stored, then made required and unique."""

import secrets

from django.db import migrations, models

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def give_references(apps, schema_editor):
    Response = apps.get_model("participation", "Response")
    taken: set[str] = set()
    for response in Response.objects.only("pk").iterator():
        reference = ""
        while not reference or reference in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
            reference = f"TH-{code[:4]}-{code[4:]}"
        taken.add(reference)
        Response.objects.filter(pk=response.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [("participation", "0007_welsh_content_and_follows_in_core")]

    operations = [
        migrations.AddField(
            model_name="response",
            name="reference",
            field=models.CharField(
                editable=False, max_length=20, null=True, verbose_name="reference"
            ),
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="response",
            name="reference",
            field=models.CharField(
                editable=False, max_length=20, unique=True, verbose_name="reference"
            ),
        ),
    ]
