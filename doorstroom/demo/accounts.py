"""Demo organisations in the Kempen region, and the demo users (password ``doorstroom``)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group, Permission

from doorstroom.accounts.models import Membership, Municipality, Organisation, User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.demo.context import DEMO_PASSWORD, DemoContext

TRAINED_ON = datetime.date(2026, 1, 15)

ORGANISATIONS = [
    # key, name, kind, seat, service area
    ("ocmw_a", "OCMW Geel", OrganisationKind.OCMW, "Geel", ["Geel"]),
    ("ocmw_b", "OCMW Mol", OrganisationKind.OCMW, "Mol", ["Mol"]),
    ("partner", "Leerwerkbedrijf Kempen", OrganisationKind.PARTNER, "Herentals", []),
    ("vdab", "VDAB Geel", OrganisationKind.VDAB, "Geel", []),
]

USERS = [
    # e-mail, first name, last name, organisation key, role, trained, staff
    ("coach@demo.doorstroom.be", "An", "Peeters", "ocmw_a", Role.COACH, True, False),
    ("coach2@demo.doorstroom.be", "Bram", "Janssens", "ocmw_b", Role.COACH, True, False),
    ("teamlead@demo.doorstroom.be", "Carine", "Wouters", "ocmw_a", Role.TEAM_LEAD, True, False),
    ("counsellor@demo.doorstroom.be", "Dirk", "Maes", "vdab", Role.COUNSELLOR, True, False),
    ("admin@demo.doorstroom.be", "Els", "Claes", "ocmw_a", Role.ADMIN, True, True),
    ("dpo@demo.doorstroom.be", "Filip", "Goossens", "ocmw_a", Role.PRIVACY_OFFICER, True, False),
    ("coach3@demo.doorstroom.be", "Griet", "Willems", "ocmw_a", Role.COACH, True, False),
    (
        "maatschappelijk@demo.doorstroom.be",
        "Hanne",
        "Mertens",
        "ocmw_a",
        Role.SOCIAL_WORKER,
        True,
        False,
    ),
    ("teamlead2@demo.doorstroom.be", "Ilse", "Dubois", "ocmw_b", Role.TEAM_LEAD, True, False),
    ("partner@demo.doorstroom.be", "Jan", "Vermeulen", "partner", Role.COACH, True, False),
    ("nieuw@demo.doorstroom.be", "Kato", "Hermans", "ocmw_a", Role.COACH, False, False),
]

ADMIN_GROUP = "Functioneel beheerders"


def _admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return group


def load_organisations_and_users(ctx: DemoContext) -> None:
    municipalities = {m.name_nl: m for m in Municipality.objects.all()}
    for key, name, kind, seat, area in ORGANISATIONS:
        organisation = Organisation.objects.create(
            name=name, kind=kind, municipality=municipalities[seat]
        )
        organisation.service_area.set([municipalities[m] for m in area])
        ctx.organisations[key] = organisation
    admins = _admin_group()
    for email, first, last, org_key, role, trained, staff in USERS:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            is_staff=staff,
            privacy_training_date=TRAINED_ON if trained else None,
        )
        Membership.objects.create(user=user, organisation=ctx.organisations[org_key], role=role)
        if staff:
            user.groups.add(admins)
        ctx.users[email.split("@")[0]] = user
