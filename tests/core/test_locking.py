"""Optimistic locking: a stale save is refused with a message, and nothing is written."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from doorstroom.accounts.models import Organisation
from doorstroom.core.errors import StaleEditError
from doorstroom.core.locking import save_versioned
from doorstroom.core.models import AuditEvent


def test_a_save_from_the_current_version_goes_through_and_bumps_it(ocmw_a) -> None:
    ocmw_a.phone = "014 56 60 00"
    save_versioned(ocmw_a, expected_version=1, update_fields=["phone"])
    ocmw_a.refresh_from_db()
    assert (ocmw_a.phone, ocmw_a.version) == ("014 56 60 00", 2)


def test_a_stale_save_is_refused_and_writes_nothing(ocmw_a) -> None:
    first = Organisation.objects.get(pk=ocmw_a.pk)
    second = Organisation.objects.get(pk=ocmw_a.pk)
    first.phone = "014 11 11 11"
    save_versioned(first, expected_version=1, update_fields=["phone"])
    second.phone = "014 22 22 22"
    with pytest.raises(StaleEditError) as refused:
        save_versioned(second, expected_version=1, update_fields=["phone"])
    assert "Iemand anders heeft dit gewijzigd" in str(refused.value.message)
    ocmw_a.refresh_from_db()
    assert ocmw_a.phone == "014 11 11 11"


def _admin_post(client: Client, organisation: Organisation, phone: str, seen: int) -> object:
    return client.post(
        reverse("admin:accounts_organisation_change", args=[organisation.pk]),
        {
            "name": organisation.name,
            "kind": organisation.kind,
            "municipality": "",
            "service_area": [m.pk for m in organisation.service_area.all()],
            "email": "",
            "phone": phone,
            "is_active": "on",
            "seen_version": seen,
        },
    )


def test_two_administrators_editing_one_organisation_do_not_overwrite_each_other(
    client: Client, functional_admin, ocmw_a
) -> None:
    client.force_login(functional_admin)
    first = _admin_post(client, ocmw_a, "014 11 11 11", seen=1)
    assert first.status_code == 302
    second = _admin_post(client, ocmw_a, "014 22 22 22", seen=1)
    assert second.status_code == 200
    assert "Iemand anders heeft dit gewijzigd" in second.content.decode()
    ocmw_a.refresh_from_db()
    assert (ocmw_a.phone, ocmw_a.version) == ("014 11 11 11", 2)
    assert AuditEvent.objects.filter(action="accounts.organisation.changed").count() == 1
