"""Load the curated competence catalogue (data/competences.csv) on every installation."""

from django.db import migrations


def load(apps, schema_editor):
    from doorstroom.plans.competences import load_curated

    load_curated(apps.get_model("plans", "Competence"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
