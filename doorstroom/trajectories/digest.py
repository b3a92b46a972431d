"""The daily digest (SPEC §4): one e-mail per user with the deadlines due this week."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from doorstroom.accounts.models import User
from doorstroom.rules.periods import add_days
from doorstroom.trajectories.deadlines import ExplainedDeadline, deadlines_of, explain
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock

DIGEST_DAYS = 7


@dataclass(frozen=True)
class DigestItem:
    trajectory: Trajectory
    deadline: ExplainedDeadline


def digest_items(
    today: datetime.date, batch: int = 500
) -> dict[int, list[tuple[Trajectory, datetime.date]]]:
    """Per lead coach: the trajectories with a deadline due by today + 7 days (or overdue)."""
    horizon = add_days(today, DIGEST_DAYS)
    found: dict[int, list[tuple[Trajectory, datetime.date]]] = defaultdict(list)
    queryset = with_clock(
        Trajectory.objects.filter(next_due__isnull=False, next_due__lte=horizon)
        .select_related("coach")
        .order_by("pk")
    )
    last = 0
    while rows := list(queryset.filter(pk__gt=last)[:batch]):
        for trajectory in rows:
            found[trajectory.coach_id].append((trajectory, horizon))
        last = rows[-1].pk
    return found


def send_digests(today: datetime.date) -> int:
    """Send each user their due items; return the number of mails sent."""
    from doorstroom.employers.selectors import employer_signals, signal_recipients

    by_user = digest_items(today)
    users: dict[int, User] = {rows[0][0].coach_id: rows[0][0].coach for rows in by_user.values()}
    for user in signal_recipients():
        users.setdefault(user.pk, user)
    sent = 0
    for user_id, user in users.items():
        if not user.is_active or not user.email:
            continue
        items = [
            DigestItem(trajectory, explain(d))
            for trajectory, horizon in by_user.get(user_id, [])
            for d in deadlines_of(trajectory, today)
            if d.due <= horizon
        ]
        # R-PLC-1 / R-PLC-7: agreements and job profiles this user follows up.
        signals = employer_signals(user, today, DIGEST_DAYS)
        if not items and not signals:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "items": items,
                "signals": signals,
                "today": today,
                "site_name": settings.DOORSTROOM_SITE_NAME,
                "caseload_url": settings.DOORSTROOM_BASE_URL + reverse("trajectories:caseload"),
                "employers_url": settings.DOORSTROOM_BASE_URL + reverse("employers:list"),
            }
            subject = render_to_string("trajectories/digest_subject.txt", context).strip()
            body = render_to_string("trajectories/digest_email.txt", context)
        EmailMessage(subject, body, to=[user.email]).send()
        sent += 1
    return sent
