from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from accounts.enums import Role
from accounts.models import RoleGrant, User
from matching.models import Conflict, Inquiry
from registry.enums import ResourceStatus
from registry.models import Event, ExperienceResource
from requests_app.enums import RequestStatus
from requests_app.models import CareUnit, UnitRequest
from requests_app.services import submit_request

PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@regionexempel.se")
    full_name = factory.Faker("name", locale="sv_SE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or []:
            RoleGrant.objects.create(user=self, role=role)
        EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        self.__dict__.pop("roles", None)

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        if extracted:
            TOTP.activate(self, TOTP_SECRET)


class CareUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareUnit

    name = factory.Sequence(lambda n: f"Vårdenhet {n}")
    organisation = "Universitetssjukhuset"
    cost_centre = factory.Sequence(lambda n: f"{41000 + n}")


class ExperienceResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceResource

    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.Sequence(lambda n: f"resurs{n}@exempel.se")
    status = ResourceStatus.ACTIVE
    municipality = "Linköping"
    birth_year = 1960
    story = "Jag har levt med diabetes i trettio år."


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Nätverksträff {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=2))
    place = "Hälsans hus, Linköping"


class UnitRequestFactory(factory.django.DjangoModelFactory):
    """A complete draft; `submitted()` sends it the way the unit's form does."""

    class Meta:
        model = UnitRequest

    unit = factory.SubFactory(CareUnitFactory)
    contact_name = "Karin Vårdsson"
    contact_email = "karin.vardsson@regionexempel.se"
    kind = "improvement"
    title = factory.Sequence(lambda n: f"Förbättringsarbete {n}")
    purpose = "Vi gör om informationen till nya patienter."
    people_count = 2
    format = "on_site"
    location = "Universitetssjukhuset, plan 3"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    duration = "half_day"
    reply_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


def submitted_request(**kwargs) -> UnitRequest:
    return submit_request(UnitRequestFactory(**kwargs), actor=kwargs.get("created_by"))


def request_at(status: str, **kwargs) -> UnitRequest:
    """A submitted request moved straight to `status` (no transition, no mail, no log)."""
    unit_request = submitted_request(**kwargs)
    UnitRequest.objects.filter(pk=unit_request.pk).update(status=status)
    unit_request.refresh_from_db()
    return unit_request


def active_resource(**kwargs) -> ExperienceResource:
    """Someone the shortlist may propose: active and through the introduction training."""
    kwargs.setdefault("training_completed_on", date(2025, 9, 1))
    return ExperienceResourceFactory(**kwargs)


class InquiryFactory(factory.django.DjangoModelFactory):
    """An inquiry waiting for an answer, on a request under matching."""

    class Meta:
        model = Inquiry

    request = factory.LazyFunction(lambda: request_at(RequestStatus.MATCHING))
    resource = factory.LazyFunction(active_resource)
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conflict

    resource = factory.LazyFunction(active_resource)
    unit = factory.SubFactory(CareUnitFactory)


__all__ = [
    "PASSWORD",
    "TOTP_SECRET",
    "CareUnitFactory",
    "ConflictFactory",
    "EventFactory",
    "ExperienceResourceFactory",
    "InquiryFactory",
    "Role",
    "UnitRequestFactory",
    "UserFactory",
    "active_resource",
    "request_at",
    "submitted_request",
]
