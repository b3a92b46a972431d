"""REST API v1, the last of the contract (issue 9): an unexpected error is a 500 problem
details without a traceback; every answer says its language and varies on Accept-Language; the
schema requires the ``version`` of a PATCH (optimistic locking) and documents the 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.accounts.models import User
from doorstroom.api.resources import trajectories as trajectory_resource
from tests.api.test_dossiers import Api, url
from tests.dossiers import days_ago, make_trajectory

pytestmark = pytest.mark.django_db


def broken(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("secret detail of a bug")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_unexpected_error_is_a_500_problem_without_a_traceback(
    owner: User, monkeypatch: pytest.MonkeyPatch, language: str, caplog: pytest.LogCaptureFixture
) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    monkeypatch.setattr(trajectory_resource, "deadlines_of", broken)
    response = Api(owner, language).get(url("trajectory-detail", trajectory.pk))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 500
    assert body["title"] == ("Server error" if language == "en" else body["title"])
    text = response.content.decode()
    assert "Traceback" not in text
    assert "secret detail" not in text
    assert "<html" not in text.lower()
    # the traceback goes to the log, for whoever runs the server
    assert any("secret detail of a bug" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_a_500_title_is_translated(owner: User, monkeypatch: pytest.MonkeyPatch) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    monkeypatch.setattr(trajectory_resource, "deadlines_of", broken)
    english = Api(owner, "en").get(url("trajectory-detail", trajectory.pk)).json()
    dutch = Api(owner).get(url("trajectory-detail", trajectory.pk)).json()
    assert english["title"] == "Server error"
    assert english["detail"] != dutch["detail"] or english["title"] != dutch["title"]


@pytest.mark.parametrize(("accept", "language"), [("en-GB,en;q=0.9", "en"), ("", "nl")])
def test_answers_say_their_language_and_vary_on_accept_language(
    owner: User, accept: str, language: str
) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    api = Api(owner, accept)
    for response in (
        api.get(url("trajectory-detail", trajectory.pk)),  # 200
        api.get(url("trajectory-detail", 10**9)),  # 404
        api.post(url("evaluation-list"), {}),  # 400
        HttpClient(headers={"Accept-Language": accept}).get(url("trajectory-list")),  # 401
    ):
        assert "Accept-Language" in response["Vary"], response.status_code
        assert response["Content-Language"].startswith(language), response.status_code


@pytest.fixture
def schema(db: None) -> dict[str, Any]:
    response = HttpClient().get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def body_schema(schema: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    content = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
    name = content["schema"]["$ref"].rsplit("/", 1)[-1]
    found: dict[str, Any] = schema["components"]["schemas"][name]
    return found


@pytest.mark.parametrize(
    "path", ["/api/v1/clients/{id}/", "/api/v1/employers/{id}/", "/api/v1/workplaces/{id}/"]
)
def test_the_schema_requires_the_version_of_a_patch(schema: dict[str, Any], path: str) -> None:
    body = body_schema(schema, path, "patch")
    assert "version" in body["properties"]
    assert body.get("required") == ["version"], body.get("required")


def test_the_schema_documents_the_new_writes_and_the_500(schema: dict[str, Any]) -> None:
    writes = {
        ("/api/v1/evaluations/", "post"): {"trajectory", "kind", "planned_on", "version"},
        ("/api/v1/evaluations/{id}/complete/", "post"): {"version"},
        ("/api/v1/development-plans/", "post"): {"trajectory", "goals", "competences"},
        ("/api/v1/placements/", "post"): {"trajectory", "workplace", "regime_steps"},
        ("/api/v1/placements/{id}/end/", "post"): {"end", "reason", "version"},
        ("/api/v1/placements/{id}/followups/", "post"): {"on", "notes"},
        ("/api/v1/employers/", "post"): {"name", "kind", "sector", "contact"},
        ("/api/v1/workplaces/", "post"): {"employer", "title"},
        ("/api/v1/clients/{id}/intakes/", "post"): {"assessed_on", "strengths"},
        ("/api/v1/clients/{id}/intakes/{intake_pk}/decide/", "post"): {"decision", "version"},
        ("/api/v1/trajectories/{id}/outflow/", "put"): {"on", "kind", "version"},
        ("/api/v1/trajectories/{id}/outflow-followups/", "post"): {"months", "at_work"},
    }
    for (path, method), required in writes.items():
        body = body_schema(schema, path, method)
        assert required <= set(body.get("required", [])), (path, body.get("required"))
        responses = schema["paths"][path][method]["responses"]
        for code in ("400", "409", "500", *(["404"] if "{" in path else [])):
            assert "application/problem+json" in responses[code]["content"], (path, code)
    detail = schema["paths"]["/api/v1/trajectories/{id}/end-reports/{end_report_pk}/"]["get"]
    ok = detail["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    facts = schema["components"]["schemas"][ok.rsplit("/", 1)[-1]]["properties"]["facts"]
    assert facts["type"] == "object"
