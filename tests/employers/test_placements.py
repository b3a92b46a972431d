"""Employers, agreements and placements through the pages: rules refuse in Dutch, nothing saved."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from doorstroom.core.errors import DomainError
from doorstroom.core.models import AuditEvent
from doorstroom.core.text import short_date
from doorstroom.employers import services
from doorstroom.employers.models import EmployerContact, Placement, PlacementFollowUp
from doorstroom.trajectories.deadlines import deadlines_of
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock
from tests.dossiers import days_ago, fresh, make_trajectory
from tests.employers.builders import (
    employer_data,
    make_employer,
    make_workplace,
    mentor,
    place,
    sign_tripartite,
)

pytestmark = pytest.mark.django_db


def post(http: HttpClient, url: str, data: dict[str, Any]) -> Any:
    return http.post(url, {k: ("" if v is None else v) for k, v in data.items()})


def form_errors(response: Any) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def placement_form(workplace: Any, start: datetime.date, **overrides: Any) -> dict[str, Any]:
    data = {
        "workplace": workplace.pk,
        "kind": "work_experience",
        "mentor": "",
        "start": start.isoformat(),
        "planned_end": "",
        "regime": "0.50",
        "step2_from": "",
        "step2_regime": "",
        "step3_from": "",
        "step3_regime": "",
    }
    data.update(overrides)
    return data


def codes(trajectory: Trajectory) -> set[str]:
    fresh_one = with_clock(Trajectory.objects.filter(pk=trajectory.pk)).get()
    return {d.code.value for d in deadlines_of(fresh_one, timezone.localdate())}


def test_a_placement_without_a_cooperation_agreement_is_refused_in_dutch(
    client: HttpClient, owner: Any
) -> None:
    """R-PLC-1: the employer needs a signed cooperation agreement with the commitment clause."""
    trajectory = make_trajectory(owner)
    employer = make_employer(owner, agreement=False, kind="internal")
    workplace = make_workplace(employer, owner)
    client.force_login(owner)
    url = reverse("employers:placement_start", args=[trajectory.pk])
    response = post(client, url, placement_form(workplace, days_ago(10)))
    assert response.status_code == 200
    assert form_errors(response)["workplace"] == [
        f"{employer.name} heeft op {short_date(days_ago(10))} geen ondertekende "
        "samenwerkingsovereenkomst met de engagementsclausule. Registreer eerst de overeenkomst."
    ]
    assert not Placement.objects.exists()


def test_an_art60_placement_at_a_third_party_user_needs_the_tripartite_agreement(
    client: HttpClient, owner: Any
) -> None:
    """R-PLC-1: art. 60 §7 terbeschikkingstelling needs the agreement signed before the start."""
    trajectory = make_trajectory(owner)
    employer = make_employer(owner, kind="nec")
    workplace = make_workplace(employer, owner)
    client.force_login(owner)
    url = reverse("employers:placement_start", args=[trajectory.pk])
    response = post(client, url, placement_form(workplace, days_ago(10)))
    assert "driepartijenovereenkomst" in form_errors(response)["workplace"][0]
    assert not Placement.objects.exists()

    sign_tripartite(employer, trajectory, owner)
    response = post(client, url, placement_form(workplace, days_ago(10)))
    assert response.status_code == 302
    assert Placement.objects.get().workplace == workplace


def test_an_internal_workfloor_needs_no_tripartite_agreement(owner: Any) -> None:
    """R-PLC-1: the OCMW's own workfloor is no third-party user."""
    trajectory = make_trajectory(owner)
    workplace = make_workplace(make_employer(owner, kind="internal"), owner)
    placement = place(trajectory, workplace, owner, start=days_ago(10))
    assert placement.regime_steps.get().regime == Decimal("0.50")


def test_a_regime_below_half_time_is_refused_in_dutch(client: HttpClient, owner: Any) -> None:
    """R-PLC-3: every step of the build-up is at least half-time."""
    trajectory = make_trajectory(owner)
    workplace = make_workplace(make_employer(owner, kind="internal"), owner)
    client.force_login(owner)
    url = reverse("employers:placement_start", args=[trajectory.pk])
    response = post(
        client,
        url,
        placement_form(
            workplace,
            days_ago(20),
            regime="0.50",
            step2_from=days_ago(10).isoformat(),
            step2_regime="0.40",
        ),
    )
    assert form_errors(response)["regime"] == [
        f"Een plaatsing is minstens halftijds (50 %): 40 % vanaf {short_date(days_ago(10))} is te "
        "weinig. Bouw op vanaf halftijds."
    ]
    assert not Placement.objects.exists()


def test_a_gradual_build_up_from_half_time_is_kept_step_by_step(owner: Any) -> None:
    """R-PLC-3: the regime may build up over time ("TWE 2.0")."""
    trajectory = make_trajectory(owner)
    workplace = make_workplace(make_employer(owner, kind="internal"), owner)
    placement = services.placement_start(
        trajectory,
        workplace,
        kind="work_experience",
        start=days_ago(60),
        planned_end=None,
        mentor=None,
        regime_steps=[(days_ago(60), Decimal("0.5")), (days_ago(30), Decimal("0.8"))],
        by=owner,
    )
    services.regime_step_add(
        placement,
        start=days_ago(5),
        regime=Decimal("1.0"),
        expected_version=placement.version,
        by=owner,
    )
    assert [s.regime for s in placement.regime_steps.all()] == [
        Decimal("0.50"),
        Decimal("0.80"),
        Decimal("1.00"),
    ]


def test_an_overlapping_placement_is_refused_until_the_first_one_ends(
    client: HttpClient, owner: Any
) -> None:
    trajectory = make_trajectory(owner)
    employer = make_employer(owner, kind="internal")
    first = make_workplace(employer, owner, title="Keukenhulp")
    second = make_workplace(employer, owner, title="Magazijnier")
    running = place(trajectory, first, owner, start=days_ago(60))
    client.force_login(owner)
    url = reverse("employers:placement_start", args=[trajectory.pk])
    response = post(client, url, placement_form(second, days_ago(5)))
    assert form_errors(response)["start"] == [
        f"Deze plaatsing overlapt met die bij Keukenhulp vanaf {short_date(days_ago(60))}. "
        "Beëindig eerst die plaatsing (bijvoorbeeld voor jobrotatie)."
    ]
    services.placement_end(
        running,
        end=days_ago(6),
        reason="rotation",
        note="",
        expected_version=running.version,
        by=owner,
    )
    response = post(client, url, placement_form(second, days_ago(5)))
    assert response.status_code == 302
    assert fresh(trajectory).placements.count() == 2


def test_a_second_contact_person_is_refused_in_dutch(client: HttpClient, owner: Any) -> None:
    """R-PLC-2: exactly one contact person per employer (mentors may be several)."""
    employer = make_employer(owner)
    client.force_login(owner)
    url = reverse("employers:contact_add", args=[employer.pk])
    response = post(client, url, {"role": "contact", "name": "Piet Claes"})
    assert form_errors(response)["role"] == [
        "Deze werkgever heeft al een contactpersoon: een werkgever heeft er precies één. "
        "Vervang de contactpersoon in plaats van een tweede toe te voegen."
    ]
    assert employer.contacts.filter(role="contact").count() == 1
    assert post(client, url, {"role": "mentor", "name": "Piet Claes"}).status_code == 302
    assert post(client, url, {"role": "mentor", "name": "Els Claes"}).status_code == 302
    assert employer.contacts.filter(role="mentor").count() == 2


def test_replacing_the_contact_person_keeps_exactly_one_and_the_history(owner: Any) -> None:
    """R-PLC-2."""
    employer = make_employer(owner)
    services.contact_replace(employer, data={"name": "Piet Claes"}, by=owner)
    active = EmployerContact.objects.filter(employer=employer, role="contact", is_active=True)
    assert [c.name for c in active] == ["Piet Claes"]
    assert EmployerContact.objects.filter(employer=employer, role="contact").count() == 2


def test_a_bad_enterprise_number_is_refused_on_its_field(client: HttpClient, owner: Any) -> None:
    client.force_login(owner)
    data = employer_data(
        enterprise_number="0403.019.262",
        contact_name="Ann Peeters",
        contact_job_title="",
        contact_phone="",
        contact_email="",
    )
    response = post(client, reverse("employers:create"), data)
    assert form_errors(response)["enterprise_number"] == [
        "Dit is geen geldig ondernemingsnummer (10 cijfers, bv. 0403.019.261)."
    ]
    data["enterprise_number"] = "BE 0403.019.261"
    response = post(client, reverse("employers:create"), data)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="employers.employer.created").exists()


def test_a_follow_up_clears_the_follow_up_deadline(owner: Any) -> None:
    """R-TRJ-8: every placement gets an on-the-job follow-up before it ends."""
    trajectory = make_trajectory(owner)
    workplace = make_workplace(make_employer(owner, kind="internal"), owner)
    placement = place(trajectory, workplace, owner, start=days_ago(30), planned_end=days_ago(-3))
    assert "placement_followup_due" in codes(trajectory)
    services.followup_add(
        placement, on=days_ago(2), notes="Werkt vlot mee, tempo ok.", mentor_present=True, by=owner
    )
    assert "placement_followup_due" not in codes(trajectory)
    assert PlacementFollowUp.objects.get().by == owner


def test_a_follow_up_in_the_future_or_without_notes_is_refused(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    workplace = make_workplace(make_employer(owner, kind="internal"), owner)
    placement = place(trajectory, workplace, owner, start=days_ago(30))
    with pytest.raises(DomainError) as future:
        services.followup_add(placement, on=days_ago(-1), notes="x", mentor_present=True, by=owner)
    assert future.value.field == "on"
    with pytest.raises(DomainError) as empty:
        services.followup_add(placement, on=days_ago(1), notes="  ", mentor_present=True, by=owner)
    assert empty.value.field == "notes"


def test_a_full_workplace_takes_no_new_placement(owner: Any) -> None:
    employer = make_employer(owner, kind="internal")
    workplace = make_workplace(employer, owner, capacity=1)
    place(make_trajectory(owner), workplace, owner, start=days_ago(30))
    with pytest.raises(DomainError) as full:
        place(make_trajectory(owner), workplace, owner, start=days_ago(20))
    assert full.value.code == "full"


def test_ending_for_rotation_needs_no_note_but_other_reasons_do(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    placement = place(
        trajectory,
        make_workplace(make_employer(owner, kind="internal"), owner),
        owner,
        start=days_ago(30),
    )
    with pytest.raises(DomainError) as missing:
        services.placement_end(
            placement,
            end=days_ago(1),
            reason="other",
            note="",
            expected_version=placement.version,
            by=owner,
        )
    assert missing.value.field == "note"
    services.placement_end(
        placement,
        end=days_ago(1),
        reason="rotation",
        note="",
        expected_version=placement.version,
        by=owner,
    )
    assert Placement.objects.get().end_reason == "rotation"


def test_a_stale_workplace_edit_is_refused(client: HttpClient, owner: Any) -> None:
    workplace = make_workplace(make_employer(owner), owner)
    client.force_login(owner)
    url = reverse("employers:workplace_edit", args=[workplace.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    services.workplace_reviewed(
        workplace, on=days_ago(1), expected_version=workplace.version, by=owner
    )
    data["title"] = "Andere titel"
    response = post(client, url, {k: v for k, v in data.items() if v is not False})
    assert "Iemand anders" in " ".join(str(e) for e in response.context["form"].non_field_errors())
    workplace.refresh_from_db()
    assert workplace.title == "Medewerker groenonderhoud"


def test_an_outsider_gets_404_on_every_employer_page(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    """R-PRV-1: employers, their workplaces and placements stay within the organisation."""
    trajectory = make_trajectory(owner)
    employer = make_employer(owner, kind="internal")
    workplace = make_workplace(employer, owner)
    person = mentor(employer, owner)
    placement = place(trajectory, workplace, owner, start=days_ago(10))
    agreement = employer.agreements.get()
    client.force_login(outsider)
    urls = [
        reverse("employers:detail", args=[employer.pk]),
        reverse("employers:edit", args=[employer.pk]),
        reverse("employers:contact_add", args=[employer.pk]),
        reverse("employers:contact_edit", args=[person.pk]),
        reverse("employers:agreement_add", args=[employer.pk]),
        reverse("employers:agreement_edit", args=[agreement.pk]),
        reverse("employers:agreement_document", args=[agreement.pk]),
        reverse("employers:workplace", args=[workplace.pk]),
        reverse("employers:workplace_edit", args=[workplace.pk]),
        reverse("employers:workplace_matches", args=[workplace.pk]),
        reverse("employers:client_matches", args=[trajectory.client_id]),
        reverse("employers:placement_start", args=[trajectory.pk]),
        reverse("employers:placement_followup", args=[placement.pk]),
        reverse("employers:placement_end", args=[placement.pk]),
        reverse("employers:placement_regime", args=[placement.pk]),
        reverse("employers:rotation", args=[placement.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("employers:list"))
    assert employer.name not in listing.content.decode()


def test_placements_are_audited(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    placement = place(
        trajectory,
        make_workplace(make_employer(owner, kind="internal"), owner),
        owner,
        start=days_ago(10),
    )
    services.followup_add(
        placement, on=days_ago(1), notes="Goed bezig.", mentor_present=True, by=owner
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "employers.employer.created",
        "employers.agreement.created",
        "employers.workplace.created",
        "employers.placement.started",
        "employers.placement.followed_up",
    } <= actions


def test_capacity_counts_placements_running_at_the_same_time_not_all_overlapping(
    owner: Any,
) -> None:
    """Two back-to-back placements and a third overlapping both fit in two places."""
    workplace = make_workplace(make_employer(owner, kind="internal"), owner, capacity=2)
    place(make_trajectory(owner), workplace, owner, start=days_ago(60), planned_end=days_ago(31))
    place(make_trajectory(owner), workplace, owner, start=days_ago(30))
    third = place(make_trajectory(owner), workplace, owner, start=days_ago(45))
    assert third.pk
    with pytest.raises(DomainError) as full:
        place(make_trajectory(owner), workplace, owner, start=days_ago(20))
    assert full.value.code == "full"


def test_a_regime_above_the_workplace_or_the_client_maximum_is_refused(owner: Any) -> None:
    """R-PLC-3 context: the build-up stays within the workplace's offer and the client's regime."""
    trajectory = make_trajectory(owner, max_regime=Decimal("0.80"))
    employer = make_employer(owner, kind="internal")
    part_time = make_workplace(employer, owner, max_regime=Decimal("0.60"))
    with pytest.raises(DomainError) as workplace_max:
        place(trajectory, part_time, owner, start=days_ago(10), regime="0.70")
    assert workplace_max.value.field == "regime"
    full_time = make_workplace(employer, owner)
    with pytest.raises(DomainError) as client_max:
        place(trajectory, full_time, owner, start=days_ago(10), regime="1.00")
    assert "80 %" in str(client_max.value)
    placement = place(trajectory, full_time, owner, start=days_ago(10), regime="0.80")
    with pytest.raises(DomainError):
        services.regime_step_add(
            placement,
            start=days_ago(1),
            regime=Decimal("1.00"),
            expected_version=placement.version,
            by=owner,
        )


def test_the_placement_form_never_lists_mentors_of_another_organisation(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    """R-PRV-1: a workplace id from another organisation in the URL reveals nobody."""
    employer = make_employer(owner, kind="internal")
    workplace = make_workplace(employer, owner)
    mentor(employer, owner, name="Marc Geheim")
    theirs = make_trajectory(outsider, postcode="2400")
    client.force_login(outsider)
    url = reverse("employers:placement_start", args=[theirs.pk])
    response = client.get(f"{url}?workplace={workplace.pk}")
    assert response.status_code == 200
    assert "Marc Geheim" not in response.content.decode()


def test_a_mentor_who_left_is_deactivated_by_a_post_only(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    """R-PLC-2: a mentor is deactivated, never deleted; the outsider cannot (R-PRV-1)."""
    person = mentor(make_employer(owner), owner)
    url = reverse("employers:mentor_deactivate", args=[person.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 405
    person.refresh_from_db()
    assert person.is_active
    response = client.post(url)
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert AuditEvent.objects.filter(action="employers.contact.deactivated").count() == 1
