"""What a sign-in through an identity provider says, read the same way for SAML and OpenID Connect."""

from dataclasses import dataclass, field

from accounts.sso.providers import AUTHN_CONTEXTS, NAME_ID, NAME_ID_FORMAT, SESSION_INDEX


@dataclass(frozen=True)
class Claims:
    email: str
    groups: frozenset[str]
    hsa_id: str
    contexts: frozenset[str]  # AuthnContextClassRef (SAML), acr and amr values (OIDC)
    logout: dict = field(default_factory=dict)  # what single logout needs later


def _values(raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list | tuple | set):
        return [str(v) for v in raw if v not in (None, "")]
    return [str(raw)] if raw != "" else []


def read_claims(sociallogin, policy) -> Claims:
    account = sociallogin.account
    extra = account.extra_data or {}
    user = sociallogin.user
    email = (user.email or "").strip().lower()
    if account.get_provider().id == "saml":
        attributes = extra
        first = lambda key: (_values(attributes.get(key)) or [""])[0]  # noqa: E731 - a local reader
        groups = _values(attributes.get(policy.groups_attribute)) if policy.groups_attribute else []
        hsa = first(policy.hsa_attribute) if policy.hsa_attribute else ""
        contexts = _values(extra.get(AUTHN_CONTEXTS))
        logout = {
            "protocol": "saml",
            "org": sociallogin.account.get_provider().app.client_id,
            "name_id": extra.get(NAME_ID),
            "name_id_format": extra.get(NAME_ID_FORMAT),
            "session_index": extra.get(SESSION_INDEX),
        }
    else:
        id_token = extra.get("id_token") or {}
        userinfo = extra.get("userinfo") or {}
        merged = {**id_token, **userinfo}
        groups = _values(merged.get(policy.groups_attribute)) if policy.groups_attribute else []
        hsa = (_values(merged.get(policy.hsa_attribute)) or [""])[0] if policy.hsa_attribute else ""
        contexts = _values(id_token.get("acr")) + _values(id_token.get("amr"))
        logout = {"protocol": "openid_connect", "provider_id": account.provider}
    return Claims(
        email=email,
        groups=frozenset(groups),
        hsa_id=hsa,
        contexts=frozenset(contexts),
        logout=logout,
    )
