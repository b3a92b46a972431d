"""IssuedStatement.ledger: "issued so far" after each statement (R-FIN-4), filled for those issued.

The data step adds up every organisation's issued statements in the order issued, as
doorstroom.reports.financing_ledger does (copied here: a migration does not follow later
changes of the code), and stores with each statement the sum up to and including it.
"""

import datetime
from decimal import Decimal

from django.db import migrations, models

AMOUNTS = ("effort_fee", "deel3", "compensation_part1", "compensation_part2")


def _quarter(text):
    year, _sep, number = text.partition("-Q")
    return f"{int(year)}-Q{int(number)}"


def _book(months, quarter, trajectory, end, data):
    by_end = months.setdefault(str(trajectory), {}).setdefault(quarter, {})
    ordinal = datetime.date.fromisoformat(end).toordinal()
    was = by_end.get(ordinal, (Decimal(0),) * 4)[:4]  # without the status
    money = tuple(Decimal(data.get(name) or "0") for name in AMOUNTS)
    by_end[ordinal] = (*(a + b for a, b in zip(was, money, strict=True)), data["status"])


def _as_json(months, before):
    # A trajectory's part as one string (financing_ledger.Ledger.as_json): per quarter booked,
    # by "#", the quarter, the month ends as ordinals, the amounts and the statuses, by "/".
    return {
        "before": list(before),
        "months": {
            trajectory: "#".join(
                "/".join(
                    (
                        quarter,
                        " ".join(str(ordinal) for ordinal in rows),
                        ";".join(" ".join(str(a) for a in row[:4]) for row in rows.values()),
                        "|".join(row[4] for row in rows.values()),
                    )
                )
                for quarter, rows in quarters.items()
            )
            for trajectory, quarters in months.items()
        },
    }


def fill(apps, schema_editor):
    IssuedStatement = apps.get_model("reports", "IssuedStatement")
    organisations = IssuedStatement.objects.values_list("organisation_id", flat=True).distinct()
    for organisation in sorted(set(organisations)):
        months, before = {}, []
        statements = IssuedStatement.objects.filter(organisation_id=organisation).order_by(
            "issued_at", "pk"
        )
        for statement in statements:
            quarter = f"{statement.year}-Q{statement.quarter}"
            for block in statement.lines:
                for month in block["months"]:
                    _book(months, quarter, block["trajectory"], month["end"], month)
            for item in statement.corrections:
                _book(months, _quarter(item["quarter"]), item["trajectory"], item["end"], item)
            statement.ledger = _as_json(months, before)
            statement.save(update_fields=["ledger"])
            before.append(statement.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_issued_statement"),
    ]

    operations = [
        migrations.AddField(
            model_name="issuedstatement",
            name="ledger",
            field=models.JSONField(default=dict, editable=False, verbose_name="issued so far"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
