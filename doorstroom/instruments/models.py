"""Instrument uses (R-INS-1) and the proeftuin: a try-out catalogue and the client's reflection.

An instrument's kind is a key of the rule set's `[instruments]` table (R-INS-2), not a fixed list
of model choices: a newer rule set can add a kind without a migration. The services check the kind
and its limits against the rule set in force on the trajectory's start (R-VER-1).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doorstroom.accounts.models import Organisation
from doorstroom.clients.models import Occupation
from doorstroom.core.models import VersionedModel
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.scoping import ScopedQuerySet
from doorstroom.core.text import short_date
from doorstroom.employers.models import Workplace
from doorstroom.trajectories.models import ScopedByTrajectory, Trajectory

# The rule set's kind of a proeftuin try-out: a beroepsverkennende stage (R-INS-2: ≤ 30 days).
TRYOUT_KIND = "exploratory_internship"


class UseResult(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("instrument result", "Planned")
    ONGOING = "ongoing", pgettext_lazy("instrument result", "Ongoing")
    COMPLETED = "completed", pgettext_lazy("instrument result", "Completed")
    STOPPED_EARLY = "stopped_early", pgettext_lazy("instrument result", "Stopped early")
    NOT_STARTED = "not_started", pgettext_lazy("instrument result", "Did not take place")


# Results that say the instrument ran and is over: its hours are known then (R-INS-1).
FINISHED_RESULTS = frozenset({UseResult.COMPLETED, UseResult.STOPPED_EARLY})
# Results that need the instrument to have started.
STARTED_RESULTS = frozenset({UseResult.ONGOING, *FINISHED_RESULTS})


class InstrumentUse(VersionedModel):
    """One registered use of an instrument in a trajectory (R-INS-1); `end` is its last day."""

    trajectory = models.ForeignKey(
        Trajectory,
        verbose_name=_("trajectory"),
        on_delete=models.PROTECT,
        related_name="instrument_uses",
    )
    kind = models.CharField(_("kind"), max_length=40)
    provider = models.CharField(
        _("provider"),
        max_length=200,
        help_text=_("Who organises the instrument: VDAB, a training centre, the employer, …"),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("last day"))
    hours = models.DecimalField(
        _("hours in total"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("All hours over the whole period: planned first, the actual hours at the end."),
    )
    regime = models.DecimalField(
        _("regime"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text=_("Share of full time (IBO: at least half-time)."),
    )
    result = models.CharField(
        _("result"), max_length=20, choices=UseResult.choices, default=UseResult.PLANNED
    )
    result_notes = models.TextField(_("notes on the result"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("instrument use")
        verbose_name_plural = _("instrument uses")
        ordering = ["start", "pk"]
        indexes = [
            # The dossier lists a trajectory's uses by start; reports count per kind and period.
            models.Index(fields=["trajectory", "start"], name="instrument_use_trajectory"),
            models.Index(fields=["kind", "start"], name="instrument_use_kind"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="instrument_use_dates"),
            models.CheckConstraint(
                condition=Q(regime__gt=0) & Q(regime__lte=1), name="instrument_use_regime"
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0), name="instrument_use_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} {short_date(self.start)}–{short_date(self.end)}"

    @property
    def kind_label(self) -> str:
        """The kind's name in the rule set of the use's start (R-INS-2), else its key."""
        try:
            return ruleset_on(self.start).instrument(self.kind).label
        except KeyError:
            return self.kind

    @property
    def audit_organisation(self) -> Organisation:
        return self.trajectory.organisation

    @property
    def tryout_or_none(self) -> Tryout | None:
        """The proeftuin try-out of this use, or None (the reverse one-to-one raises instead)."""
        try:
            return self.tryout
        except Tryout.DoesNotExist:
            return None


class TryoutOfferQuerySet(ScopedQuerySet["TryoutOffer"]):
    def scope_for(self, user: Any) -> TryoutOfferQuerySet:
        """An offer belongs to the organisation that keeps the catalogue (R-PRV-1)."""
        return self.filter(organisation_id__in=user.organisation_ids())


class TryoutOffer(VersionedModel):
    """A try-out in the proeftuin catalogue (seed 001): a short, safe taste of a job."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="tryout_offers",
    )
    title = models.CharField(_("title"), max_length=200)
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The job target this try-out lets a client taste."),
    )
    workplace = models.ForeignKey(
        Workplace,
        verbose_name=_("workplace"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tryout_offers",
    )
    description = models.TextField(_("description"), blank=True)
    max_days = models.PositiveSmallIntegerField(_("at most (days)"), default=30)
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TryoutOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("try-out offer")
        verbose_name_plural = _("try-out offers")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["organisation", "is_active", "title"], name="tryout_offer_list")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(max_days__gte=1), name="tryout_offer_max_days")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation(self) -> Organisation:
        return self.organisation


class WantsThis(models.TextChoices):
    YES = "yes", pgettext_lazy("wants this job", "Yes")
    NO = "no", pgettext_lazy("wants this job", "No")
    UNSURE = "unsure", pgettext_lazy("wants this job", "Not sure yet")


class ScopedByUse(ScopedQuerySet[Any]):
    def scope_for(self, user: Any) -> Any:
        return self.filter(use__trajectory__in=Trajectory.objects.visible_to(user).values("pk"))


class Tryout(VersionedModel):
    """A proeftuin try-out (a beroepsverkennende stage) with the client's reflection (seed 001).

    Before: what the client expects; after: what they found and whether they want this job.
    """

    use = models.OneToOneField(InstrumentUse, on_delete=models.CASCADE, related_name="tryout")
    offer = models.ForeignKey(
        TryoutOffer,
        verbose_name=_("try-out offer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tryouts",
    )
    expectation = models.TextField(_("what I expect"), blank=True)
    finding = models.TextField(_("what I found"), blank=True)
    wants_this = models.CharField(
        _("I want this job"), max_length=10, choices=WantsThis.choices, blank=True
    )
    reflected_before_at = models.DateTimeField(_("reflection before, on"), null=True, blank=True)
    reflected_after_at = models.DateTimeField(_("reflection after, on"), null=True, blank=True)

    objects = ScopedByUse.as_manager()

    class Meta:
        verbose_name = _("try-out")
        verbose_name_plural = _("try-outs")

    def __str__(self) -> str:
        return str(self.offer or self.use)

    @property
    def audit_organisation(self) -> Organisation:
        return self.use.trajectory.organisation
