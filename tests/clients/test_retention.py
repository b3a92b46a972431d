"""Retention (R-PRV-6): closed dossiers anonymised after N years; statistics unchanged."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from django.db.models import Count, Sum

from doorstroom.accounts.models import User
from doorstroom.clients.models import Client, SensitiveNote
from doorstroom.clients.retention import (
    _personal_fields,
    client_anonymise,
    due_clients,
    holdings,
)
from doorstroom.clients.services import sensitive_note_add
from doorstroom.core.backup import table_fingerprints
from doorstroom.core.models import AuditEvent
from doorstroom.reports.models import MonthEndSnapshot, Outflow
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import days_ago, make_client, make_trajectory


@pytest.fixture(scope="class")
def demo_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo")
        yield
        transaction.set_rollback(True)


def _statistics() -> dict[str, Any]:
    """What reports and financing count: none of it may change with anonymisation."""
    return {
        "trajectories": Counter(
            Trajectory.objects.values_list("kind", "status", "phase", "stop_reason", "start")
        ),
        "outflows": Counter(Outflow.objects.values_list("kind", "on", "contract_type")),
        "clients": Counter(
            Client.objects.values_list(
                "municipality_id", "income", "dutch_level", "birth_date__year"
            )
        ),
        "snapshots": list(
            MonthEndSnapshot.objects.values("month_end", "status", "kind")
            .annotate(n=Count("id"), fees=Sum("effort_fee"), part1=Sum("compensation_part1"))
            .order_by("month_end", "status", "kind")
        ),
    }


def _identifiers(client: Client) -> list[str]:
    values = [client.full_name, client.national_number, client.email, client.phone, client.street]
    return [v for v in values if v and len(v) >= 5]


def _all_text() -> Iterator[tuple[str, str]]:
    """Every text value in every table of the database, with its table."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - introspected
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, str):
                        yield table, value


def _richest_dossier() -> Client:
    return (
        Client.objects.annotate(
            n=Count("trajectories__evaluations", distinct=True) + Count("journal", distinct=True)
        )
        .order_by("-n", "pk")
        .first()
    )


@pytest.mark.usefixtures("demo_once", "db")
class TestRetentionOnTheDemo:
    def _close_richest(self) -> Client:
        # The demo's richest dossier still runs: close it as if it ended today.
        client = _richest_dossier()
        Trajectory.objects.filter(client=client).update(closed_on=days_ago(0))
        coach = client.trajectories.first().coach
        if not SensitiveNote.objects.filter(client=client).exists():
            sensitive_note_add(client, category="medical", text="Rugletsel", by=coach)
        return client

    def test_the_dry_run_lists_the_due_dossiers_and_writes_nothing(self) -> None:
        # R-PRV-6
        self._close_richest()
        before = table_fingerprints()
        out = io.StringIO()
        call_command("apply_retention", dry_run=True, today="2040-01-01", stdout=out)
        assert table_fingerprints() == before
        due = due_clients(datetime.date(2040, 1, 1))
        assert due
        for item in due:
            assert f"would anonymise client {item.client.pk} " in out.getvalue()
        assert "Dry run: nothing was changed." in out.getvalue()

    def test_anonymised_dossiers_hold_no_personal_data_and_statistics_stay(self) -> None:
        # R-PRV-6: names, identifiers, contact data, free text and protected notes go;
        # statistics and financing figures stay; audit events are redacted, never deleted.
        richest = self._close_richest()
        today = days_ago(0) + relativedelta(years=10) + datetime.timedelta(days=1)
        due = [item.client for item in due_clients(today)]
        assert richest in due
        still_open = Client.objects.filter(
            trajectories__closed_on__isnull=True, trajectories__stopped_on__isnull=True
        ).first()
        assert still_open is not None
        assert still_open not in due
        identifiers = {c.pk: _identifiers(c) for c in due}
        other_names = [still_open.full_name]
        before_stats = _statistics()
        events_before = AuditEvent.objects.count()
        rich_rows = holdings(richest)
        assert rich_rows.count() > 40  # a real dossier: evaluations, POP, journal, ...

        call_command("apply_retention", today=today.isoformat(), stdout=io.StringIO())

        assert _statistics() == before_stats
        assert AuditEvent.objects.count() == events_before + len(due)  # none deleted
        assert not SensitiveNote.objects.filter(client__in=due).exists()
        texts = list(_all_text())
        for pk, values in identifiers.items():
            for value in values:
                found = [table for table, text in texts if value in text]
                assert not found, f"client {pk}: {value!r} still in {found}"
        assert any(name in text for _, text in texts for name in other_names)  # the scan works
        for client in due:
            client.refresh_from_db()
            assert client.first_name == "Geanonimiseerd"
            assert client.anonymised_on == today
            assert (client.birth_date.month, client.birth_date.day) == (1, 1)
            for model, pks in holdings(client).rows.items():
                fields = [f.name for f in _personal_fields(model)]
                rows = model._base_manager.filter(pk__in=pks).values(*fields) if fields else []
                for row in rows:
                    for name, value in row.items():
                        if name == "first_name" and model is Client:
                            continue
                        assert value in ("", None, {}, []), (
                            f"{model.__name__}.{name} kept {value!r}"
                        )
                redacted = AuditEvent.objects.filter(
                    target_type=model._meta.label_lower, target_id__in=[str(p) for p in pks]
                ).exclude(action="clients.client.anonymised")
                assert not redacted.filter(redacted_at__isnull=True).exists()
                assert not redacted.exclude(target_label="").exists()

        assert due_clients(today) == []  # idempotent: a second run finds nothing


@pytest.mark.django_db
def test_an_open_trajectory_keeps_the_dossier_and_the_period_counts_from_the_end(
    owner: User,
) -> None:
    # R-PRV-6: 10 years (the default) after the last activity, not before.
    closed = make_trajectory(owner, start=days_ago(400))
    Trajectory.objects.filter(pk=closed.pk).update(closed_on=days_ago(30))
    running = make_trajectory(owner, start=days_ago(400))
    ended_on = days_ago(30)
    last_day_kept = ended_on + relativedelta(years=10)
    assert closed.client not in [d.client for d in due_clients(last_day_kept)]
    due = [d.client for d in due_clients(last_day_kept + datetime.timedelta(days=1))]
    assert closed.client in due
    assert running.client not in due
    # Registered but never an intake nor a trajectory: the registration date counts.
    never_started = make_client(owner)
    assert never_started not in due
    registered = never_started.created_at.date()
    assert never_started in [
        d.client for d in due_clients(registered + relativedelta(years=10, days=1))
    ]


@pytest.mark.django_db
def test_anonymising_twice_changes_nothing_more(owner: User) -> None:
    trajectory = make_trajectory(owner)
    first = client_anonymise(client=trajectory.client, today=days_ago(0))
    assert first.count() > 1
    assert client_anonymise(client=trajectory.client, today=days_ago(0)).count() == 0
    assert AuditEvent.objects.filter(action="clients.client.anonymised").count() == 1


@pytest.mark.django_db
def test_a_wrong_date_is_refused_by_name() -> None:
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("apply_retention", today="31/01/2036")


def test_the_walk_keeps_coded_fields() -> None:
    # Coded fields (choices) are statistics: never in the list of fields that get emptied.
    fields = {f.name for f in _personal_fields(Trajectory)}
    assert not fields & {"kind", "status", "phase", "stop_reason"}
    assert "stop_motivation" in fields
    assert _personal_fields(MonthEndSnapshot) == []
    assert {f.name for f in _personal_fields(Client)} >= {
        "first_name",
        "last_name",
        "national_number",
        "street",
        "phone",
        "email",
        "work_limitations",
    }
    assert all(isinstance(f, models.Field) for f in _personal_fields(Client))
