"""Matching explained in the coach's words: one sentence per score component and exclusion.

The rules core (R-PLC-5) returns codes and facts; this module turns them into translated text,
the same way `trajectories.deadlines.explain` does for deadlines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstroom.clients.models import DutchLevel, WorkDemand
from doorstroom.rules.matching import Component, ComponentCode, Constraint, Exclusion

COMPONENT_LABELS: dict[ComponentCode, str | Promise] = {
    ComponentCode.OCCUPATION: gettext_lazy("Job target"),
    ComponentCode.COMPETENCES: gettext_lazy("Competences to develop"),
    ComponentCode.DUTCH: gettext_lazy("Dutch"),
    ComponentCode.REGIME: gettext_lazy("Regime"),
    ComponentCode.COMMUTE: gettext_lazy("Commute"),
    ComponentCode.CAPACITY: gettext_lazy("Free places"),
    ComponentCode.AGREEMENT: gettext_lazy("Agreement"),
}

CONSTRAINT_LABELS: dict[Constraint, str | Promise] = {
    Constraint.NO_CAPACITY: gettext_lazy("No free place"),
    Constraint.NO_AGREEMENT: gettext_lazy("No cooperation agreement"),
    Constraint.LIMITATION: gettext_lazy("Demands the client cannot meet"),
    Constraint.DRIVING_LICENCE: gettext_lazy("Driving licence needed"),
    Constraint.REGIME: gettext_lazy("Regime too high"),
    Constraint.UNREACHABLE: gettext_lazy("Too far without own transport"),
    Constraint.CURRENT: gettext_lazy("Current workplace"),
}


@dataclass(frozen=True)
class ComponentRow:
    label: str
    percent: int | None  # None: not scored
    weight: Decimal
    text: str


def percent(score: Decimal | None) -> int | None:
    return None if score is None else int((score * 100).to_integral_value())


def _regime(value: str) -> str:
    return "?" if value == "unknown" else f"{Decimal(value) * 100:.0f} %"


def _cefr(level: str) -> str:
    """The rules core names Dutch levels A1…C2 or "none"; show "none" in the user's language."""
    return str(DutchLevel("none").label) if level == "none" else level


Facts = dict[str, str]


def _occupation_text(facts: Facts) -> str:
    if facts.get("unscored") == "no_job_targets":
        return _("The client has no job targets yet: not scored.")
    if facts.get("unscored") == "no_occupation":
        return _("The workplace has no occupation: not scored.")
    return {
        "unit_group": _("The occupation is one of the client's job targets."),
        "minor_group": _("A related occupation: the same ISCO minor group as a job target."),
        "major_group": _("The same broad field (ISCO major group) as a job target."),
    }.get(facts.get("match", ""), _("The occupation is far from the client's job targets."))


def _competences_text(facts: Facts) -> str:
    if facts.get("unscored") == "no_pop":
        return _("No POP yet: the competences to develop are not known, so not scored.")
    if facts.get("unscored"):
        return _("The POP lists no competences to develop: not scored.")
    return _("The workplace trains %(share)s of the competences the POP wants to develop.") % {
        "share": facts.get("share", "")
    }


def _dutch_text(facts: Facts) -> str:
    levels = {"client": _cefr(facts["client"]), "asked": _cefr(facts["asked"])}
    if facts.get("shortfall", "0") == "0":
        return _("The client's Dutch (%(client)s) is enough for this workplace.") % levels
    return (
        _(
            "The workplace asks Dutch %(asked)s, the client has %(client)s: language coaching "
            "can bridge the gap."
        )
        % levels
    )


def _regime_text(facts: Facts) -> str:
    return _("The workplace offers %(low)s to %(high)s; the client can work up to %(client)s.") % {
        "low": _regime(facts["workplace_min"]),
        "high": _regime(facts["workplace_max"]),
        "client": _regime(facts["client_max"]),
    }


def _commute_text(facts: Facts) -> str:
    if facts.get("unscored"):
        return _("The location is not known: not scored.")
    distance = {
        "same_municipality": _("in the client's municipality"),
        "same_arrondissement": _("in the client's arrondissement"),
        "same_province": _("in the client's province"),
        "other_province": _("in another province"),
    }.get(facts.get("distance", ""), _("at an unknown location"))
    transport = []
    if facts.get("own_transport") == "yes":
        transport.append(_("own transport"))
    if facts.get("public_transport") == "yes":
        transport.append(_("public transport"))
    return _("The workplace lies %(distance)s; the client travels by %(transport)s.") % {
        "distance": distance,
        "transport": _(" or ").join(transport)
        if transport
        else _("neither own nor public transport"),
    }


def _capacity_text(facts: Facts) -> str:
    return _("%(free)s of %(capacity)s places free.") % facts


def _agreement_text(facts: Facts) -> str:
    if facts.get("agreement") == "in_force":
        return _("A signed cooperation agreement is in force.")
    return _("The cooperation agreement expires soon: renew it before a long placement.")


# One sentence per score component, from the facts the rules core reports (R-PLC-5).
COMPONENT_TEXTS: dict[ComponentCode, Callable[[Facts], str]] = {
    ComponentCode.OCCUPATION: _occupation_text,
    ComponentCode.COMPETENCES: _competences_text,
    ComponentCode.DUTCH: _dutch_text,
    ComponentCode.REGIME: _regime_text,
    ComponentCode.COMMUTE: _commute_text,
    ComponentCode.CAPACITY: _capacity_text,
    ComponentCode.AGREEMENT: _agreement_text,
}


def component_rows(components: tuple[Component, ...]) -> list[ComponentRow]:
    """Each component of a match with its label, score, weight and reason."""
    return [
        ComponentRow(
            str(COMPONENT_LABELS[c.code]),
            percent(c.score),
            c.weight,
            COMPONENT_TEXTS[c.code](dict(c.facts)),
        )
        for c in components
    ]


def exclusion_text(exclusion: Exclusion) -> str:
    """Why a workplace cannot be proposed ("waarom niet?"), with the facts that decided it."""
    facts = dict(exclusion.facts)
    code = exclusion.code
    if code is Constraint.LIMITATION:
        labels = dict(WorkDemand.choices)
        demands = ", ".join(str(labels.get(name, name)) for name, _icf in exclusion.facts)
        return _("The workplace demands what the client cannot do: %(demands)s.") % {
            "demands": demands
        }
    if code is Constraint.NO_CAPACITY:
        return _("No free place: %(occupied)s of %(capacity)s taken.") % facts
    if code is Constraint.NO_AGREEMENT:
        return _(
            "No signed cooperation agreement with the commitment clause is in force (R-PLC-1)."
        )
    if code is Constraint.DRIVING_LICENCE:
        return _("The workplace needs a driving licence; the client has none.")
    if code is Constraint.REGIME:
        return _("The workplace asks at least %(low)s; the client can work up to %(client)s.") % {
            "low": _regime(facts["workplace_min"]),
            "client": _regime(facts["client_max"]),
        }
    if code is Constraint.UNREACHABLE:
        return _("The workplace lies in another province and the client has no own transport.")
    return _("The client works here now.")


def exclusion_rows(exclusions: tuple[Exclusion, ...]) -> list[tuple[str, str]]:
    return [(str(CONSTRAINT_LABELS[e.code]), exclusion_text(e)) for e in exclusions]
