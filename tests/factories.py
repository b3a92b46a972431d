"""Factories for the test suite (factory-boy, Faker nl_BE)."""

from __future__ import annotations

import datetime

import factory

from doorstroom.accounts.models import Membership, Municipality, Organisation, PostalCode, User
from doorstroom.accounts.reference_data import load_municipalities
from doorstroom.accounts.roles import OrganisationKind, Role


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"OCMW Testgemeente {n}")
    kind = OrganisationKind.OCMW


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@test.doorstroom.be")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    privacy_training_date = datetime.date(2026, 1, 15)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def persist(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COACH


def member(organisation: Organisation, role: Role = Role.COACH, **user_fields: object) -> User:
    """Create a user with one role in ``organisation``."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def municipality(name: str) -> Municipality:
    """Return a municipality by Dutch name (reference data from the data migration).

    Transactional tests (browser tests) flush the database afterwards, reference data
    included; the next one reloads it here.
    """
    if not Municipality.objects.exists():
        load_municipalities(Municipality, PostalCode)
    return Municipality.objects.get(name_nl=name)
