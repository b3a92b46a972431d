"""Client.job_target_codes: the job targets' ISCO codes as one column, for matching (R-PLC-5)."""

from collections import defaultdict
from typing import Any

from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    client = apps.get_model("clients", "Client")
    through = client.job_targets.through
    codes: dict[int, set[str]] = defaultdict(set)
    for client_id, code in through.objects.values_list("client_id", "occupation__isco_code"):
        codes[client_id].add(code)
    for client_id, found in codes.items():
        client.objects.filter(pk=client_id).update(job_target_codes=",".join(sorted(found)))


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_client_anonymised_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="job_target_codes",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
