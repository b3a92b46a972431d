"""Reads of the kennisbank: scoped, related rows fetched up front, and the full-text search.

``documents_search`` branches on the database: PostgreSQL's full-text search over the stored
``search_vector`` (GIN index, 'simple' configuration over accent-free lower-case text, every word
of the query as a prefix), and on SQLite a fallback where every word of the query must appear
in ``search_text`` (title, description, tags and body, normalised the same way).
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet

from doorstroom.accounts.models import User
from doorstroom.core.text import normalise
from doorstroom.employers.models import Placement
from doorstroom.library.models import Category, Document, DocumentVersion, Tag
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.models import Trajectory, TrajectoryMember

SEARCH_CONFIG = "simple"


def search_words(q: str) -> list[str]:
    """The words of a query, normalised like the stored text: "Samenwerking-Overeenkomst!" →
    ["samenwerking", "overeenkomst"]."""
    return re.findall(r"\w+", normalise(q))


def _matching(documents: QuerySet[Document], words: list[str]) -> QuerySet[Document]:
    if connection.vendor == "postgresql":
        # Each word is \w+ only, so the raw tsquery cannot be malformed by user input.
        query = SearchQuery(
            " & ".join(f"{word}:*" for word in words), config=SEARCH_CONFIG, search_type="raw"
        )
        return documents.filter(search_vector=query).order_by(
            SearchRank(F("search_vector"), query).desc(), "title", "pk"
        )
    for word in words:
        documents = documents.filter(search_text__contains=word)
    return documents


def documents_search(
    user: User, q: str = "", *, category: str = "", tag: str = ""
) -> QuerySet[Document]:
    """The documents ``user`` may see that match ``q`` (every word), a category and a tag.

    Without a query: by title. With one: best match first on PostgreSQL, by title on SQLite.
    """
    documents = (
        Document.objects.visible_to(user)
        .select_related("organisation", "current_version")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("title", "pk")
    )
    if category:
        documents = documents.filter(category=category)
    if tag:
        documents = documents.filter(tags__name=tag)
    words = search_words(q)
    return _matching(documents, words) if words else documents


def tags_in_use(user: User) -> QuerySet[Tag]:
    """The tags of the documents ``user`` may see (for the filter)."""
    visible = Document.objects.visible_to(user).values("pk")
    return Tag.objects.filter(documents__in=visible).distinct().order_by("name")


def document_detail(user: User) -> QuerySet[Document]:
    """The documents ``user`` may see, ready for the detail page (versions with their uploader)."""
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    return (
        Document.objects.visible_to(user)
        .select_related("organisation", "current_version", "created_by")
        .prefetch_related(
            Prefetch("versions", queryset=versions),
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
        )
    )


def templates_for(user: User) -> QuerySet[Document]:
    """The template documents ``user`` may see (some may not have a DOCX to fill)."""
    return (
        Document.objects.visible_to(user)
        .filter(category=Category.TEMPLATE)
        .select_related("organisation", "current_version")
        .order_by("title", "pk")
    )


def fill_trajectories(user: User, *, also: Trajectory | None = None) -> QuerySet[Trajectory]:
    """The trajectories a user fills templates from: the running ones they lead or work on.

    ``also`` (a trajectory the user may see, e.g. the dossier they came from) is added.
    """
    working_on = TrajectoryMember.objects.filter(user=user, until__isnull=True)
    chosen = (Q(coach=user) | Q(pk__in=working_on.values("trajectory_id"))) & ~Q(
        status=Status.STOPPED
    )
    if also is not None:
        chosen |= Q(pk=also.pk)
    return (
        Trajectory.objects.visible_to(user)
        .filter(chosen)
        .select_related("client")
        .order_by("client__last_name", "client__first_name", "-start", "pk")
    )


def fill_placements(trajectories: QuerySet[Trajectory]) -> QuerySet[Placement]:
    """The placements of ``trajectories``, with their workplace and employer."""
    return (
        Placement.objects.filter(trajectory__in=trajectories.values("pk"))
        .select_related("workplace__employer", "trajectory__client")
        .order_by("trajectory__client__last_name", "-start", "pk")
    )
