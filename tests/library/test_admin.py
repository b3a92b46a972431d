"""The functional administrator moderates the kennisbank; versions stay read-only there."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.core.models import AuditEvent
from doorstroom.library.selectors import documents_search
from tests.library.builders import make_document

pytestmark = pytest.mark.django_db


def test_the_administrator_edits_a_document_and_the_search_follows(
    client: HttpClient, owner: Any, functional_admin: Any
) -> None:
    document = make_document(owner, title="Oude titel")
    client.force_login(functional_admin)
    assert client.get(reverse("admin:library_document_changelist")).status_code == 200
    url = reverse("admin:library_document_change", args=[document.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="versions-0-original_name"' not in page.content.decode()  # read-only inline
    data = {
        "title": "Gemodereerde titel",
        "description": document.description,
        "category": document.category,
        "organisation": document.organisation_id,
        "visibility": "shared",
        "seen_version": document.version,
        "created_by": owner.pk,
        "versions-TOTAL_FORMS": "1",
        "versions-INITIAL_FORMS": "1",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
        "versions-0-id": document.current_version_id,
        "versions-0-document": document.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [d.title for d in documents_search(owner, "gemodereerde")] == ["Gemodereerde titel"]
    assert AuditEvent.objects.filter(action="library.document.changed").count() == 1
