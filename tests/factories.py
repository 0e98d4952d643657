import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from accounts.enums import Role
from accounts.models import RoleGrant, User
from registry.enums import ResourceStatus
from registry.models import ExperienceResource
from requests_app.models import CareUnit

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


__all__ = ["PASSWORD", "TOTP_SECRET", "CareUnitFactory", "ExperienceResourceFactory", "Role", "UserFactory"]
