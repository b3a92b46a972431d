"""Documents as PDF (issue #7): the owner gets each one, in Dutch with its real content;
generating one is audited (R-PRV-4); outside the user's scope it does not exist (R-PRV-1);
the data overview never holds the protected section (R-PRV-3)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from pypdf import PdfReader

from doorstroom.clients.services import sensitive_note_add
from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.core.models import AuditEvent
from doorstroom.core.pdf import document_html
from doorstroom.core.text import short_date
from doorstroom.employers import services as employer_services
from doorstroom.employers.models import Agreement
from doorstroom.evaluations import services as evaluation_services
from doorstroom.evaluations.models import Evaluation
from doorstroom.plans import documents as plan_documents
from doorstroom.plans.models import PlanVersion
from tests.dossiers import days_ago, fresh, make_trajectory
from tests.employers.builders import make_employer, make_workplace, sign_tripartite
from tests.evaluations.builders import all_scores, make_pop, place_with_mentor, plan_evaluation

pytestmark = pytest.mark.django_db

LEVELS = {"hygiene": (1, 3), "cope-with-pressure": (2, 3)}


def nl(day: datetime.date) -> str:
    """A date as the documents print it (nl-BE: 5-3-2026)."""
    from django.utils import translation

    with translation.override("nl-be"):
        return short_date(day)


def pdf_text(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def http(user: Any) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


def audited(kind: str, user: Any, target: Any) -> bool:
    return AuditEvent.objects.filter(
        action=f"documents.{kind}.generated",
        actor=user,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
    ).exists()


@pytest.fixture
def trajectory(owner: Any) -> Any:
    return make_trajectory(owner, start=days_ago(300), first_name="Zoë", last_name="Vérhaegen")


@pytest.fixture
def version(trajectory: Any, owner: Any) -> PlanVersion:
    return make_pop(trajectory, owner, levels=LEVELS, on=days_ago(295))


def complete(evaluation: Evaluation, by: Any, *, held_on: datetime.date) -> Evaluation:
    """Complete with the coach's, the mentor's and the client's own levels."""
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    from doorstroom.evaluations.models import EvaluationScore

    EvaluationScore.objects.bulk_create(
        EvaluationScore(evaluation=evaluation, competence_id=c, source="mentor", level=3)
        for c in all_scores(evaluation, 3)
    )
    return evaluation_services.evaluation_record(
        evaluation,
        coach_scores=all_scores(evaluation, 2),
        self_scores=all_scores(evaluation, 4),
        held_on=held_on,
        conclusions="Zoë werkt zelfstandiger; één keer te laat gekomen.",
        next_steps="Meer verantwoordelijkheid in de keuken.",
        complete=True,
        expected_version=evaluation.version,
        by=by,
    )


# --- POP ---------------------------------------------------------------------------------


def test_it_renders_the_pop_with_the_competence_chart(
    trajectory: Any, version: PlanVersion, owner: Any
) -> None:
    placement = place_with_mentor(trajectory, owner)
    evaluation = plan_evaluation(trajectory, owner, placement=placement, on=days_ago(100))
    complete(evaluation, owner, held_on=days_ago(100))
    make_pop(trajectory, owner, levels=LEVELS, on=days_ago(90), goals="Een opleiding hulpkok")
    response = http(owner).get(reverse("plans:version-pdf", args=[version.pk]))
    text = pdf_text(response)
    assert "Zoë Vérhaegen" in text
    assert "Hygiënisch werken" in text
    assert "Persoonlijk ontwikkelplan (POP)" in text
    assert nl(version.drawn_up_on) in text
    assert "Zelfstandig een werkdag volhouden" in text
    assert "Een opleiding hulpkok" not in text  # that is version 2
    assert 'filename="POP-v1-Zoe-Verhaegen-' in response["Content-Disposition"]
    assert audited("pop", owner, trajectory)


def test_the_pop_document_draws_a_chart_per_competence(
    trajectory: Any, version: PlanVersion, owner: Any
) -> None:
    placement = place_with_mentor(trajectory, owner)
    evaluation = plan_evaluation(trajectory, owner, placement=placement, on=days_ago(100))
    complete(evaluation, owner, held_on=days_ago(100))
    loaded = plan_documents.version_for_document(PlanVersion.objects.all()).get(pk=version.pk)
    html = document_html(plan_documents.TEMPLATE, plan_documents.pop_context(loaded))
    assert html.count('data-testid="competence-chart"') == 2
    assert html.count("<svg viewBox=") == 2
    assert html.count("<polyline") == 2 * 3  # coach, mentor and self per competence
    # …and WeasyPrint draws them: each chart's time axis ("06/26") is in the PDF's text.
    text = pdf_text(http(owner).get(reverse("plans:version-pdf", args=[version.pk])))
    assert "Competentiebeeld" in text
    assert text.count(days_ago(100).strftime("%m/%y")) == 2


def test_the_pop_without_evaluations_says_the_picture_comes_later(
    version: PlanVersion, owner: Any
) -> None:
    text = pdf_text(http(owner).get(reverse("plans:version-pdf", args=[version.pk])))
    assert "Hygiënisch werken" in text
    assert "Het beeld verschijnt na de eerste afgeronde evaluatie." in text


def test_documents_are_dutch_also_for_a_user_who_reads_english(
    version: PlanVersion, owner: Any
) -> None:
    owner.language = "en"
    owner.save(update_fields=["language"])
    client = http(owner)
    page = client.get(reverse("plans:detail", args=[version.trajectory_id])).content.decode()
    assert "Personal development plan (POP)" in page
    text = pdf_text(client.get(reverse("plans:version-pdf", args=[version.pk])))
    assert "Persoonlijk ontwikkelplan (POP)" in text
    assert "Te ontwikkelen competenties" in text


def test_the_pop_page_links_to_the_pdf_of_the_version_shown(
    version: PlanVersion, owner: Any
) -> None:
    page = http(owner).get(reverse("plans:detail", args=[version.trajectory_id]))
    assert reverse("plans:version-pdf", args=[version.pk]) in page.content.decode()


# --- Evaluation report -------------------------------------------------------------------


def test_it_renders_the_evaluation_report_with_the_levels_per_source(
    trajectory: Any, version: PlanVersion, owner: Any
) -> None:
    placement = place_with_mentor(trajectory, owner)
    evaluation = plan_evaluation(trajectory, owner, placement=placement, on=days_ago(100))
    complete(evaluation, owner, held_on=days_ago(98))
    client = http(owner)
    page = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert reverse("evaluations:evaluation-pdf", args=[evaluation.pk]) in page
    text = pdf_text(client.get(reverse("evaluations:evaluation-pdf", args=[evaluation.pk])))
    assert "Zoë Vérhaegen" in text
    assert "Zesmaandelijkse evaluatie" in text
    assert "Zelfbeoordeling" in text
    assert "Hygiënisch werken 3 2 3 4" in text  # target, coach, mentor, self
    assert "Marc Wouters" in text
    assert "één keer te laat gekomen" in text
    assert "Meer verantwoordelijkheid in de keuken." in text
    assert nl(days_ago(98)) in text
    assert audited("evaluation", owner, trajectory)


# --- Agreements --------------------------------------------------------------------------


def test_it_renders_the_cooperation_agreement_with_the_commitment_clause(owner: Any) -> None:
    employer = make_employer(owner, name="Crèche Zonnebloem Geel")
    agreement = Agreement.objects.get(employer=employer, kind="cooperation")
    client = http(owner)
    page = client.get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert reverse("employers:agreement-pdf", args=[agreement.pk]) in page
    text = pdf_text(client.get(reverse("employers:agreement-pdf", args=[agreement.pk])))
    assert "Samenwerkingsovereenkomst" in text
    assert "Crèche Zonnebloem Geel" in text
    assert "OCMW Geel" in text
    assert "Ann Peeters" in text  # the signatories
    assert "Jan Janssens" in text
    assert nl(agreement.signed_on) in text
    assert "Engagementsclausule" in text
    assert "NEC" in text
    assert audited("cooperation_agreement", owner, agreement)


def test_a_tripartite_agreement_has_no_document_of_its_own(trajectory: Any, owner: Any) -> None:
    employer = make_employer(owner)
    tripartite = sign_tripartite(employer, trajectory, owner)
    response = http(owner).get(reverse("employers:agreement-pdf", args=[tripartite.pk]))
    assert response.status_code == 404


def _third_party_placement(trajectory: Any, owner: Any) -> Any:
    employer = make_employer(owner, name="Wasserij Kempenwas", kind="nec")
    sign_tripartite(employer, trajectory, owner, signed_on=days_ago(200))
    mentor = employer_services.contact_add(
        employer, role="mentor", data={"name": "Luc Bols", "job_title": "Ploegbaas"}, by=owner
    )
    workplace = make_workplace(employer, owner, title="Productiemedewerker wasserij")
    return employer_services.placement_start(
        fresh(trajectory),
        workplace,
        kind="work_experience",
        start=days_ago(150),
        planned_end=None,
        mentor=mentor,
        regime_steps=[(days_ago(150), Decimal("0.50")), (days_ago(60), Decimal("0.80"))],
        expected_version=fresh(trajectory).version,
        by=owner,
    )


def test_it_renders_the_placement_agreement_with_the_tripartite_facts(
    trajectory: Any, owner: Any
) -> None:
    placement = _third_party_placement(trajectory, owner)
    client = http(owner)
    page = client.get(dossier_url(trajectory.client_id, Tab.PLACEMENTS)).content.decode()
    assert reverse("employers:placement-pdf", args=[placement.pk]) in page
    text = pdf_text(client.get(reverse("employers:placement-pdf", args=[placement.pk])))
    assert "Zoë Vérhaegen" in text
    assert "Productiemedewerker wasserij" in text
    assert "Wasserij Kempenwas" in text
    assert "Luc Bols" in text
    assert "50 %" in text
    assert "80 %" in text
    assert nl(days_ago(150)) in text
    assert nl(days_ago(60)) in text
    assert "terbeschikkingstelling" in text
    assert nl(days_ago(200)) in text  # the tripartite agreement's signature
    assert audited("placement_agreement", owner, trajectory)


def test_an_internal_placement_needs_no_tripartite_agreement(trajectory: Any, owner: Any) -> None:
    placement = place_with_mentor(trajectory, owner)  # an internal workfloor
    text = pdf_text(http(owner).get(reverse("employers:placement-pdf", args=[placement.pk])))
    assert "Marc Wouters" in text
    assert "terbeschikkingstelling" not in text


# --- Data overview -----------------------------------------------------------------------


def test_the_data_overview_never_holds_the_protected_section(
    trajectory: Any, version: PlanVersion, owner: Any
) -> None:
    client_record = trajectory.client
    sensitive_note_add(
        client_record, category="medical", text="Diabetes type 1, insulinepomp.", by=owner
    )
    client = http(owner)
    page = client.get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert reverse("clients:overview-pdf", args=[client_record.pk]) in page
    text = pdf_text(client.get(reverse("clients:overview-pdf", args=[client_record.pk])))
    assert "Zoë Vérhaegen" in text
    assert nl(client_record.birth_date) in text
    assert "Punctueel, werkt graag met de handen" in text  # the intake
    assert "Hygiënisch werken" in text  # the POP versions
    assert "R-PRV-3" in text.replace("\n", "")  # it says so (a line may break in "R-PRV-3")
    assert "Diabetes" not in text
    assert "insulinepomp" not in text
    assert audited("data_overview", owner, client_record)


# --- Access ------------------------------------------------------------------------------


@pytest.fixture
def urls(trajectory: Any, version: PlanVersion, owner: Any) -> list[str]:
    placement = place_with_mentor(trajectory, owner)
    evaluation = plan_evaluation(trajectory, owner, placement=placement, on=days_ago(10))
    agreement = Agreement.objects.get(employer=placement.workplace.employer, kind="cooperation")
    return [
        reverse("plans:version-pdf", args=[version.pk]),
        reverse("evaluations:evaluation-pdf", args=[evaluation.pk]),
        reverse("employers:agreement-pdf", args=[agreement.pk]),
        reverse("employers:placement-pdf", args=[placement.pk]),
        reverse("clients:overview-pdf", args=[trajectory.client_id]),
    ]


def test_an_outsider_gets_404_for_every_document_and_nothing_is_audited(
    urls: list[str], outsider: Any
) -> None:
    client = http(outsider)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(action__startswith="documents.").exists()


def test_a_teammate_of_the_same_ocmw_gets_the_documents(urls: list[str], teammate: Any) -> None:
    client = http(teammate)
    for url in urls:
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf", url
    assert AuditEvent.objects.filter(actor=teammate, action__startswith="documents.").count() == 5


def test_without_a_privacy_training_no_document(urls: list[str], owner: Any) -> None:
    owner.privacy_training_date = None
    owner.save(update_fields=["privacy_training_date"])
    client = http(owner)
    for url in urls:
        assert client.get(url).status_code == 403, url
