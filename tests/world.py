"""Worlds of test data shared by module-scoped fixtures (built once, rolled back at the end).

``build_dossier`` makes one client of a coach's OCMW with something of every kind the API serves
(moved here from tests/api/test_scoping.py); ``build_matrix_world`` adds what the web pages need
(documents, consents, protected notes, links, 360° rounds, try-outs, imports, kennisbank) and the
users of every role, for the access matrix (tests/core/test_access_matrix.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from doorstroom.accounts.models import Organisation, User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.accounts.services import api_token_create
from doorstroom.employers import services as employer_services
from doorstroom.reports import services as report_services
from doorstroom.trajectories import services as trajectory_services
from doorstroom.trajectories.models import EmploymentContract
from tests.dossiers import days_ago, fresh, make_trajectory
from tests.employers.builders import make_workplace
from tests.evaluations.builders import make_pop, place_with_mentor, plan_evaluation
from tests.factories import OrganisationFactory, member, municipality
from tests.instruments.builders import register as register_instrument_use

# The world: OCMW A with rich dossiers, OCMW B with the outsiders -----------------------------


@dataclass
class World:
    owner: User
    outsiders: dict[str, User]
    dossiers: list[dict[str, Any]]
    keys: dict[str, str]  # e-mail → API key

    @property
    def dossier(self) -> dict[str, Any]:
        return self.dossiers[0]

    def key(self, user: User) -> str:
        return self.keys[user.email]


def ocmw(name: str, area: str) -> Organisation:
    organisation = OrganisationFactory(name=name, kind=OrganisationKind.OCMW)
    organisation.service_area.set([municipality(area)])
    return organisation


_mentors = iter(range(1, 10_000_000))


def build_dossier(coach: User, **client: Any) -> dict[str, Any]:
    """One client of the coach's OCMW with something of every kind the API serves.

    ``client``: fields of the client (e.g. a recognisable ``last_name``).
    """
    trajectory = make_trajectory(coach, start=days_ago(200), **client)
    trajectory_services.contract_save(
        trajectory,
        data={
            "start": trajectory.start,
            "end": None,
            "weekly_hours": 19,
            "full_time_weekly_hours": 38,
            "days_credited": 0,
            "rva_status": "draft",
        },
        expected_version=None,
        by=coach,
    )
    suspension = trajectory_services.suspension_start(
        fresh(trajectory),
        start=days_ago(150),
        end=days_ago(140),
        reason="Ziekte",
        expected_version=fresh(trajectory).version,
        by=coach,
    )
    plan = make_pop(trajectory, coach)
    placement = place_with_mentor(trajectory, coach, email=f"mentor{next(_mentors)}@groen.test")
    evaluation = plan_evaluation(trajectory, coach, placement=placement)
    use = register_instrument_use(fresh(trajectory), coach)
    # ended, so that a new placement can start today (CREATE_BODY)
    employer_services.placement_end(
        placement,
        end=days_ago(1),
        reason="rotation",
        note="",
        expected_version=placement.version,
        by=coach,
    )
    report_services.outflow_record(
        fresh(trajectory),
        data={"on": days_ago(0), "kind": "training", "details": "Opleiding heftruck"},
        expected_version=fresh(trajectory).version,
        by=coach,
    )
    end_report = report_services.end_report_draft(fresh(trajectory), by=coach)
    # a second workplace, free: the client's matches leave out the one they work at
    free = make_workplace(placement.workplace.employer, coach, title="Magazijnmedewerker")
    trajectory = fresh(trajectory)
    return {
        "client": trajectory.client,
        "intake": trajectory.intake,
        "trajectory": trajectory,
        "phase": trajectory.phases.order_by("start").first(),
        "suspension": suspension,
        "employment_contract": EmploymentContract.objects.get(trajectory=trajectory),
        "plan": plan,
        "placement": placement,
        "employer": placement.workplace.employer,
        "workplace": placement.workplace,
        "free_workplace": free,
        "mentor": placement.mentor,
        "evaluation": evaluation,
        "instrument_use": use,
        "end_report": end_report,
    }


def build_world(dossiers: int) -> World:
    ocmw_a = ocmw("OCMW Geel", "Geel")
    ocmw_b = ocmw("OCMW Mol", "Mol")
    owner = member(ocmw_a, Role.COACH, first_name="An", email="an.api@geel.test")
    outsiders = {
        "coach": member(ocmw_b, Role.COACH, first_name="Bram", email="bram.api@mol.test"),
        "team_lead": member(ocmw_b, Role.TEAM_LEAD, first_name="Lea", email="lea.api@mol.test"),
    }
    built = [build_dossier(owner) for _ in range(dossiers)]
    keys = {
        user.email: api_token_create(user, name="tests", by=user)[1]
        for user in (owner, *outsiders.values())
    }
    return World(owner=owner, outsiders=outsiders, dossiers=built, keys=keys)


@contextlib.contextmanager
def world_for_module(django_db_blocker: Any, dossiers: int) -> Iterator[World]:
    """Build the world once for a test module, inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (pytest-django's ``db``), so a test that writes
    leaves the world as it found it.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world(dossiers)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# The access matrix's world: one rich dossier of OCMW A and a user of every role -----------------

# The client's surname: a page or API answer that shows it to someone of OCMW B leaks the dossier.
MATRIX_MARKER = "Zwaluwvelde"


@dataclass
class MatrixWorld:
    users: dict[str, User]  # by role column: coach, teammate, outsider, team_lead, ...
    objects: dict[str, Any]  # OCMW A's objects (a model, or a dict of URL kwargs)
    keys: dict[str, str]  # role column → API key


def _matrix_users(ocmw_a: Organisation, ocmw_b: Organisation) -> dict[str, User]:
    return {
        "coach": member(ocmw_a, Role.COACH, first_name="An", email="an.matrix@geel.test"),
        "teammate": member(ocmw_a, Role.COACH, first_name="Griet", email="griet.matrix@geel.test"),
        "outsider": member(ocmw_b, Role.COACH, first_name="Bram", email="bram.matrix@mol.test"),
        "team_lead": member(ocmw_a, Role.TEAM_LEAD, first_name="Lea", email="lea.matrix@geel.test"),
        "privacy_officer": member(
            ocmw_a, Role.PRIVACY_OFFICER, first_name="Filip", email="dpo.matrix@geel.test"
        ),
        "admin": member(
            ocmw_a, Role.ADMIN, email="beheer.matrix@geel.test", is_staff=True, is_superuser=True
        ),
    }


def _client_extras(dossier: dict[str, Any], coach: User, granted: User) -> dict[str, Any]:
    """What a client dossier holds besides its trajectory: documents, consent, protected notes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doorstroom.clients import services as client_services

    client = dossier["client"]
    partner = OrganisationFactory(name="Leerwerkbedrijf De Sprong", kind=OrganisationKind.PARTNER)
    note = client_services.sensitive_note_add(
        client, category="medical", text="Geheime diagnose", by=coach
    )
    referral = client_services.referral_create(
        data={
            "kind": "art60",
            "first_name": "Jonas",
            "last_name": "Vermeulen",
            "birth_date": days_ago(12_000),
            "to_organisation": coach.primary_organisation,
            "to_coach": coach,
            "referred_on": days_ago(3),
            "context": "Wil graag in de groenzorg werken.",
        },
        by=coach,
    )
    return {
        "document": client_services.document_add(
            client,
            title="Attest",
            file=SimpleUploadedFile("attest.pdf", b"%PDF-1.4\n%%EOF\n"),
            by=coach,
        ),
        "consent": client_services.consent_record(
            client,
            data={"organisation": partner, "scope": "Werkplekgegevens", "given_on": days_ago(10)},
            by=coach,
        ),
        "note": note,
        "protected_access": client_services.sensitive_access_grant(client, user=granted, by=coach),
        "referral": referral,
    }


def _link_token(url: str) -> dict[str, str]:
    return {"token": url.rstrip("/").rsplit("/", 1)[1]}


def _development_extras(dossier: dict[str, Any], coach: User) -> dict[str, Any]:
    """Secret links (client view, mentor, 360°), a 360° round, a try-out, aftercare."""
    import datetime

    from django.utils import timezone

    from doorstroom.evaluations import services as evaluation_services
    from doorstroom.plans import services as plan_services
    from doorstroom.reports.models import AftercareContact
    from tests.instruments.builders import make_offer, start_tryout

    trajectory = fresh(dossier["trajectory"])
    _client_link, client_url = plan_services.client_link_send(trajectory, email="", by=coach)
    mentor = evaluation_services.mentor_link_send(dossier["evaluation"], by=coach)
    feedback_round = evaluation_services.round_open(
        fresh(trajectory),
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        questions=["Wat doet %(name)s goed?"],
        expected_version=fresh(trajectory).version,
        by=coach,
    )
    respondent, feedback = evaluation_services.respondent_invite(
        feedback_round, relation="colleague", name="Tom", email="", by=coach
    )
    offer = make_offer(coach)
    tryout = start_tryout(fresh(trajectory), offer, coach, start=days_ago(30), days=5)
    aftercare = AftercareContact.objects.create(
        trajectory=trajectory,
        kind="job_coaching",
        planned_on=days_ago(0),
        with_mentor=False,
        created_by=coach,
    )
    return {
        "plan_link": _link_token(client_url),
        "mentor_link": _link_token(mentor.url),
        "feedback_link": _link_token(feedback.url),
        "feedback_round": feedback_round,
        "respondent": respondent,
        "offer": offer,
        "tryout": {"pk": tryout.use_id, "moment": "before"},
        "aftercare": aftercare,
    }


def _organisation_extras(dossier: dict[str, Any], coach: User, lead: User) -> dict[str, Any]:
    """An import run, a kennisbank document, the coach's password-reset link, API nesting."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.files.base import ContentFile
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from doorstroom.imports import services as import_services
    from tests.imports.files import CLIENT_HEADERS, client_rows, csv_bytes
    from tests.library.builders import make_document, make_template

    library_document = make_document(coach)
    agreement = dossier["employer"].agreements.order_by("pk").first()
    agreement.document.save("akkoord.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return {
        "agreement": agreement,
        "import_run": import_services.import_check(
            kind="clients",
            content=csv_bytes(CLIENT_HEADERS, client_rows(2)),
            file_name="klanten.csv",
            by=lead,
        ),
        "library_document": library_document,
        "library_version": {"pk": library_document.pk, "number": 1},
        # shared with every organisation (kennisbank): the outsider may use it too
        "library_template": make_template(coach, "Beste klant,", visibility="shared"),
        "password_reset": {
            "uidb64": urlsafe_base64_encode(force_bytes(coach.pk)),
            "token": default_token_generator.make_token(coach),
        },
        "coach_user": coach,
        "organisation": coach.primary_organisation,
        "client_intake": {"pk": dossier["client"].pk, "intake_pk": dossier["intake"].pk},
        "client_nested": {"client_pk": dossier["client"].pk},
        "trajectory_end_report": {
            "pk": dossier["trajectory"].pk,
            "end_report_pk": dossier["end_report"].pk,
        },
    }


def build_matrix_world() -> MatrixWorld:
    """OCMW A with one rich dossier led by its coach; OCMW B with the outsider."""
    ocmw_a = ocmw("OCMW Geel", "Geel")
    ocmw_b = ocmw("OCMW Mol", "Mol")
    users = _matrix_users(ocmw_a, ocmw_b)
    coach = users["coach"]
    granted = member(ocmw_a, Role.COACH, email="toegang.matrix@geel.test")
    dossier = build_dossier(coach, last_name=MATRIX_MARKER)
    objects = {
        **dossier,
        **_client_extras(dossier, coach, granted),
        **_development_extras(dossier, coach),
        **_organisation_extras(dossier, coach, users["team_lead"]),
    }
    keys = {role: api_token_create(user, name="matrix", by=user)[1] for role, user in users.items()}
    return MatrixWorld(users=users, objects=objects, keys=keys)


@contextlib.contextmanager
def matrix_world_for_module(django_db_blocker: Any) -> Iterator[MatrixWorld]:
    """Build the matrix world once, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_matrix_world()
        transaction.set_rollback(True)
