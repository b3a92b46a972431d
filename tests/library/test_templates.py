"""Templates filled from a dossier (docxtpl): the data, the scoping, the audit, bad templates."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from docx import Document as DocxDocument

from doorstroom.core.models import AuditEvent
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import make_trajectory
from tests.factories import member
from tests.library.builders import english, make_document, make_template, place_at

pytestmark = pytest.mark.django_db

AGREEMENT = (
    "Samenwerking tussen {{ organisation_name }} en {{ employer_name }} ({{ workplace }}).",
    "Cliënt: {{ client_name }}, {{ client_address }}; coach {{ coach_name }}; {{ today }}.",
)


def text_of(content: bytes) -> str:
    document = DocxDocument(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def placed_trajectory(owner: Any) -> tuple[Trajectory, Any]:
    trajectory = make_trajectory(owner, first_name="Sofie", last_name="Maes")
    return trajectory, place_at(trajectory, owner, "Groendienst De Linde")


def fill(client: HttpClient, document: Any, trajectory: Any, **data: Any) -> Any:
    return client.post(
        reverse("library:fill", args=[document.pk]),
        {"trajectory": trajectory.pk, "placement": "", "respondent_name": "", **data},
    )


def test_a_template_filled_from_a_dossier_holds_the_client_s_and_employer_s_names(
    client: HttpClient, owner: Any
) -> None:
    """The issue's done-when: open the DOCX back and find the names."""
    trajectory, placement = placed_trajectory(owner)
    template = make_template(owner, *AGREEMENT)
    client.force_login(owner)
    response = fill(client, template, trajectory, placement=placement.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = text_of(response.content)
    assert "Sofie Maes" in text
    assert "Groendienst De Linde" in text
    assert "Medewerker groenonderhoud" in text
    assert "OCMW Geel" in text
    assert "Markt 1, 2440 Geel" in text
    assert "{{" not in text


def test_without_a_chosen_placement_the_current_one_is_used(client: HttpClient, owner: Any) -> None:
    trajectory, _placement = placed_trajectory(owner)
    client.force_login(owner)
    response = fill(client, make_template(owner, *AGREEMENT), trajectory)
    assert "Groendienst De Linde" in text_of(response.content)


def test_filling_is_audited_as_a_read_of_the_dossier(client: HttpClient, owner: Any) -> None:
    """R-PRV-4: a document made from a dossier is a dossier read."""
    trajectory, placement = placed_trajectory(owner)
    template = make_template(owner, *AGREEMENT)
    client.force_login(owner)
    fill(client, template, trajectory, placement=placement.pk)
    event = AuditEvent.objects.get(action="library.template.filled")
    assert (event.actor, event.target_type, event.target_id) == (
        owner,
        "trajectories.trajectory",
        str(trajectory.pk),
    )
    assert event.purpose == "document from template"
    assert event.changes["document"] == template.pk
    assert event.changes["placement"] == placement.pk


def test_a_respondent_s_name_fills_the_360_letter(client: HttpClient, owner: Any) -> None:
    trajectory = make_trajectory(owner, first_name="Sofie")
    template = make_template(owner, "Beste {{ respondent_name }}, {{ client_first_name }} vraagt")
    client.force_login(owner)
    response = fill(client, template, trajectory, respondent_name="Jan Claes")
    assert "Beste Jan Claes, Sofie vraagt" in text_of(response.content)


def test_an_outsider_cannot_fill_from_a_dossier_they_do_not_see(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    trajectory, _placement = placed_trajectory(owner)
    template = make_template(outsider, *AGREEMENT, visibility="shared")
    client.force_login(outsider)
    assert fill(client, template, trajectory).status_code == 404
    url = reverse("library:fill", args=[template.pk])
    assert client.get(url, {"trajectory": trajectory.pk}).status_code == 404
    assert (
        client.get(reverse("library:trajectory-templates", args=[trajectory.pk])).status_code == 404
    )
    assert not AuditEvent.objects.filter(action="library.template.filled").exists()


def test_a_placement_of_another_trajectory_is_refused_on_its_field(
    client: HttpClient, owner: Any
) -> None:
    trajectory, _placement = placed_trajectory(owner)
    _other, other_placement = placed_trajectory(owner)
    client.force_login(english(owner))
    response = fill(
        client, make_template(owner, *AGREEMENT), trajectory, placement=other_placement.pk
    )
    assert response.status_code == 200
    assert response.context["form"].errors["placement"] == [
        "Choose a placement of the chosen trajectory."
    ]


@pytest.mark.parametrize(
    ("paragraph", "message"),
    [
        ("{{ client_name ", "The template cannot be filled"),
        ("{% if %}", "The template cannot be filled"),
        ("{{ national_number }}", "The template uses a field that does not exist"),
        ("{{ ''.__class__.__mro__ }}", "The template cannot be filled"),  # the sandbox
    ],
)
def test_a_malformed_template_gives_a_clear_message_not_a_500(
    client: HttpClient, owner: Any, paragraph: str, message: str
) -> None:
    trajectory = make_trajectory(owner)
    client.force_login(english(owner))
    response = fill(client, make_template(owner, paragraph), trajectory)
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith(message)
    assert not AuditEvent.objects.filter(action="library.template.filled").exists()


def test_a_document_that_is_not_a_docx_template_cannot_be_filled(
    client: HttpClient, owner: Any
) -> None:
    trajectory = make_trajectory(owner)
    contract = make_document(owner, category="contract")
    text_template = make_document(owner, category="template")  # a text file, not a DOCX
    client.force_login(owner)
    assert fill(client, contract, trajectory).status_code == 404
    assert fill(client, text_template, trajectory).status_code == 404


def test_the_detail_page_offers_the_user_s_trajectories_and_lists_the_fields(
    client: HttpClient, owner: Any, teammate: Any
) -> None:
    mine = make_trajectory(owner, first_name="Sofie", last_name="Maes")
    make_trajectory(teammate, first_name="Tom", last_name="Teammaat")
    template = make_template(owner, *AGREEMENT)
    client.force_login(owner)
    html = client.get(reverse("library:detail", args=[template.pk])).content.decode()
    assert 'data-testid="fill-form"' in html
    assert f'<option value="{mine.pk}">Sofie Maes' in html
    assert "Teammaat" not in html  # a colleague's dossier is not offered here
    assert "client_name" in html
    assert "employer_name" in html


def test_the_dossier_s_template_page_fills_for_that_trajectory(
    client: HttpClient, owner: Any, teammate: Any
) -> None:
    """A teammate may fill from a colleague's dossier they can see (R-PRV-1)."""
    trajectory, placement = placed_trajectory(owner)
    template = make_template(owner, *AGREEMENT)
    make_document(owner, title="Geen sjabloon")
    client.force_login(teammate)
    html = client.get(
        reverse("library:trajectory-templates", args=[trajectory.pk])
    ).content.decode()
    assert html.count('data-testid="template"') == 1
    assert "Groendienst De Linde" in html
    response = fill(client, template, trajectory, placement=placement.pk)
    assert "Sofie Maes" in text_of(response.content)


def test_filling_needs_a_privacy_training(client: HttpClient, owner: Any, ocmw_a: Any) -> None:
    """R-PRV-2: no dossier data without a recorded privacy training."""
    untrained = member(ocmw_a, "coach", privacy_training_date=None)
    trajectory = make_trajectory(owner)
    template = make_template(owner, *AGREEMENT)
    client.force_login(untrained)
    html = client.get(reverse("library:detail", args=[template.pk])).content.decode()
    assert 'data-testid="fill-form"' not in html
    assert fill(client, template, trajectory).status_code == 403
