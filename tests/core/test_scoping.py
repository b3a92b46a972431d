"""R-PRV-1: the scoping helpers refuse unscoped access and answer 404 out of scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from doorstroom.accounts.models import Organisation
from doorstroom.core.audit import audit
from doorstroom.core.models import AuditEvent
from doorstroom.core.scoping import get_for_user_or_404, visible


def test_r_prv_1_get_for_user_or_404_finds_what_is_in_scope(owner, privacy_officer) -> None:
    event = audit(owner, "core.test.done", owner)
    assert get_for_user_or_404(AuditEvent, privacy_officer, pk=event.pk) == event


def test_r_prv_1_out_of_scope_is_404_not_403(owner, outside_privacy_officer) -> None:
    event = audit(owner, "core.test.done", owner)
    with pytest.raises(Http404):
        get_for_user_or_404(AuditEvent, outside_privacy_officer, pk=event.pk)


def test_r_prv_1_a_malformed_id_is_404(privacy_officer) -> None:
    with pytest.raises(Http404):
        get_for_user_or_404(AuditEvent, privacy_officer, pk="abc")


def test_r_prv_1_scope_survives_further_filtering(owner, privacy_officer) -> None:
    event = audit(owner, "core.test.done", owner)
    narrowed = AuditEvent.objects.visible_to(privacy_officer).filter(action="core.test.done")
    assert get_for_user_or_404(narrowed, privacy_officer, pk=event.pk) == event


def test_r_prv_1_an_unscoped_queryset_is_refused(owner, privacy_officer) -> None:
    event = audit(owner, "core.test.done", owner)
    with pytest.raises(TypeError):
        get_for_user_or_404(AuditEvent.objects.all(), privacy_officer, pk=event.pk)


def test_r_prv_1_a_model_without_scoping_cannot_be_fetched_through_it(owner) -> None:
    with pytest.raises(TypeError):
        visible(Organisation, owner)


def test_r_prv_1_anonymous_and_deactivated_users_see_nothing(owner, privacy_officer) -> None:
    audit(owner, "core.test.done", owner)
    assert not AuditEvent.objects.visible_to(AnonymousUser()).exists()
    privacy_officer.is_active = False
    assert not AuditEvent.objects.visible_to(privacy_officer).exists()
