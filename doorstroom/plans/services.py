"""Writes on the POP (R-TRJ-7): a new version, whole, in one transaction with its audit event.

A POP version is never edited. A coach adds a new version, prefilled from the previous one (and
from the last completed evaluation's levels, see ``selectors.proposal``); the trajectory's
version guards against two coaches adding a version at the same time.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.accounts.models import User
from doorstroom.core import links
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.models import AccessLink, LinkPurpose
from doorstroom.core.text import short_date
from doorstroom.plans.models import (
    ActionStatus,
    ClientLink,
    Competence,
    PlanAction,
    PlanCompetence,
    PlanVersion,
)
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.services import lock_trajectory, refresh_signals


@dataclass(frozen=True)
class CompetenceLine:
    competence: Competence
    target_level: int
    current_level: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ActionLine:
    what: str
    who: str
    due: datetime.date | None = None
    status: str = ActionStatus.PLANNED
    instrument_use: Any = None


@dataclass(frozen=True)
class VersionData:
    drawn_up_on: datetime.date
    goals: str
    competences: Sequence[CompetenceLine]
    actions: Sequence[ActionLine] = ()
    agreements: str = ""
    client_words: str = ""
    evaluation: Any = None


def _check(trajectory: Trajectory, data: VersionData) -> None:
    if trajectory.status == Status.STOPPED:
        raise DomainError(_("This trajectory is stopped; its POP can no longer be changed."))
    _check_date(trajectory, data)
    if not [line for line in data.goals.splitlines() if line.strip()]:
        raise DomainError(_("Write at least one goal, one per line."), field="goals")
    _check_competences(data.competences)
    for action in data.actions:
        use = action.instrument_use
        if use is not None and use.trajectory_id != trajectory.pk:
            raise DomainError(_("That instrument belongs to another trajectory."), field="actions")


def _check_date(trajectory: Trajectory, data: VersionData) -> None:
    if data.drawn_up_on > timezone.localdate():
        raise DomainError(_("A POP version cannot be dated in the future."), field="drawn_up_on")
    if data.drawn_up_on < trajectory.start:
        raise DomainError(
            _("A POP version cannot be dated before the trajectory starts (%(date)s).")
            % {"date": short_date(trajectory.start)},
            field="drawn_up_on",
        )
    last = trajectory.plan_versions.order_by("-number").first()
    if last and data.drawn_up_on < last.drawn_up_on:
        raise DomainError(
            _("A new version cannot be dated before the previous one (%(date)s).")
            % {"date": short_date(last.drawn_up_on)},
            field="drawn_up_on",
        )


def _check_competences(competences: Sequence[CompetenceLine]) -> None:
    if not competences:
        raise DomainError(_("Choose at least one competence to develop."), field="competences")
    seen: set[int] = set()
    for line in competences:
        if line.competence.pk in seen:
            raise DomainError(
                _("%(competence)s is listed twice.") % {"competence": line.competence.name_nl},
                field="competences",
            )
        seen.add(line.competence.pk)
        if line.current_level is not None and line.target_level < line.current_level:
            raise DomainError(
                _("The target level of %(competence)s is below its current level.")
                % {"competence": line.competence.name_nl},
                field="competences",
            )


def open_competences(competences: Sequence[CompetenceLine]) -> str:
    """The codes of the competences still below their target (no current level: still open)."""
    return ",".join(
        line.competence.code
        for line in competences
        if line.current_level is None or line.current_level < line.target_level
    )


@transaction.atomic
def version_create(
    trajectory: Trajectory, *, data: VersionData, expected_version: int, by: User
) -> PlanVersion:
    """Add the next POP version (R-TRJ-7); refused if someone changed the trajectory meanwhile."""
    lock_trajectory(trajectory, expected_version)
    _check(trajectory, data)
    number = (trajectory.plan_versions.aggregate(top=Max("number"))["top"] or 0) + 1
    trajectory.plan_versions.filter(is_current=True).update(is_current=False)
    version = PlanVersion.objects.create(
        trajectory=trajectory,
        number=number,
        drawn_up_on=data.drawn_up_on,
        author=by,
        evaluation=data.evaluation,
        goals="\n".join(line.strip() for line in data.goals.splitlines() if line.strip()),
        agreements=data.agreements.strip(),
        client_words=data.client_words.strip(),
        open_competences=open_competences(data.competences),
    )
    PlanCompetence.objects.bulk_create(
        PlanCompetence(
            version=version,
            competence=line.competence,
            current_level=line.current_level,
            target_level=line.target_level,
            note=line.note.strip(),
        )
        for line in data.competences
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            version=version,
            what=action.what.strip(),
            who=action.who.strip(),
            due=action.due,
            status=action.status,
            instrument_use=action.instrument_use,
            position=index,
        )
        for index, action in enumerate(data.actions)
    )
    audit(
        by,
        "plans.version.created",
        version,
        {
            "number": number,
            "drawn_up_on": data.drawn_up_on,
            "competences": [line.competence.code for line in data.competences],
            "actions": len(data.actions),
            "evaluation": data.evaluation,
        },
    )
    refresh_signals(trajectory)  # R-TRJ-7: pop_due
    return version


CLIENT_LINK_DAYS = 90  # the client's own view: a quarter, then the coach sends a new link


@transaction.atomic
def client_link_send(
    trajectory: Trajectory, *, email: str, days: int = CLIENT_LINK_DAYS, by: User
) -> tuple[ClientLink, str]:
    """Give the client a personal link to their own view; earlier links are withdrawn.

    Returns the link and its URL (e-mailed when there is an address, else for the coach to
    hand over once).
    """
    if trajectory.status == Status.STOPPED:
        raise DomainError(_("This trajectory is stopped; it can no longer be changed."))
    if not 1 <= days <= 365:
        raise DomainError(_("A link works between 1 and 365 days."), field="days")
    for old in trajectory.client_links.select_related("link"):
        links.revoke(old.link)
    client = trajectory.client
    link, token = links.issue(
        LinkPurpose.CLIENT_VIEW,
        organisation=trajectory.organisation,
        days=days,
        by=by,
        name=client.first_name,
        email=email.strip(),
        single_use=False,
    )
    client_link = ClientLink.objects.create(trajectory=trajectory, link=link)
    url = settings.DOORSTROOM_BASE_URL + reverse("plans:mine", args=[token])
    if link.email:
        context = {"name": client.first_name, "coach": trajectory.coach.full_name}
        links.email_link(link, url, "plans/client_link", context)
    audit(by, "plans.client_link.sent", trajectory, {"e-mail": bool(link.email), "days": days})
    return client_link, url


@transaction.atomic
def client_link_revoke(client_link: ClientLink, *, by: User) -> None:
    links.revoke(client_link.link)
    audit(by, "plans.client_link.revoked", client_link.trajectory)


def client_view_opened(link: AccessLink) -> None:
    """Audit every opening of the client's own view (a dossier read, R-PRV-4)."""
    links.mark_opened(link)
    audit(
        None,
        "plans.client_view.opened",
        link.client_link.trajectory,
        actor_label=f"client link ({link.name})",
        organisation=link.organisation,
        purpose="client's own view",
    )
