"""Factories for assignments, shared by the tests of assignments and of the apps that read it."""

from datetime import date, time, timedelta

import factory

from assignments.enums import AssignmentStatus, SessionMode
from assignments.models import Assignment, Session
from tests.factories import ExperienceResourceFactory, UnitRequestFactory


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    request = factory.SubFactory(UnitRequestFactory)
    resource = factory.SubFactory(ExperienceResourceFactory)
    reference = factory.Sequence(lambda n: f"LB-2026-{n:04d}-1")
    status = AssignmentStatus.DRAFTING
    title = "Berätta om att leva med diabetes"
    contact_name = "Karin Kontakt"
    contact_email = "karin.kontakt@regionexempel.se"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    assignment = factory.SubFactory(AssignmentFactory)
    date = factory.LazyFunction(lambda: date.today() + timedelta(days=14))
    starts_at = time(13, 0)
    ends_at = time(16, 0)
    mode = SessionMode.ON_SITE
    address = "Storgatan 1, Linköping"
