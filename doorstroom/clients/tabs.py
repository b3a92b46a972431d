"""The dossier's tabs: the overview a coach opens first, and the sections opened when needed.

One page per tab (issue 11): the overview (key facts, intake, consent, the trajectory with its
deadlines, referrals) is what a coach looks at on every visit; development, placements,
instruments, financing, journal and documents are each read on their own tab, so the page a
coach opens most loads only its own rows. Every tab is a dossier read: scoped (R-PRV-1) and
audited (R-PRV-4) like the overview.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import pgettext_lazy


class Tab(models.TextChoices):
    OVERVIEW = "overview", pgettext_lazy("dossier tab", "Overview")
    DEVELOPMENT = "development", pgettext_lazy("dossier tab", "Development")
    PLACEMENTS = "placements", pgettext_lazy("dossier tab", "Placements")
    INSTRUMENTS = "instruments", pgettext_lazy("dossier tab", "Instruments")
    FINANCING = "financing", pgettext_lazy("dossier tab", "Financing")
    JOURNAL = "journal", pgettext_lazy("dossier tab", "Journal")
    DOCUMENTS = "documents", pgettext_lazy("dossier tab", "Documents")


class TabConverter:
    """A tab of its own in a URL (the overview is the dossier's own address)."""

    regex = "|".join(tab.value for tab in Tab if tab != Tab.OVERVIEW)

    def to_python(self, value: str) -> Tab:
        return Tab(value)

    def to_url(self, value: str) -> str:
        return str(value)


def dossier_url(client_id: int, tab: Tab = Tab.OVERVIEW) -> str:
    """The address of a tab of the client's dossier."""
    if tab == Tab.OVERVIEW:
        return reverse("clients:detail", args=[client_id])
    return reverse("clients:tab", args=[client_id, tab.value])
