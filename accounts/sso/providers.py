"""allauth's SAML provider, keeping what the assertion says about how the person signed in."""

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


provider_classes = [OrganisationSAMLProvider]
