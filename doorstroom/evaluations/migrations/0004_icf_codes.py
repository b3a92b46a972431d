"""Load the curated work-related ICF codes with Dutch titles (R-ICF-2)."""

from django.db import migrations


def load(apps, schema_editor):
    from doorstroom.evaluations.icf import load_codes

    load_codes(apps.get_model("evaluations", "IcfCode"))


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0003_icf")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
