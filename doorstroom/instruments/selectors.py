"""Reads of instrument uses and the try-out catalogue: scoped, related rows fetched up front."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, QuerySet

from doorstroom.accounts.models import User
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.text import normalise
from doorstroom.instruments.explain import KindRow, kind_rows
from doorstroom.instruments.models import InstrumentUse, TryoutOffer
from doorstroom.trajectories.models import Trajectory

# What the dossier's instruments section reads: each use with its try-out and offer (one query).
DOSSIER_USES = Prefetch(
    "instrument_uses",
    queryset=InstrumentUse.objects.select_related("tryout__offer").order_by("start", "pk"),
)


def uses_for_trajectory(trajectory: Trajectory) -> QuerySet[InstrumentUse]:
    """The trajectory's instrument uses in time order, with their try-out and offer."""
    return (
        InstrumentUse.objects.filter(trajectory=trajectory)
        .select_related("tryout__offer")
        .order_by("start", "pk")
    )


def kind_catalogue(on: datetime.date) -> list[KindRow]:
    """Every instrument kind with its limits, from the rule set in force on `on` (R-INS-2)."""
    return kind_rows(ruleset_on(on))


def kinds_for(trajectory: Trajectory) -> list[KindRow]:
    """The kinds a trajectory can register: its start's rule set decides (R-VER-1)."""
    return kind_catalogue(trajectory.start)


def offer_list(user: User, *, q: str = "", inactive: bool = False) -> QuerySet[TryoutOffer]:
    """The user's organisations' try-out catalogue, by title, with how often each was used."""
    offers = TryoutOffer.objects.visible_to(user).select_related(
        "organisation", "occupation", "workplace__employer"
    )
    if not inactive:
        offers = offers.filter(is_active=True)
    for word in normalise(q).split():
        offers = offers.filter(search_text__contains=word)
    return offers.annotate(tryout_count=Count("tryouts")).order_by("title", "pk")


def offer_choices(user: User) -> QuerySet[TryoutOffer]:
    """The active offers a coach can start a try-out from."""
    return (
        TryoutOffer.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("occupation", "workplace__employer")
        .order_by("title", "pk")
    )
