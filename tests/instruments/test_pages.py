"""Instrument pages for owner, teammate and outsider; refusals on their field, in Dutch."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.core.models import AuditEvent
from doorstroom.core.regulation import ruleset_on
from doorstroom.instruments.models import InstrumentUse, Tryout, TryoutOffer
from doorstroom.rules.periods import add_days
from tests.dossiers import days_ago, make_trajectory
from tests.employers.builders import make_employer, make_workplace
from tests.factories import member
from tests.instruments.builders import make_offer, register, start_tryout

pytestmark = pytest.mark.django_db


def post(http: HttpClient, url: str, data: dict[str, Any]) -> Any:
    return http.post(url, {k: ("" if v is None else v) for k, v in data.items()})


def form_errors(response: Any) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def use_form(start: datetime.date, days: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "ibo",
        "provider": "VDAB Geel",
        "start": start.isoformat(),
        "end": add_days(start, days - 1).isoformat(),
        "hours": "",
        "regime": "0.50",
        "result": "planned",
        "result_notes": "",
    }
    data.update(overrides)
    return data


def dossier(http: HttpClient, client_id: int) -> str:
    response = http.get(dossier_url(client_id, Tab.INSTRUMENTS))
    assert response.status_code == 200
    html = response.content.decode()
    assert "INVALID" not in html  # no unknown template variable in the section
    return html


def test_a_coach_registers_an_ibo_and_the_dossier_shows_it_with_its_limit(
    client: HttpClient, owner: Any
) -> None:
    """R-INS-1: registered with kind, provider, dates, hours and result; R-INS-2: its limit."""
    trajectory = make_trajectory(owner)
    client.force_login(owner)
    url = reverse("instruments:use_create", args=[trajectory.pk])
    page = client.get(url).content.decode()
    # The kinds and their limits from the rule set of the trajectory's start (R-VER-1).
    for limits in ruleset_on(trajectory.start).instruments:
        assert limits.label in page
    assert "R-TRJ-11" in page
    response = post(client, url, use_form(days_ago(20), 56, hours="152"))
    assert response.status_code == 302
    assert response.url == dossier_url(trajectory.client_id, Tab.INSTRUMENTS)
    use = InstrumentUse.objects.get()
    assert (use.kind, use.provider, use.created_by) == ("ibo", "VDAB Geel", owner)
    html = dossier(client, trajectory.client_id)
    assert html.count('data-testid="instrument-use"') == 1
    assert "IBO (individuele beroepsopleiding)" in html
    assert "4–26" in html
    assert "(R-INS-2)" in html
    assert "152" in html


def test_a_refused_registration_names_the_limit_on_its_field_and_saves_nothing(
    client: HttpClient, owner: Any
) -> None:
    """R-INS-2: a beroepsverkennende stage of 45 days is refused on the last day."""
    trajectory = make_trajectory(owner)
    client.force_login(owner)
    url = reverse("instruments:use_create", args=[trajectory.pk])
    response = post(
        client, url, use_form(days_ago(60), 45, kind="exploratory_internship", regime="1.00")
    )
    assert response.status_code == 200
    [message] = form_errors(response)["end"]
    assert message.startswith("Beroepsverkennende stage duurt hoogstens 30 dagen (R-INS-2)")
    assert "45 dagen" in message
    assert not InstrumentUse.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="instruments.").exists()


def test_bad_input_is_answered_in_dutch_on_its_field(client: HttpClient, owner: Any) -> None:
    """SPEC §5: a clear Dutch message naming the field (nl-BE is the default language)."""
    trajectory = make_trajectory(owner)
    client.force_login(owner)
    url = reverse("instruments:use_create", args=[trajectory.pk])
    data = use_form(days_ago(20), 28, provider="", end="31-02-2026", kind="betaalde vakantie")
    errors = form_errors(post(client, url, data))
    assert errors["provider"] == ["Dit veld is verplicht."]
    assert errors["end"] == ["Voer een geldige datum in."]
    assert errors["kind"][0].startswith("Selecteer een geldige keuze.")
    assert not InstrumentUse.objects.exists()


def test_the_teammate_sees_and_edits_the_owner_s_registration(
    client: HttpClient, owner: Any, teammate: Any
) -> None:
    """R-PRV-1: the OCMW's own dossiers are shared within the team."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    use = register(trajectory, owner, start=days_ago(200))
    client.force_login(teammate)
    assert "VDAB Geel" in dossier(client, trajectory.client_id)
    url = reverse("instruments:use_edit", args=[use.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data |= {"result": "completed", "hours": "300"}
    response = post(client, url, data)
    assert response.status_code == 302
    use.refresh_from_db()
    assert (use.result, use.version) == ("completed", 2)
    assert AuditEvent.objects.get(action="instruments.use.updated").actor == teammate


def test_a_stale_edit_is_refused_in_dutch(client: HttpClient, owner: Any, teammate: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(300))
    use = register(trajectory, owner, start=days_ago(200))
    client.force_login(owner)
    url = reverse("instruments:use_edit", args=[use.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    client.force_login(teammate)
    assert post(client, url, {**data, "provider": "Syntra"}).status_code == 302
    client.force_login(owner)
    response = post(client, url, {**data, "provider": "VDAB Mol"})
    assert "Iemand anders" in " ".join(str(e) for e in response.context["form"].non_field_errors())
    assert InstrumentUse.objects.get().provider == "Syntra"


def test_a_try_out_from_the_catalogue_with_the_reflection_before_and_after(
    client: HttpClient, owner: Any
) -> None:
    """Seed 001, proeftuin: a safe try-out; the client's expectation before, findings after."""
    trajectory = make_trajectory(owner)
    offer = make_offer(owner, title="Snuffelen in de keuken")
    client.force_login(owner)
    html = dossier(client, trajectory.client_id)
    url = reverse("instruments:tryout_start", args=[trajectory.pk])
    assert url in html
    assert client.get(f"{url}?offer={offer.pk}").context["form"]["offer"].value() == offer.pk
    response = post(
        client,
        url,
        {
            "offer": offer.pk,
            "start": days_ago(12).isoformat(),
            "end": days_ago(3).isoformat(),
            "provider": "",
            "expectation": "",
        },
    )
    assert response.status_code == 302
    tryout = Tryout.objects.get()
    assert tryout.use.kind == "exploratory_internship"

    before = reverse("instruments:tryout_reflect", args=[tryout.use_id, "before"])
    after = reverse("instruments:tryout_reflect", args=[tryout.use_id, "after"])
    assert before in dossier(client, trajectory.client_id)
    assert (
        post(client, before, {"expectation": "Ik hoop dat ik mag koken.", "version": 1}).status_code
        == 302
    )
    response = post(
        client,
        after,
        {"finding": "Vooral afwassen, maar ik wil dit echt.", "wants_this": "yes", "version": 2},
    )
    assert response.status_code == 302
    html = dossier(client, trajectory.client_id)
    assert "Snuffelen in de keuken" in html
    assert "Ik hoop dat ik mag koken." in html
    assert "Vooral afwassen, maar ik wil dit echt." in html
    assert 'data-testid="wants-this"' in html


def test_the_reflection_after_waits_for_the_start(client: HttpClient, owner: Any) -> None:
    trajectory = make_trajectory(owner)
    tryout = start_tryout(trajectory, make_offer(owner), owner, start=add_days(days_ago(0), 7))
    client.force_login(owner)
    after = reverse("instruments:tryout_reflect", args=[tryout.use_id, "after"])
    assert after not in dossier(client, trajectory.client_id)
    response = post(client, after, {"finding": "Leuk.", "wants_this": "yes", "version": 1})
    assert response.status_code == 200
    assert "finding" in form_errors(response)
    assert not Tryout.objects.get().finding


def test_a_try_out_keeps_its_kind_on_the_edit_page(client: HttpClient, owner: Any) -> None:
    trajectory = make_trajectory(owner)
    tryout = start_tryout(trajectory, make_offer(owner), owner)
    client.force_login(owner)
    url = reverse("instruments:use_edit", args=[tryout.use_id])
    form = client.get(url).context["form"]
    assert form.fields["kind"].disabled
    data = {name: form[name].value() for name in form.fields}
    response = post(
        client, url, {**data, "kind": "job_coaching", "result": "completed", "hours": "30"}
    )
    assert response.status_code == 302
    assert InstrumentUse.objects.get().kind == "exploratory_internship"


def test_the_catalogue_lists_creates_and_edits_offers(client: HttpClient, owner: Any) -> None:
    workplace = make_workplace(make_employer(owner, name="Kringwinkel Geel"), owner)
    client.force_login(owner)
    response = post(
        client,
        reverse("instruments:offer_create"),
        {
            "title": "Een dag in de kringwinkel",
            "occupation": "",
            "workplace": workplace.pk,
            "description": "Sorteren en prijzen.",
            "max_days": "5",
        },
    )
    assert response.status_code == 302
    offer = TryoutOffer.objects.get()
    listing = client.get(reverse("instruments:offer_list")).content.decode()
    assert "Een dag in de kringwinkel" in listing
    assert "Kringwinkel Geel" in listing
    found = client.get(reverse("instruments:offer_list"), {"q": "KRINGWINKEL"}).content.decode()
    assert found.count('data-testid="offer"') == 1
    url = reverse("instruments:offer_edit", args=[offer.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    response = post(client, url, {**data, "max_days": "31"})
    assert "(R-INS-2)" in form_errors(response)["max_days"][0]
    response = post(client, url, {k: v for k, v in data.items() if k != "is_active"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert not offer.is_active  # the box left unticked
    listing = client.get(reverse("instruments:offer_list")).content.decode()
    assert "Een dag in de kringwinkel" not in listing
    everything = client.get(reverse("instruments:offer_list"), {"inactive": "on"})
    assert "Een dag in de kringwinkel" in everything.content.decode()


def test_the_offer_form_never_offers_another_organisation_s_workplace(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    """R-PRV-1: a posted workplace id of another organisation is refused, in Dutch."""
    theirs = make_workplace(make_employer(outsider, name="Geheim BV"), outsider)
    client.force_login(owner)
    url = reverse("instruments:offer_create")
    assert "Geheim BV" not in client.get(url).content.decode()
    response = post(
        client,
        url,
        {"title": "Proef", "workplace": theirs.pk, "max_days": "5", "description": ""},
    )
    assert form_errors(response)["workplace"][0].startswith("Selecteer een geldige keuze.")
    assert not TryoutOffer.objects.exists()


def test_the_kinds_page_lists_every_kind_with_its_limits(client: HttpClient, owner: Any) -> None:
    client.force_login(owner)
    html = client.get(reverse("instruments:kinds")).content.decode()
    kinds = ruleset_on(days_ago(0)).instruments
    assert html.count('data-testid="instrument-kind"') == len(kinds)
    assert "Beroepsverkennende stage" in html
    assert "4–26" in html


def test_an_outsider_gets_404_on_every_instruments_page(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    """R-PRV-1: uses, try-outs and the catalogue stay within the organisation."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    use = register(trajectory, owner, start=days_ago(200))
    offer = make_offer(owner, title="Proeven in de bakkerij")
    tryout = start_tryout(trajectory, offer, owner)
    client.force_login(outsider)
    urls = [
        reverse("instruments:use_create", args=[trajectory.pk]),
        reverse("instruments:tryout_start", args=[trajectory.pk]),
        reverse("instruments:use_edit", args=[use.pk]),
        reverse("instruments:use_edit", args=[tryout.use_id]),
        reverse("instruments:tryout_reflect", args=[tryout.use_id, "before"]),
        reverse("instruments:tryout_reflect", args=[tryout.use_id, "after"]),
        reverse("instruments:offer_edit", args=[offer.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"provider": "X", "title": "X"}).status_code == 404, url
    listing = client.get(reverse("instruments:offer_list")).content.decode()
    assert "Proeven in de bakkerij" not in listing
    assert InstrumentUse.objects.count() == 2
    assert TryoutOffer.objects.get().title == "Proeven in de bakkerij"


def test_unknown_reflection_pages_are_404(client: HttpClient, owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(300))
    use = register(trajectory, owner, start=days_ago(200))  # no try-out
    tryout = start_tryout(trajectory, make_offer(owner), owner)
    client.force_login(owner)
    assert (
        client.get(reverse("instruments:tryout_reflect", args=[use.pk, "before"])).status_code
        == 404
    )
    url = reverse("instruments:tryout_reflect", args=[tryout.use_id, "during"])
    assert client.get(url).status_code == 404


def test_instrument_pages_need_a_privacy_training(client: HttpClient, ocmw_a: Any) -> None:
    """R-PRV-2: dossier areas only after a recorded privacy training."""
    newcomer = member(ocmw_a, "coach", privacy_training_date=None)
    client.force_login(newcomer)
    assert client.get(reverse("instruments:offer_list")).status_code == 403


def test_the_dossier_without_a_trajectory_explains_when_instruments_come(
    client: HttpClient, owner: Any
) -> None:
    from tests.dossiers import make_client

    record = make_client(owner)
    client.force_login(owner)
    html = dossier(client, record.pk)
    assert 'id="instruments"' in html
    assert reverse("instruments:kinds") in html
    assert 'data-testid="register-instrument"' not in html


def test_a_stopped_trajectory_offers_no_new_try_out(client: HttpClient, owner: Any) -> None:
    from doorstroom.trajectories import services as trajectory_services

    trajectory = make_trajectory(owner, start=days_ago(200))
    trajectory_services.trajectory_stop(
        trajectory,
        on=days_ago(5),
        reason="drop_out",
        motivation="Geen contact meer.",
        expected_version=trajectory.version,
        by=owner,
    )
    client.force_login(owner)
    html = dossier(client, trajectory.client_id)
    assert 'data-testid="start-tryout"' not in html
    assert 'data-testid="register-instrument"' in html  # history can still be completed
