"""R-PRV-4: every write leaves an audit event; only the privacy officer reads them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doorstroom.core.audit import audit
from doorstroom.core.models import AuditEvent


def test_r_prv_4_audit_records_who_what_when_and_from_where(client: Client, owner) -> None:
    client.force_login(owner)
    client.post(
        reverse("accounts:language"),
        {"language": "en"},
        REMOTE_ADDR="10.1.2.3",
        HTTP_USER_AGENT="Testbrowser/1.0",
    )
    event = AuditEvent.objects.get(action="accounts.user.language_changed")
    assert event.actor == owner
    assert event.actor_label == owner.email
    assert event.organisation == owner.primary_organisation
    assert event.target_type == "accounts.user"
    assert event.target_id == str(owner.pk)
    assert event.changes == {"language": ["nl-be", "en"]}
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == "Testbrowser/1.0"
    assert abs(event.at - timezone.now()) < datetime.timedelta(minutes=1)


def test_r_prv_4_audit_events_are_never_deleted(owner) -> None:
    event = audit(owner, "core.test.done", owner)
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_r_prv_4_the_privacy_officer_reads_the_audit_log(
    client: Client, owner, privacy_officer
) -> None:
    audit(owner, "accounts.user.language_changed", owner, {"language": ["nl-be", "en"]})
    client.force_login(privacy_officer)
    response = client.get(reverse("core:audit-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Logboek" in html
    assert "accounts.user.language_changed" in html
    assert owner.email in html


@pytest.mark.parametrize("who", ["owner", "teammate", "outsider", "functional_admin"])
def test_r_prv_4_nobody_else_reaches_the_audit_log(
    client: Client, db: None, request, who: str
) -> None:
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("core:audit-list")).status_code == 404


def test_r_prv_1_a_privacy_officer_of_another_ocmw_sees_none_of_our_events(
    client: Client, owner, outside_privacy_officer
) -> None:
    audit(owner, "accounts.user.language_changed", owner)
    client.force_login(outside_privacy_officer)
    response = client.get(reverse("core:audit-list"))
    assert response.status_code == 200
    assert owner.email not in response.content.decode()
    # Only their own login shows: events of their own organisation.
    assert {e.organisation for e in response.context["page"]} == {
        outside_privacy_officer.primary_organisation
    }


def test_the_audit_log_filters_by_actor_action_record_and_date(
    client: Client, owner, teammate, privacy_officer
) -> None:
    audit(owner, "accounts.user.language_changed", owner)
    audit(teammate, "accounts.user.password_changed", teammate)
    client.force_login(privacy_officer)
    by_actor = client.get(reverse("core:audit-list"), {"actor": "griet"})
    assert [e.actor for e in by_actor.context["page"]] == [teammate]
    by_action = client.get(reverse("core:audit-list"), {"action": "accounts.user.language"})
    assert [e.actor for e in by_action.context["page"]] == [owner]
    by_record = client.get(reverse("core:audit-list"), {"target": "An Peeters"})
    assert [e.actor for e in by_record.context["page"]] == [owner]
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    all_today = AuditEvent.objects.count()  # the two above and the privacy officer's login
    assert all_today == 3
    assert (
        len(
            client.get(reverse("core:audit-list"), {"date_from": today.isoformat()}).context["page"]
        )
        == all_today
    )
    assert (
        len(
            client.get(reverse("core:audit-list"), {"date_from": tomorrow.isoformat()}).context[
                "page"
            ]
        )
        == 0
    )
    assert (
        len(client.get(reverse("core:audit-list"), {"date_to": today.isoformat()}).context["page"])
        == all_today
    )


def test_a_bad_date_filter_is_named_not_a_crash(client: Client, privacy_officer) -> None:
    client.force_login(privacy_officer)
    response = client.get(reverse("core:audit-list"), {"date_from": "31-02-2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]


@pytest.mark.parametrize("rows", [5, 120])
def test_the_audit_log_runs_a_constant_number_of_queries(
    client: Client, owner, privacy_officer, django_assert_num_queries, rows: int
) -> None:
    for _ in range(rows):
        audit(owner, "core.test.done", owner)
    client.force_login(privacy_officer)
    # session, user, memberships (scope), count, page of events, unusual access (R-PRV-4)
    with django_assert_num_queries(6):
        response = client.get(reverse("core:audit-list"))
    assert response.status_code == 200


def test_r_prv_2_an_untrained_privacy_officer_is_told_to_follow_the_training_first(
    client: Client, privacy_officer
) -> None:
    privacy_officer.privacy_training_date = None
    privacy_officer.save(update_fields=["privacy_training_date"])
    client.force_login(privacy_officer)
    response = client.get(reverse("core:audit-list"))
    assert response.status_code == 403
    assert "Privacyopleiding vereist" in response.content.decode()
