"""Load the 4-level competence scale with its workfloor descriptors (admin-editable after)."""

from django.db import migrations


def load(apps, schema_editor):
    from doorstroom.plans.competences import load_scale

    load_scale(apps.get_model("plans", "ScaleLevel"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_pop")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
