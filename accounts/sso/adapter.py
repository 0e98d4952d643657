"""The rules for signing in through an organisation's identity provider.

Every refusal says why in plain Swedish, is written to the audit log, and signs nobody in:
an unknown or switched-off provider, an address outside the provider's own domains (so a
municipality's provider can never sign in someone at the region), a staff member whose
group was removed since last time, and a person the provider gives no role when the
provider is not open to care-unit staff. Roles that came from groups follow the groups at
every sign-in.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.audit import log_action
from accounts.models import IdentityProvider, User
from accounts.sso import session as sso_session
from accounts.sso.claims import read_claims
from accounts.sso.roles import mapped_roles, sync_roles


def _refuse(request, reason: str, message: str, **data):
    log_action("accounts.sso.refused", data={"reason": reason, **data})
    messages.error(request, message)
    raise ImmediateHttpResponse(redirect("account_login"))


def policy_for(sociallogin) -> IdentityProvider | None:
    app = sociallogin.account.get_provider().app
    if app is None or not app.pk:
        return None
    return IdentityProvider.objects.filter(app=app, is_active=True).prefetch_related("role_mappings").first()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # Whether this person may have an account is decided in pre_social_login.
        return True

    def is_email_verified(self, provider, email) -> bool:
        # The provider vouches for addresses in its own domains, and only those: so an
        # existing account with that address is the same person (e-mail authentication),
        # and a municipality's provider can never speak for someone at the region.
        app = getattr(provider, "app", None)
        if app is None or not app.pk or not email:
            return False
        policy = IdentityProvider.objects.filter(app=app, is_active=True).first()
        return policy is not None and email.rpartition("@")[2].lower() in policy.domains

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(p for p in [data.get("first_name"), data.get("last_name")] if p)
        if name and not user.full_name:
            user.full_name = name[:200]
        if user.email:
            user.email = user.email.lower()
        return user

    def pre_social_login(self, request, sociallogin):
        policy = policy_for(sociallogin)
        provider = sociallogin.account.provider
        if policy is None:
            _refuse(
                request,
                "unknown_provider",
                _("Den här inloggningstjänsten är inte ansluten till Levande bibliotek."),
                provider=provider,
            )
        claims = read_claims(sociallogin, policy)
        domain = claims.email.rpartition("@")[2]
        if not claims.email or domain not in policy.domains:
            _refuse(
                request,
                "email_outside_domains",
                _("Din organisations inloggning gäller inte för din e-postadress. Kontakta samordnarna."),
                provider=str(policy),
                domain=domain,
            )
        user = sociallogin.user if sociallogin.is_existing else None
        if user is None:
            user = User.objects.filter(email__iexact=claims.email).first()
        roles = mapped_roles(policy, claims.groups)
        if user is not None and user.pk:
            had_idp_roles = user.role_grants.filter(identity_provider=policy).exists()
            other_roles = user.role_grants.filter(identity_provider__isnull=True).exists()
            if had_idp_roles and not roles and not other_roles and not policy.allow_unit_staff:
                sync_roles(user, policy, roles)
                _refuse(
                    request,
                    "group_removed",
                    _("Du har inte längre någon roll i Levande bibliotek enligt din organisation. Kontakta samordnarna."),
                    provider=str(policy),
                    user=user.pk,
                )
            # Role changes at the provider take effect now, at the sign-in.
            sync_roles(user, policy, roles, hsa_id=claims.hsa_id)
        elif not roles and not policy.allow_unit_staff:
            _refuse(
                request,
                "no_role",
                _("Din organisation har inte gett dig någon roll i Levande bibliotek. Kontakta samordnarna."),
                provider=str(policy),
            )
        strong = bool(claims.contexts & policy.strong_values)
        sso_session.remember(request, policy=policy, claims=claims, roles=roles, strong=strong)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # A bad signature, the wrong audience, an expired or replayed assertion, a provider
        # that did not answer: nobody is signed in, and the log says which provider and why.
        details = {k: str(v)[:300] for k, v in (extra_context or {}).items()}
        log_action(
            "accounts.sso.refused",
            data={"reason": "provider_error", "provider": getattr(provider, "id", ""), "error": str(error or ""), **details},
        )
        return super().on_authentication_error(request, provider, error, exception, extra_context)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        remembered = sso_session.remembered(request)
        policy = IdentityProvider.objects.get(pk=remembered["policy"])
        sync_roles(user, policy, frozenset(remembered["roles"]), hsa_id=remembered.get("hsa_id", ""))
        log_action("accounts.sso.account_created", obj=user, data={"provider": str(policy)})
        return user
