"""The kennisbank list runs a constant number of queries, however many documents it shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doorstroom.library.models import Document
from tests.library.builders import make_document

pytestmark = pytest.mark.django_db


def count_queries(http: HttpClient, url: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = http.get(url, params)
        assert response.status_code == 200
    return len(captured)


def grow(owner: Any, outsider: Any, count: int) -> None:
    """Own documents and shared ones of another organisation, with tags."""
    while (n := Document.objects.count()) < count:
        author = outsider if n % 3 == 0 else owner
        make_document(
            author,
            title=f"Document {n:02}",
            visibility="shared" if n % 2 == 0 else "organisation",
            tags=f"tag{n % 4}, gemeenschappelijk",
        )


@pytest.mark.parametrize("params", [{}, {"q": "document"}, {"tag": "gemeenschappelijk"}])
def test_the_list_runs_the_same_queries_for_3_and_15_documents(
    client: HttpClient, owner: Any, outsider: Any, params: dict[str, str]
) -> None:
    client.force_login(owner)
    url = reverse("library:list")
    grow(owner, outsider, 3)
    small = count_queries(client, url, **params)
    grow(owner, outsider, 15)
    html = client.get(url, params).content.decode()
    visible = Document.objects.visible_to(owner).count()
    assert html.count('data-testid="document"') == visible
    assert visible < 15  # the outsider's private documents are not listed
    assert count_queries(client, url, **params) == small
