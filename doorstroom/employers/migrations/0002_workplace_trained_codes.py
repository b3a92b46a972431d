"""Workplace.trained_codes: the trained competences' codes as one column, for matching (R-PLC-5)."""

from collections import defaultdict
from typing import Any

from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    workplace = apps.get_model("employers", "Workplace")
    trained = apps.get_model("employers", "WorkplaceCompetence")
    codes: dict[int, set[str]] = defaultdict(set)
    for workplace_id, code in trained.objects.values_list("workplace_id", "competence__code"):
        codes[workplace_id].add(code)
    for workplace_id, found in codes.items():
        workplace.objects.filter(pk=workplace_id).update(trained_codes=",".join(sorted(found)))


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="workplace",
            name="trained_codes",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
