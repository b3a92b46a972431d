"""Load the curated occupation list (data/occupations.csv) on every installation."""

from django.db import migrations


def load(apps, schema_editor):
    from doorstroom.clients.occupations import load_curated

    load_curated(apps.get_model("clients", "Occupation"))


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
