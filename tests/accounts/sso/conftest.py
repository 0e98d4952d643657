import pytest
from allauth.socialaccount.models import SocialApp
from django.test import Client

from accounts.enums import Role
from accounts.models import IdentityProvider, RoleMapping
from tests.accounts.sso.servers import SITHS, OidcProvider, SamlIdP

SP_ENTITY = "https://lb.test/sp"
ORG = "region"


OTHER_SP = "https://another-service.example/sp"


def sp_metadata(base: str, entity: str = SP_ENTITY) -> str:
    """What the region gives its IdP: our entity id and where to post the answer."""
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"
      AuthnRequestsSigned="false" WantAssertionsSigned="true">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="{base}/accounts/saml/{ORG}/sls/"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
      Location="{base}/accounts/saml/{ORG}/acs/" index="1"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"""


def connect_saml(idp: SamlIdP, *, strong=(SITHS,), allow_unit_staff=False, domains="regionexempel.se") -> IdentityProvider:
    settings = idp.settings_for_app()
    settings["sp"] = {"entity_id": SP_ENTITY}
    settings["advanced"]["allow_single_label_domains"] = True  # the test client's host is "testserver"
    app = SocialApp.objects.create(provider="saml", provider_id=ORG, client_id=ORG, name="Region Exempel", settings=settings)
    policy = IdentityProvider.objects.create(
        app=app,
        email_domains=domains,
        groups_attribute="groups",
        hsa_attribute="urn:oid:0.9.2342.19200300.100.1.1",
        strong_contexts="\n".join(strong),
        allow_unit_staff=allow_unit_staff,
    )
    RoleMapping.objects.create(provider=policy, group="LB-Samordnare", role=Role.COORDINATOR)
    RoleMapping.objects.create(provider=policy, group="LB-Ekonomi", role=Role.FINANCE)
    return policy


def connect_oidc(op: OidcProvider, *, strong=("mfa",), allow_unit_staff=False) -> IdentityProvider:
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="entra",
        name="Kommunen (Entra ID)",
        client_id=op.client_id,
        secret=op.client_secret,
        settings=op.settings_for_app(),
    )
    policy = IdentityProvider.objects.create(
        app=app,
        email_domains="regionexempel.se",
        groups_attribute="groups",
        strong_contexts="\n".join(strong),
        allow_unit_staff=allow_unit_staff,
    )
    RoleMapping.objects.create(provider=policy, group="LB-Ekonomi", role=Role.FINANCE)
    RoleMapping.objects.create(provider=policy, group="LB-Samordnare", role=Role.COORDINATOR)
    return policy


@pytest.fixture
def saml_idp(tmp_path):
    # The IdP also knows another service, so it can be made to answer for the wrong audience.
    idp = SamlIdP(tmp_path, [sp_metadata("http://testserver"), sp_metadata("http://testserver", OTHER_SP)]).start()
    yield idp
    idp.stop()


@pytest.fixture
def oidc_op():
    op = OidcProvider().start()
    yield op
    op.stop()


@pytest.fixture
def client():
    # python3-saml reads the Host header, which a real browser always sends.
    return Client(HTTP_HOST="testserver")
