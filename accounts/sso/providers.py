"""allauth's SAML provider, keeping what the assertion says about how the person signed in."""

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.socialaccount.providers.saml.provider import SAMLProvider

# Keys we add to the account's extra_data beside the assertion's attributes.
AUTHN_CONTEXTS = "_authn_contexts"
NAME_ID = "_name_id"
NAME_ID_FORMAT = "_name_id_format"
SESSION_INDEX = "_session_index"


class OrganisationSAMLProvider(SAMLProvider):
    package = SAMLProvider.get_package()  # allauth's URLs and templates for SAML, not ours

    def extract_extra_data(self, data):
        extra = dict(super().extract_extra_data(data))
        extra[AUTHN_CONTEXTS] = list(data.get_last_authn_contexts() or [])
        extra[NAME_ID] = data.get_nameid()
        extra[NAME_ID_FORMAT] = data.get_nameid_format()
        extra[SESSION_INDEX] = data.get_session_index()
        return extra


class VerifyingOIDCAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token: str) -> dict:
        # The ID token's signature is always checked against the provider's published keys,
        # even when it came straight from the token endpoint (where the spec would allow
        # skipping it): a misconfigured proxy or TLS setup must not make a forged token pass.
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


class OrganisationOIDCProvider(OpenIDConnectProvider):
    package = "accounts.sso.oidc"  # our urls.py: the same addresses, with the verifying adapter
    oauth2_adapter_class = VerifyingOIDCAdapter


provider_classes = [OrganisationSAMLProvider, OrganisationOIDCProvider]
